// Z'-factor of an assay from its positive and negative controls (Zhang, Chung & Oldenburg 1999, J Biomol
// Screen 4:67, eq. 3): Z' = 1 − 3(σp + σn)/|μp − μn|, with sample means and sample standard deviations (n − 1);
// and the robust Z' that replaces them by medians and 1.4826·MAD (e.g. Birmingham et al. 2009, Nat Methods).
import { mad, mean, median, std } from '../profile/descriptive.ts';

function check(positive: ArrayLike<number>, negative: ArrayLike<number>, name: string): void {
  const count = (v: ArrayLike<number>) => Array.from(v).filter(Number.isFinite).length;
  if (count(positive) < 2 || count(negative) < 2) {
    throw new RangeError(
      `${name}: need at least 2 finite positive and 2 negative control values, got ${count(positive)} and ${count(negative)}`,
    );
  }
}

/** Z'-factor: 1 − 3(σp + σn)/|μp − μn|. Above 0.5 is an excellent assay; ≤ 0 means the controls overlap. */
export function zPrime(positive: ArrayLike<number>, negative: ArrayLike<number>): number {
  check(positive, negative, 'zPrime');
  return 1 - (3 * (std(positive) + std(negative))) / Math.abs(mean(positive) - mean(negative));
}

/** Robust Z': 1 − 3(MADp + MADn)/|median_p − median_n| with MAD scaled by 1.4826. */
export function robustZPrime(positive: ArrayLike<number>, negative: ArrayLike<number>): number {
  check(positive, negative, 'robustZPrime');
  return 1 - (3 * (mad(positive) + mad(negative))) / Math.abs(median(positive) - median(negative));
}
