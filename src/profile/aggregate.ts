// Aggregate per-object measurements to wells (or any grouping): mean, median, std, count and the fraction of
// objects passing a gate, as pycytominer.aggregate does (its default operation is the median; column names are
// kept when one statistic is asked for, else suffixed '_<stat>').
import { type Column, isNumeric, type Table, tableFromColumns } from '../table/table.ts';
import { mean, median, std } from './descriptive.ts';
import { groupKeys, groupRows, inferFeatures } from './matrix.ts';

export type AggregateStatistic = 'mean' | 'median' | 'std';

/** A gate: an object is positive when `column` > `above`, or when its (string) value equals `equals`. */
export type Gate = { column: string; above: number } | { column: string; equals: string };

export interface AggregateOptions {
  /** Key columns to group by (e.g. Metadata_Plate, Metadata_Well). */
  groupBy: readonly string[];
  /** Feature columns; default every numeric non-key column not prefixed 'Metadata_'. @default inferred */
  features?: readonly string[];
  /** Statistics per feature. @default ['median'] */
  statistics?: readonly AggregateStatistic[];
  /** Gates whose positive fraction becomes a column 'fraction_<column>'. @default [] */
  gates?: readonly Gate[];
  /** Name of the object-count column. @default 'count' */
  countColumn?: string;
}

const STAT: Record<AggregateStatistic, (v: Float64Array) => number> = { mean, median, std };

/** One row per group: the key columns, the object count, feature statistics and gated fractions. */
export function aggregate(table: Table, options: AggregateOptions): Table {
  if (options.groupBy.length === 0) throw new RangeError('aggregate: groupBy needs at least one column');
  const keys = groupKeys(table, options.groupBy);
  const groups = groupRows(keys);
  const features = options.features ?? inferFeatures(table, options.groupBy);
  const statistics = options.statistics ?? ['median'];
  const out: Record<string, Column> = {};
  const firsts = [...groups.values()].map((rows) => rows[0]!);
  for (const k of options.groupBy) {
    const c = table.columns[k]!;
    out[k] = isNumeric(c) ? Float64Array.from(firsts, (r) => c[r]!) : firsts.map((r) => c[r]!);
  }
  out[options.countColumn ?? 'count'] = Float64Array.from(groups.values(), (rows) => rows.length);
  for (const f of features) {
    const c = table.columns[f];
    if (!c) throw new RangeError(`aggregate: no feature column '${f}'; available: ${table.names.join(', ')}`);
    if (!isNumeric(c)) throw new TypeError(`aggregate: feature column '${f}' is not numeric`);
    for (const s of statistics) {
      const name = statistics.length === 1 ? f : `${f}_${s}`;
      out[name] = Float64Array.from(groups.values(), (rows) =>
        STAT[s](Float64Array.from(rows, (r) => c[r]!)),
      );
    }
  }
  for (const gate of options.gates ?? []) {
    const c = table.columns[gate.column];
    if (!c)
      throw new RangeError(
        `aggregate: no gate column '${gate.column}'; available: ${table.names.join(', ')}`,
      );
    const positive = (r: number) =>
      'above' in gate ? isNumeric(c) && c[r]! > gate.above : String(c[r]) === gate.equals;
    out[`fraction_${gate.column}`] = Float64Array.from(groups.values(), (rows) => {
      let p = 0;
      for (const r of rows) if (positive(r)) p++;
      return p / rows.length;
    });
  }
  return tableFromColumns(out);
}
