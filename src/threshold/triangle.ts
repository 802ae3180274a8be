// Triangle threshold (G. W. Zack, W. E. Rogers, S. A. Latt, J. Histochem. Cytochem. 25(7), 1977) exactly as
// skimage.filters.threshold_triangle (v0.19): the histogram bin farthest from the line joining the peak to the
// far end of the longer tail. Hand-written: image-js's triangle works on 8/16-bit histograms only.
import { checkBins, collectSamples, histogram, type ThresholdInput } from './histogram.ts';

export interface TriangleOptions {
  /** Histogram bins for float pixels (integer pixels get one bin per value, as in skimage). @default 256 */
  bins?: number;
  /** Only pixels where the mask is nonzero are used. @default undefined (all) */
  mask?: Uint8Array;
}

/** Triangle threshold in image units (a bin centre). No usable pixel returns 0; a constant input returns it. */
export function thresholdTriangle(input: ThresholdInput, options: TriangleOptions = {}): number {
  const bins = checkBins(options.bins ?? 256, 'thresholdTriangle');
  const samples = collectSamples(input, options.mask, 'thresholdTriangle');
  if (samples.count === 0) return 0;
  if (samples.min === samples.max) return samples.min;
  const { counts, centers } = histogram(samples, bins);
  const n = counts.length;
  let argPeak = 0;
  for (let i = 1; i < n; i++) if (counts[i]! > counts[argPeak]!) argPeak = i;
  const peakHeight = counts[argPeak]!;
  let argLow = 0;
  while (counts[argLow] === 0) argLow++;
  let argHigh = n - 1;
  while (counts[argHigh] === 0) argHigh--;
  const flip = argPeak - argLow < argHigh - argPeak;
  const h = flip ? counts.slice().reverse() : counts;
  if (flip) {
    argLow = n - argHigh - 1;
    argPeak = n - argPeak - 1;
  }
  const width = argPeak - argLow;
  if (width === 0) return centers[flip ? n - argLow - 1 : argLow]!;
  const norm = Math.sqrt(peakHeight * peakHeight + width * width);
  const ph = peakHeight / norm;
  const w = width / norm;
  let best = Number.NEGATIVE_INFINITY;
  let argLevel = 0;
  for (let x = 0; x < width; x++) {
    const length = ph * x - w * h[x + argLow]!;
    if (length > best) {
      best = length;
      argLevel = x;
    }
  }
  argLevel += argLow;
  if (flip) argLevel = n - argLevel - 1;
  return centers[argLevel]!;
}
