// Parquet reading and writing through DuckDB (@duckdb/node-api), the project's embedded store engine.
import { createTableFrom, readerToTable } from './duckdb.ts';
import type { Table } from './table.ts';

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
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
    return readerToTable(reader);
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
    await createTableFrom(connection, 't', table);
    await connection.run(`COPY t TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`);
  } catch (error) {
    throw new Error(`${path}: cannot write Parquet`, { cause: error });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
