// Li's minimum cross-entropy threshold (C. H. Li, C. K. Lee, Pattern Recognit. 26(4), 1993; iterative form
// C. H. Li, P. K. S. Tam, Pattern Recognit. Lett. 18(8), 1998) as skimage.filters.threshold_li (v0.19) computes
// it: integer pixels iterate on their histogram (tolerance 0.5), float pixels on the values (tolerance half the
// smallest gap between distinct values). Hand-written: image-js's Li works on 8/16-bit histograms only.
import { collectSamples, histogram, type ThresholdInput } from './histogram.ts';

export interface LiOptions {
  /** Stop when the threshold moves less than this. @default 0.5 for integer pixels, else half the smallest gap */
  tolerance?: number;
  /** Starting threshold (image units), strictly between min and max. @default the mean */
  initialGuess?: number;
  /** Only pixels where the mask is nonzero are used. @default undefined (all) */
  mask?: Uint8Array;
}

/**
 * Li's threshold in image units; pixels above it are foreground. Defined results: no usable pixel (empty,
 * all masked or all NaN) returns 0 (skimage returns NaN); a constant input returns the constant.
 */
export function thresholdLi(input: ThresholdInput, options: LiOptions = {}): number {
  const samples = collectSamples(input, options.mask, 'thresholdLi');
  if (samples.count === 0) return 0;
  const { min, max } = samples;
  if (min === max) return min;
  if (options.tolerance !== undefined && !(options.tolerance > 0 && Number.isFinite(options.tolerance))) {
    throw new RangeError(`thresholdLi: tolerance must be a finite number > 0, got ${options.tolerance}`);
  }
  const values = samples.values;
  const n = values.length;
  // everything below works on image - min, as skimage does
  let tNext: number;
  if (options.initialGuess !== undefined) {
    tNext = options.initialGuess - min;
    if (!(tNext > 0 && tNext < max - min)) {
      throw new RangeError(
        `thresholdLi: initialGuess must lie strictly between the image min ${min} and max ${max}, got ${options.initialGuess}`,
      );
    }
  } else {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[i]! - min;
    tNext = s / n;
  }
  if (samples.integer) {
    const tolerance = options.tolerance ?? 0.5;
    const { counts, centers } = histogram(samples, 256);
    // bin centres relative to min (skimage histograms image - min)
    const c = centers.map((v) => v - min);
    let tCurr = -2 * tolerance;
    while (Math.abs(tNext - tCurr) > tolerance) {
      tCurr = tNext;
      let wf = 0;
      let sf = 0;
      let wb = 0;
      let sb = 0;
      for (let i = 0; i < c.length; i++) {
        const h = counts[i]!;
        if (c[i]! > tCurr) {
          wf += h;
          sf += h * c[i]!;
        } else {
          wb += h;
          sb += h * c[i]!;
        }
      }
      const meanFore = sf / wf;
      const meanBack = sb / wb;
      tNext = (meanBack - meanFore) / (Math.log(meanBack) - Math.log(meanFore));
    }
    return tNext + min;
  }
  let tolerance = options.tolerance;
  if (tolerance === undefined) {
    const sorted = Float64Array.from(values as ArrayLike<number>);
    sorted.sort();
    let gap = Number.POSITIVE_INFINITY;
    for (let i = 1; i < n; i++) {
      const d = sorted[i]! - sorted[i - 1]!;
      if (d > 0 && d < gap) gap = d;
    }
    tolerance = gap / 2;
  }
  let tCurr = -2 * tolerance;
  // the loop stops when an update is NaN-free and small; guard against a pathological non-converging cycle
  for (let iteration = 0; Math.abs(tNext - tCurr) > tolerance && iteration < 10000; iteration++) {
    tCurr = tNext;
    let nf = 0;
    let sf = 0;
    let nb = 0;
    let sb = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i]! - min;
      if (v > tCurr) {
        nf++;
        sf += v;
      } else {
        nb++;
        sb += v;
      }
    }
    const meanFore = sf / nf;
    const meanBack = sb / nb;
    tNext = (meanBack - meanFore) / (Math.log(meanBack) - Math.log(meanFore));
  }
  return tNext + min;
}
