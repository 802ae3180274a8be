// Feature tables -> feature matrices: which columns of a per-object table are features and which are identifiers
// or metadata kept aside. The rule (documented in docs/cli/classify.md): text columns; CellProfiler identifiers
// ImageNumber, ObjectNumber, TableNumber, Number_Object_Number; names starting Metadata_, Location_, Parent_,
// Children_; positions *_Center_X/Y/Z; and (any case) row, well, plate, site, field, id, object, image, label;
// plus the label column and any columns the caller names.
import { isNumeric, type Table } from '../table/table.ts';
import type { FeatureMatrix } from './features.ts';

const ID_NAMES = new Set(['imagenumber', 'objectnumber', 'tablenumber', 'number_object_number']);
const PLAIN_NAMES = new Set(['row', 'well', 'plate', 'site', 'field', 'id', 'object', 'image', 'label']);
const PREFIXES = ['metadata_', 'location_', 'parent_', 'children_'];

/** True for identifier/metadata column names that are never used as features. */
export function isMetadataName(name: string): boolean {
  const lower = name.toLowerCase();
  if (ID_NAMES.has(lower) || PLAIN_NAMES.has(lower)) return true;
  if (PREFIXES.some((p) => lower.startsWith(p))) return true;
  return /_center_[xyz]$/.test(lower);
}

export interface FeatureColumnsOptions {
  /** The label column (never a feature). @default undefined */
  label?: string;
  /** More columns to keep aside. @default [] */
  ignore?: readonly string[];
}

/** Names of the feature columns of a table by the rule above, in table order. */
export function featureColumnNames(table: Table, options: FeatureColumnsOptions = {}): string[] {
  const ignore = new Set(options.ignore ?? []);
  for (const name of ignore) {
    if (!table.columns[name]) throw new RangeError(`ignore: no column '${name}'`);
  }
  return table.names.filter(
    (name) =>
      name !== options.label && !ignore.has(name) && isNumeric(table.columns[name]!) && !isMetadataName(name),
  );
}

/**
 * The named columns of a table as Float32 features; a missing or non-numeric column is an error listing every
 * missing name (`what` names the table, e.g. its path).
 */
export function featuresFromTable(table: Table, names: readonly string[], what = 'table'): FeatureMatrix {
  const missing = names.filter((n) => !table.columns[n]);
  if (missing.length > 0) {
    throw new RangeError(
      `${what}: missing ${missing.length} feature column(s) the model needs: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', ...' : ''}`,
    );
  }
  const text = names.filter((n) => !isNumeric(table.columns[n]!));
  if (text.length > 0) throw new TypeError(`${what}: feature column(s) not numeric: ${text.join(', ')}`);
  return {
    names: [...names],
    columns: names.map((n) => Float32Array.from(table.columns[n] as Float64Array)),
  };
}

/** Rows whose features are all finite (NaN from empty cells, infinities), and the count of the others. */
export function finiteRows(features: FeatureMatrix): { rows: Int32Array; dropped: number } {
  const n = features.columns[0]?.length ?? 0;
  const ok = new Uint8Array(n).fill(1);
  for (const column of features.columns)
    for (let i = 0; i < n; i++) if (!Number.isFinite(column[i]!)) ok[i] = 0;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (ok[i]) rows.push(i);
  return { rows: Int32Array.from(rows), dropped: n - rows.length };
}
