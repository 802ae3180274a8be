// Parquet reading and writing through DuckDB (@duckdb/node-api), the project's embedded store engine.
import { type Column, isNumeric, type Table, tableFromColumns } from './table.ts';

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function sqlIdent(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** Read a Parquet file into a table: numeric columns as Float64Array (NULL = NaN), others as strings. */
export async function readParquet(path: string): Promise<Table> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    let reader: Awaited<ReturnType<typeof connection.runAndReadAll>>;
    try {
      reader = await connection.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(path)})`);
    } catch (error) {
      throw new Error(`${path}: cannot read Parquet`, { cause: error });
    }
    const names = reader.columnNames();
    const types = reader.columnTypes();
    const values = reader.getColumnsJS();
    const columns: Record<string, Column> = {};
    names.forEach((name, i) => {
      const raw = values[i] ?? [];
      const typeId = String(types[i]);
      const numeric =
        /^(DOUBLE|FLOAT|INTEGER|BIGINT|SMALLINT|TINYINT|UINTEGER|UBIGINT|USMALLINT|UTINYINT|HUGEINT|DECIMAL)/.test(
          typeId,
        );
      columns[name] = numeric
        ? Float64Array.from(raw, (v) => (v === null || v === undefined ? Number.NaN : Number(v)))
        : raw.map((v) => (v === null || v === undefined ? '' : String(v)));
    });
    return tableFromColumns(columns, names);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Write a table as Parquet (zstd): numeric columns as DOUBLE, text as VARCHAR. */
export async function writeParquet(path: string, table: Table): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const defs = table.names.map(
      (n) => `${sqlIdent(n)} ${isNumeric(table.columns[n]!) ? 'DOUBLE' : 'VARCHAR'}`,
    );
    await connection.run(`CREATE TABLE t (${defs.join(', ')})`);
    const appender = await connection.createAppender('t');
    const cols = table.names.map((n) => table.columns[n]!);
    for (let r = 0; r < table.rows; r++) {
      for (const c of cols) {
        if (isNumeric(c)) {
          const v = c[r]!;
          if (Number.isNaN(v)) appender.appendNull();
          else appender.appendDouble(v);
        } else appender.appendVarchar(c[r]!);
      }
      appender.endRow();
    }
    appender.closeSync();
    await connection.run(`COPY t TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`);
  } catch (error) {
    throw new Error(`${path}: cannot write Parquet`, { cause: error });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
