// Input normalisations used by CNNs: percentile scaling (CSBDeep/StarDist `normalize`, bioimage.io
// `scale_range`) and zero-mean-unit-variance (bioimage.io `zero_mean_unit_variance`).

/** Linear-interpolated percentile (NumPy's default 'linear' method) of `values`, q in [0, 100]. */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${q}`);
  const n = values.length;
  if (n === 0) throw new RangeError('percentile of an empty array');
  const sorted = Float64Array.from(values).sort();
  const pos = (q / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface PercentileNormalizeOptions {
  /** Lower percentile mapped to 0. @default 1 */
  low?: number;
  /** Upper percentile mapped to 1. @default 99.8 */
  high?: number;
  /** Added to the denominator. @default 1e-6 */
  eps?: number;
  /** Clip the result to [0, 1]. @default false */
  clip?: boolean;
}

/** (x - p_low) / (p_high - p_low + eps), as a new Float32Array. */
export function normalizePercentile(
  values: ArrayLike<number>,
  options: PercentileNormalizeOptions = {},
): Float32Array {
  const lo = percentile(values, options.low ?? 1);
  const hi = percentile(values, options.high ?? 99.8);
  const scale = 1 / (hi - lo + (options.eps ?? 1e-6));
  const out = new Float32Array(values.length);
  for (let i = 0; i < out.length; i++) {
    const v = (values[i]! - lo) * scale;
    out[i] = options.clip ? Math.min(1, Math.max(0, v)) : v;
  }
  return out;
}

/** (x - mean) / (std + eps) with the population standard deviation, computed in float64. */
export function zeroMeanUnitVariance(values: ArrayLike<number>, eps = 1e-6): Float32Array {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const std = Math.sqrt(ss / n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (values[i]! - mean) / (std + eps);
  return out;
}
