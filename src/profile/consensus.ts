// Consensus profiles: one row per group (e.g. compound and concentration) with the median (pycytominer.consensus
// default) or mean of each feature over the group's replicate wells.
import { type Column, isNumeric, type Table, tableFromColumns } from '../table/table.ts';
import { mean, median } from './descriptive.ts';
import { groupKeys, groupRows } from './matrix.ts';

export interface ConsensusOptions {
  /** Columns defining a treatment. */
  groupBy: readonly string[];
  /** Feature columns. */
  features: readonly string[];
  /** Statistic. @default 'median' */
  operation?: 'median' | 'mean';
  /** Other metadata columns to carry (value of the group's first row). @default [] */
  carry?: readonly string[];
}

export function consensus(table: Table, options: ConsensusOptions): Table {
  const groups = [...groupRows(groupKeys(table, options.groupBy)).values()];
  const stat = (options.operation ?? 'median') === 'median' ? median : mean;
  const out: Record<string, Column> = {};
  for (const k of [...options.groupBy, ...(options.carry ?? [])]) {
    const c = table.columns[k];
    if (!c) throw new RangeError(`consensus: no column '${k}'; available: ${table.names.join(', ')}`);
    out[k] = isNumeric(c) ? Float64Array.from(groups, (g) => c[g[0]!]!) : groups.map((g) => c[g[0]!]!);
  }
  out.n_replicates = Float64Array.from(groups, (g) => g.length);
  for (const f of options.features) {
    const c = table.columns[f];
    if (!c || !isNumeric(c)) throw new RangeError(`consensus: '${f}' is not a numeric column`);
    out[f] = Float64Array.from(groups, (g) => stat(Float64Array.from(g, (r) => c[r]!)));
  }
  return tableFromColumns(out);
}
