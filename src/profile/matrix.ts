// Feature matrices of profile tables: rows of Float64Array taken from numeric columns, feature inference
// (numeric columns not prefixed 'Metadata_', as pycytominer's infer_cp_features does for CellProfiler names), and
// grouping of rows by key columns.
import { isNumeric, type Table } from '../table/table.ts';

/** Numeric columns that are not metadata: not prefixed 'Metadata_' (case-sensitive) and not in `exclude`. */
export function inferFeatures(table: Table, exclude: readonly string[] = []): string[] {
  return table.names.filter(
    (n) => isNumeric(table.columns[n]!) && !n.startsWith('Metadata_') && !exclude.includes(n),
  );
}

/** The named numeric columns as rows (one Float64Array per table row). */
export function featureRows(table: Table, features: readonly string[]): Float64Array[] {
  const columns = features.map((f) => {
    const c = table.columns[f];
    if (!c) throw new RangeError(`no feature column '${f}'; available: ${table.names.join(', ')}`);
    if (!isNumeric(c)) throw new TypeError(`feature column '${f}' is not numeric`);
    return c;
  });
  return Array.from({ length: table.rows }, (_, r) => Float64Array.from(columns, (c) => c[r]!));
}

/** The string value of `columns` joined by a separator that cannot occur in CSV cells, per row. */
export function groupKeys(table: Table, columns: readonly string[]): string[] {
  const cols = columns.map((name) => {
    const c = table.columns[name];
    if (!c) throw new RangeError(`no column '${name}'; available: ${table.names.join(', ')}`);
    return isNumeric(c) ? Array.from(c, String) : c;
  });
  return Array.from({ length: table.rows }, (_, r) => cols.map((c) => c[r]!).join('\u0000'));
}

/** Row indices per group key, groups in first-seen order. */
export function groupRows(keys: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  return groups;
}
