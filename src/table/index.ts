// Read and write tables by file extension: .csv, .parquet/.pq, or `FILE.duckdb:TABLE` for a table of a DuckDB
// database such as the results store.
import { readCsv, writeCsv } from './csv.ts';
import { parseDuckdbPath, readDuckdbTable, writeDuckdbTable } from './duckdb.ts';
import { readParquet, writeParquet } from './parquet.ts';
import type { Table } from './table.ts';

export * from './csv.ts';
export * from './duckdb.ts';
export * from './parquet.ts';
export * from './table.ts';

function kind(path: string): 'csv' | 'parquet' {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.parquet') || lower.endsWith('.pq')) return 'parquet';
  throw new Error(`${path}: unknown table format (expected .csv, .parquet or FILE.duckdb:TABLE)`);
}

export async function readTable(path: string): Promise<Table> {
  const db = parseDuckdbPath(path);
  if (db) return readDuckdbTable(db.file, db.table);
  return kind(path) === 'csv' ? readCsv(path) : readParquet(path);
}

export async function writeTable(path: string, table: Table): Promise<void> {
  const db = parseDuckdbPath(path);
  if (db) return writeDuckdbTable(db.file, db.table, table);
  return kind(path) === 'csv' ? writeCsv(path, table) : writeParquet(path, table);
}
