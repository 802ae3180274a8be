// Tables inside a DuckDB database file (the project's results store): read one table, or write one (replacing it),
// addressed as `FILE.duckdb:TABLE` by readTable/writeTable. Column types as for Parquet: DOUBLE or VARCHAR.
import { type Column, isNumeric, type Table, tableFromColumns } from './table.ts';

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Split `results.duckdb:objects_Nuclei` into file and table; undefined when `path` is not of that form. */
export function parseDuckdbPath(path: string): { file: string; table: string } | undefined {
  const m = /^(.*\.(?:duckdb|db)):([A-Za-z_][A-Za-z0-9_]*)$/.exec(path);
  return m ? { file: m[1]!, table: m[2]! } : undefined;
}

async function open(file: string, readOnly: boolean) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  try {
    const instance = await DuckDBInstance.create(file, readOnly ? { access_mode: 'READ_ONLY' } : {});
    return { instance, connection: await instance.connect() };
  } catch (error) {
    throw new Error(`${file}: cannot open DuckDB database${readOnly ? ' (read-only)' : ''}`, {
      cause: error,
    });
  }
}

type Connection = Awaited<
  ReturnType<Awaited<ReturnType<typeof import('@duckdb/node-api').DuckDBInstance.create>>['connect']>
>;
type Reader = Awaited<ReturnType<Connection['runAndReadAll']>>;

const NUMERIC =
  /^(DOUBLE|FLOAT|INTEGER|BIGINT|SMALLINT|TINYINT|UINTEGER|UBIGINT|USMALLINT|UTINYINT|HUGEINT|DECIMAL)/;

/** A query result as a table: numeric columns as Float64Array (NULL = NaN), others as strings ('' for NULL). */
export function readerToTable(reader: Reader): Table {
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const values = reader.getColumnsJS();
  const columns: Record<string, Column> = {};
  names.forEach((name, i) => {
    const raw = values[i] ?? [];
    columns[name] = NUMERIC.test(String(types[i]))
      ? Float64Array.from(raw, (v) => (v === null || v === undefined ? Number.NaN : Number(v)))
      : raw.map((v) => (v === null || v === undefined ? '' : String(v)));
  });
  return tableFromColumns(columns, names);
}

/** Create (or replace) table `name` on the connection and append every row of `data` (DOUBLE / VARCHAR columns). */
export async function createTableFrom(connection: Connection, name: string, data: Table): Promise<void> {
  const defs = data.names.map((n) => `${ident(n)} ${isNumeric(data.columns[n]!) ? 'DOUBLE' : 'VARCHAR'}`);
  await connection.run(`CREATE OR REPLACE TABLE ${ident(name)} (${defs.join(', ')})`);
  const appender = await connection.createAppender(name);
  const cols = data.names.map((n) => data.columns[n]!);
  for (let r = 0; r < data.rows; r++) {
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
}

/** Read table `table` of the DuckDB file: numeric columns as Float64Array (NULL = NaN), others as strings. */
export async function readDuckdbTable(file: string, table: string): Promise<Table> {
  const { instance, connection } = await open(file, true);
  try {
    let reader: Awaited<ReturnType<typeof connection.runAndReadAll>>;
    try {
      reader = await connection.runAndReadAll(`SELECT * FROM ${ident(table)}`);
    } catch (error) {
      throw new Error(`${file}: no readable table '${table}'`, { cause: error });
    }
    return readerToTable(reader);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Write `data` as table `table` of the DuckDB file (created if missing), replacing a table of that name. */
export async function writeDuckdbTable(file: string, table: string, data: Table): Promise<void> {
  const { instance, connection } = await open(file, false);
  try {
    await connection.run('BEGIN TRANSACTION');
    await createTableFrom(connection, table, data);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw new Error(`${file}: cannot write table '${table}'`, { cause: error });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
