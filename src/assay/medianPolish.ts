// Tukey's median polish of a two-way table (Tukey 1977, Exploratory Data Analysis, ch. 11), following R's
// stats::medpolish: alternate row and column median sweeps until the sum of |residuals| changes by less than
// eps relative; missing cells (NaN) are skipped. The B-score (Brideau et al. 2003, J Biomol Screen 8:634) divides
// its residuals by their 1.4826·MAD.
import { median } from '../profile/descriptive.ts';

export interface MedianPolishOptions {
  /** Maximum sweeps (R's maxiter). @default 10 */
  maxIterations?: number;
  /** Relative convergence tolerance on the sum of |residuals| (R's eps). @default 0.01 */
  eps?: number;
}

export interface MedianPolishResult {
  overall: number;
  row: Float64Array;
  column: Float64Array;
  /** Residuals, row-major rows×columns (NaN where the input was NaN). */
  residuals: Float64Array;
  converged: boolean;
}

/** Median polish of a row-major `rows`×`columns` matrix. */
export function medianPolish(
  values: ArrayLike<number>,
  rows: number,
  columns: number,
  options: MedianPolishOptions = {},
): MedianPolishResult {
  if (values.length !== rows * columns) {
    throw new RangeError(`medianPolish: ${values.length} values for a ${rows}×${columns} table`);
  }
  const z = Float64Array.from(values);
  const row = new Float64Array(rows);
  const column = new Float64Array(columns);
  let overall = 0;
  let oldSum = 0;
  let converged = false;
  const maxIterations = options.maxIterations ?? 10;
  const eps = options.eps ?? 0.01;
  const rowVals = new Float64Array(columns);
  const colVals = new Float64Array(rows);
  const med0 = (v: Float64Array) => {
    const m = median(v);
    return Number.isNaN(m) ? 0 : m;
  };
  for (let iter = 0; iter < maxIterations; iter++) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) rowVals[c] = z[r * columns + c]!;
      const d = med0(rowVals);
      for (let c = 0; c < columns; c++) z[r * columns + c] = z[r * columns + c]! - d;
      row[r] = row[r]! + d;
    }
    let delta = med0(column);
    for (let c = 0; c < columns; c++) column[c] = column[c]! - delta;
    overall += delta;
    for (let c = 0; c < columns; c++) {
      for (let r = 0; r < rows; r++) colVals[r] = z[r * columns + c]!;
      const d = med0(colVals);
      for (let r = 0; r < rows; r++) z[r * columns + c] = z[r * columns + c]! - d;
      column[c] = column[c]! + d;
    }
    delta = med0(row);
    for (let r = 0; r < rows; r++) row[r] = row[r]! - delta;
    overall += delta;
    let newSum = 0;
    for (const v of z) if (Number.isFinite(v)) newSum += Math.abs(v);
    converged = newSum === 0 || Math.abs(newSum - oldSum) < eps * newSum;
    if (converged) break;
    oldSum = newSum;
  }
  return { overall, row, column, residuals: z, converged };
}
