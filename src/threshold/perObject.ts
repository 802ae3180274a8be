// Per-object thresholds: one global threshold computed inside each labelled object (CellProfiler's historical
// "PerObject" threshold modifier, centrosome/threshold.py get_per_object_threshold), e.g. to find nuclei or spots
// within each cell. Pixels are grouped by label with one counting pass, then each group is thresholded with the
// chosen global method (skimage definitions). Hand-written: no npm package thresholds per label.
import { checkSingleChannel } from '../filter/util.ts';
import type { Image } from '../image/image.ts';
import { thresholdLi } from './li.ts';
import { thresholdOtsu } from './otsu.ts';
import { thresholdRobustBackground } from './robustBackground.ts';
import { thresholdTriangle } from './triangle.ts';

export interface PerObjectThresholdOptions {
  /** Global method applied inside each object. @default 'otsu' */
  method?: 'otsu' | 'li' | 'triangle' | 'robustBackground';
  /** Only pixels where the mask is nonzero take part. @default undefined (all) */
  mask?: Uint8Array;
}

export interface PerObjectThresholdResult {
  /** Threshold of object k at index k (index 0, the background, is NaN); NaN for labels with no pixel. */
  thresholds: Float64Array;
  /** Per-pixel thresholds (float32, image units); +Infinity on background and masked-out pixels. */
  thresholdImage: Image<'float32'>;
}

/**
 * Threshold every labelled object of `labels` (0 = background, k = object k; same size as `image`) on its own
 * pixels. An object with one distinct value gets that value; thresholds are in image units.
 */
export function thresholdPerObject(
  image: Image,
  labels: Image<'uint32'> | Image<'int32'> | Image<'uint16'> | Image<'uint8'>,
  options: PerObjectThresholdOptions = {},
): PerObjectThresholdResult {
  checkSingleChannel(image, 'thresholdPerObject');
  checkSingleChannel(labels, 'thresholdPerObject: labels');
  if (labels.width !== image.width || labels.height !== image.height) {
    throw new RangeError(
      `thresholdPerObject: labels ${labels.width}x${labels.height} differ from image ${image.width}x${image.height}`,
    );
  }
  const method = options.method ?? 'otsu';
  const fn = {
    otsu: thresholdOtsu,
    li: thresholdLi,
    triangle: thresholdTriangle,
    robustBackground: thresholdRobustBackground,
  }[method];
  if (!fn)
    throw new RangeError(
      `thresholdPerObject: method must be otsu, li, triangle or robustBackground, got ${String(method)}`,
    );
  const n = image.width * image.height;
  const mask = options.mask;
  if (mask !== undefined && mask.length !== n) {
    throw new RangeError(`thresholdPerObject: mask has ${mask.length} elements but the image has ${n}`);
  }
  const lab = labels.data;
  let maxLabel = 0;
  for (let i = 0; i < n; i++) {
    const l = lab[i]!;
    if (l < 0) throw new RangeError(`thresholdPerObject: labels must be >= 0, got ${l} at pixel ${i}`);
    if (l > maxLabel) maxLabel = l;
  }
  // counting sort of pixel indices by label
  const start = new Int32Array(maxLabel + 2);
  for (let i = 0; i < n; i++) if (lab[i]! > 0 && (mask === undefined || mask[i] !== 0)) start[lab[i]! + 1]!++;
  for (let l = 1; l <= maxLabel + 1; l++) start[l]! += start[l - 1]!;
  const order = new Int32Array(start[maxLabel + 1]!);
  const fill = start.slice();
  for (let i = 0; i < n; i++)
    if (lab[i]! > 0 && (mask === undefined || mask[i] !== 0)) order[fill[lab[i]!]!++] = i;
  const integer = image.dtype !== 'float32' && image.dtype !== 'float64';
  const thresholds = new Float64Array(maxLabel + 1).fill(Number.NaN);
  const out = new Float32Array(n).fill(Number.POSITIVE_INFINITY);
  const src = image.data;
  for (let l = 1; l <= maxLabel; l++) {
    const a = start[l]!;
    const b = start[l + 1]!;
    if (a === b) continue;
    // keep integer pixels in an integer array so the histogram methods bin them one per value, as skimage does
    const values = integer ? new Int32Array(b - a) : new Float64Array(b - a);
    for (let p = a; p < b; p++) values[p - a] = src[order[p]!]!;
    const t = fn(values);
    thresholds[l] = t;
    for (let p = a; p < b; p++) out[order[p]!] = t;
  }
  return { thresholds, thresholdImage: { ...image, dtype: 'float32', data: out, bitDepth: undefined } };
}
