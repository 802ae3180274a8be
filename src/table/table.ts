/**
 * A small columnar table: the exchange format between measurement, learning, profiling and assay code, and
 * what the CSV/Parquet readers and writers produce. Numeric columns are Float64Array (missing = NaN); text
 * columns are arrays of strings (missing = '').
 */

export type Column = Float64Array | string[];

export interface Table {
  /** Column names in order. */
  readonly names: readonly string[];
  readonly columns: Readonly<Record<string, Column>>;
  readonly rows: number;
}

/** Build a table from named columns of equal length (order of `columns` keys, or `names` when given). */
export function tableFromColumns(
  columns: Record<string, Column>,
  names: readonly string[] = Object.keys(columns),
): Table {
  let rows = -1;
  for (const name of names) {
    const column = columns[name];
    if (!column) throw new RangeError(`table: column '${name}' is missing`);
    if (rows >= 0 && column.length !== rows) {
      throw new RangeError(`table: column '${name}' has ${column.length} rows, expected ${rows}`);
    }
    rows = column.length;
  }
  return {
    names: [...names],
    columns: Object.fromEntries(names.map((n) => [n, columns[n]!])),
    rows: Math.max(rows, 0),
  };
}

export function isNumeric(column: Column): column is Float64Array {
  return column instanceof Float64Array;
}

/** The named numeric column; throws naming the available columns when absent or not numeric. */
export function numericColumn(table: Table, name: string): Float64Array {
  const column = table.columns[name];
  if (!column) throw new RangeError(`no column '${name}'; available: ${table.names.join(', ')}`);
  if (!isNumeric(column)) throw new TypeError(`column '${name}' is not numeric`);
  return column;
}

/** The named column as strings (numbers formatted); throws naming the available columns when absent. */
export function stringColumn(table: Table, name: string): string[] {
  const column = table.columns[name];
  if (!column) throw new RangeError(`no column '${name}'; available: ${table.names.join(', ')}`);
  return isNumeric(column) ? Array.from(column, (v) => (Number.isNaN(v) ? '' : String(v))) : column;
}

/** Rows selected by index, all columns. */
export function selectRows(table: Table, indices: ArrayLike<number>): Table {
  const columns: Record<string, Column> = {};
  for (const name of table.names) {
    const c = table.columns[name]!;
    if (isNumeric(c)) {
      const out = new Float64Array(indices.length);
      for (let i = 0; i < indices.length; i++) out[i] = c[indices[i]!]!;
      columns[name] = out;
    } else {
      columns[name] = Array.from({ length: indices.length }, (_, i) => c[indices[i]!]!);
    }
  }
  return tableFromColumns(columns, table.names);
}

/** Tables with the same columns stacked vertically. */
export function concatTables(tables: readonly Table[]): Table {
  const first = tables[0];
  if (!first) return tableFromColumns({});
  const columns: Record<string, Column> = {};
  for (const name of first.names) {
    const parts = tables.map((t) => {
      const c = t.columns[name];
      if (!c) throw new RangeError(`concatTables: a table lacks column '${name}'`);
      return c;
    });
    if (parts.every(isNumeric)) {
      const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      columns[name] = out;
    } else {
      columns[name] = parts.flatMap((p) => (isNumeric(p) ? Array.from(p, String) : p));
    }
  }
  return tableFromColumns(columns, first.names);
}

/**
 * Add `column` of `from` to `table`, matching rows on the key columns (all compared as text, so 3 and '3'
 * match); rows of `table` without a match get '' (text) or NaN (numeric). Duplicate keys in `from` are an error.
 */
export function joinColumn(
  table: Table,
  from: Table,
  keys: readonly string[],
  column: string,
  as = column,
): Table {
  for (const k of keys) {
    if (!table.columns[k]) throw new RangeError(`join: key column '${k}' is missing from the left table`);
    if (!from.columns[k]) throw new RangeError(`join: key column '${k}' is missing from the right table`);
  }
  const source = from.columns[column];
  if (!source) throw new RangeError(`join: no column '${column}'; available: ${from.names.join(', ')}`);
  const fromKeys = new Map<string, number>();
  const fromCols = keys.map((k) => stringColumn(from, k));
  for (let r = 0; r < from.rows; r++) {
    const key = fromCols.map((c) => c[r]).join('\u0000');
    if (fromKeys.has(key))
      throw new RangeError(`join: key (${key.replaceAll('\u0000', ', ')}) appears twice`);
    fromKeys.set(key, r);
  }
  const leftCols = keys.map((k) => stringColumn(table, k));
  const rowsOf = Array.from({ length: table.rows }, (_, r) =>
    fromKeys.get(leftCols.map((c) => c[r]).join('\u0000')),
  );
  const joined: Column = isNumeric(source)
    ? Float64Array.from(rowsOf, (k) => (k === undefined ? Number.NaN : source[k]!))
    : rowsOf.map((k) => (k === undefined ? '' : source[k]!));
  const names = table.names.includes(as) ? table.names : [...table.names, as];
  return tableFromColumns({ ...table.columns, [as]: joined }, names);
}
