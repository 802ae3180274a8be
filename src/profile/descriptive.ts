// Descriptive statistics over finite values (NaN skipped, as pandas/pycytominer do): mean, sample standard
// deviation (n − 1, as pandas and R), median, and the median absolute deviation scaled by 1.4826 so that it
// estimates σ for normal data (Rousseeuw & Croux 1993; pycytominer's robustize_mad and scipy's
// median_abs_deviation(scale='normal') use the same constant).

/** 1.4826 ≈ 1/Φ⁻¹(3/4): makes the MAD a consistent estimator of σ for normal data. */
export const MAD_SCALE = 1.4826;

function finite(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) out.push(values[i]!);
  return out;
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  return n ? s / n : Number.NaN;
}

/** Sample standard deviation (denominator n − 1); NaN for fewer than 2 values. */
export function std(values: ArrayLike<number>): number {
  const m = mean(values);
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      s += (v - m) ** 2;
      n++;
    }
  }
  return n > 1 ? Math.sqrt(s / (n - 1)) : Number.NaN;
}

/** Sample variance (n − 1). */
export function variance(values: ArrayLike<number>): number {
  return std(values) ** 2;
}

/** Median (mean of the two middle values for even counts); NaN when empty. */
export function median(values: ArrayLike<number>): number {
  const s = finite(values).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

/** Median absolute deviation from the median; scaled by 1.4826 unless `scaled` is false. */
export function mad(values: ArrayLike<number>, scaled = true): number {
  const m = median(values);
  const dev = finite(values).map((v) => Math.abs(v - m));
  return median(dev) * (scaled ? MAD_SCALE : 1);
}

/** Linear-interpolated quantile (numpy's default 'linear' method), q in [0, 1]. */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const s = finite(values).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!);
}
