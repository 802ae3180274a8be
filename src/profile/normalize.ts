// Per-plate normalisation of well profiles to a reference population (negative controls or all wells), as
// pycytominer.normalize: 'standardize' (x − mean)/sd with the population sd (ddof 0, sklearn StandardScaler),
// 'robustize' (x − median)/(1.4826·MAD + 1e-18) (pycytominer RobustMAD), 'mad_robustize' alias, and percent of
// control 100·x/mean(reference).
import { type Column, isNumeric, type Table, tableFromColumns } from '../table/table.ts';
import { mad, mean, median } from './descriptive.ts';
import { groupKeys, groupRows, inferFeatures } from './matrix.ts';

export type NormalizeMethod = 'standardize' | 'robustize' | 'percent_of_control';

export interface NormalizeOptions {
  /** Method. @default 'robustize' */
  method?: NormalizeMethod;
  /** Columns whose combination defines a plate (normalised separately); [] for the whole table. @default [] */
  plateColumns?: readonly string[];
  /** Rows that form the reference population; undefined = all wells. @default undefined */
  reference?: (row: number) => boolean;
  /** Features to normalise; others are copied. @default inferred */
  features?: readonly string[];
  /** Added to the scale to avoid division by zero (pycytominer's 1e-18). @default 1e-18 */
  epsilon?: number;
}

/** Normalise features per plate; throws naming the plate when it has no reference wells. */
export function normalize(table: Table, options: NormalizeOptions = {}): Table {
  const method = options.method ?? 'robustize';
  const plates = groupRows(groupKeys(table, options.plateColumns ?? []));
  const features = options.features ?? inferFeatures(table, options.plateColumns ?? []);
  const eps = options.epsilon ?? 1e-18;
  const out: Record<string, Column> = { ...table.columns };
  for (const f of features) {
    const c = table.columns[f];
    if (!c || !isNumeric(c)) throw new RangeError(`normalize: '${f}' is not a numeric column`);
    out[f] = new Float64Array(c.length);
  }
  for (const [plate, rows] of plates) {
    const ref = options.reference ? rows.filter(options.reference) : rows;
    if (ref.length === 0) {
      const name = plate.replaceAll('\u0000', '/') || 'the table';
      throw new RangeError(`normalize: plate ${name} has no reference (negative control) wells`);
    }
    for (const f of features) {
      const c = table.columns[f] as Float64Array;
      const o = out[f] as Float64Array;
      const refValues = Float64Array.from(ref, (r) => c[r]!);
      let center: number;
      let scale: number;
      if (method === 'standardize') {
        center = mean(refValues);
        const finite = Array.from(refValues).filter(Number.isFinite);
        scale = Math.sqrt(finite.reduce((s, v) => s + (v - center) ** 2, 0) / finite.length);
        if (scale === 0) scale = 1; // StandardScaler leaves constant features unscaled
      } else if (method === 'robustize') {
        center = median(refValues);
        scale = mad(refValues) + eps;
      } else {
        center = 0;
        scale = mean(refValues) / 100;
      }
      for (const r of rows) o[r] = (c[r]! - center) / scale;
    }
  }
  return tableFromColumns(out, table.names);
}
