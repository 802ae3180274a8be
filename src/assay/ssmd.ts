// Strictly standardized mean difference (Zhang 2007, Genomics 89:552; Zhang 2007, J Biomol Screen 12:645) between
// two independent groups: β = (μ1 − μ2)/√(σ1² + σ2²), estimated by the method of moments with sample means and
// sample variances (n − 1) — Zhang's "MM estimate" for independent groups; the robust variant uses medians and
// 1.4826·MAD (Zhang 2011, Optimal High-Throughput Screening, §3.3).
import { mad, mean, median, variance } from '../profile/descriptive.ts';

/** SSMD of `treated` against `reference`: (mean₁ − mean₂)/√(s₁² + s₂²). */
export function ssmd(treated: ArrayLike<number>, reference: ArrayLike<number>): number {
  const n1 = Array.from(treated).filter(Number.isFinite).length;
  const n2 = Array.from(reference).filter(Number.isFinite).length;
  if (n1 < 2 || n2 < 2)
    throw new RangeError(`ssmd: need at least 2 finite values per group, got ${n1} and ${n2}`);
  return (mean(treated) - mean(reference)) / Math.sqrt(variance(treated) + variance(reference));
}

/** Robust SSMD: (median₁ − median₂)/√(MAD₁² + MAD₂²). */
export function robustSsmd(treated: ArrayLike<number>, reference: ArrayLike<number>): number {
  const n1 = Array.from(treated).filter(Number.isFinite).length;
  const n2 = Array.from(reference).filter(Number.isFinite).length;
  if (n1 < 2 || n2 < 2) {
    throw new RangeError(`robustSsmd: need at least 2 finite values per group, got ${n1} and ${n2}`);
  }
  return (median(treated) - median(reference)) / Math.sqrt(mad(treated) ** 2 + mad(reference) ** 2);
}
