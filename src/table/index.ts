// Read and write tables by file extension: .csv, .parquet/.pq.
import { readCsv, writeCsv } from './csv.ts';
import { readParquet, writeParquet } from './parquet.ts';
import type { Table } from './table.ts';

export * from './csv.ts';
export * from './parquet.ts';
export * from './table.ts';

function kind(path: string): 'csv' | 'parquet' {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.parquet') || lower.endsWith('.pq')) return 'parquet';
  throw new Error(`${path}: unknown table format (expected .csv or .parquet)`);
}

export async function readTable(path: string): Promise<Table> {
  return kind(path) === 'csv' ? readCsv(path) : readParquet(path);
}

export async function writeTable(path: string, table: Table): Promise<void> {
  return kind(path) === 'csv' ? writeCsv(path, table) : writeParquet(path, table);
}
