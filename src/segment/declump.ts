// Declumping of touching objects by marker-controlled watershed, after CellProfiler's IdentifyPrimaryObjects
// (cellprofiler/modules/identifyprimaryobjects.py, separate_neighboring_objects): markers are the local maxima
// of the smoothed intensity ('intensity') or of the distance to the background ('shape') inside each object,
// closer maxima than a minimum distance suppressed; the clump is then split by watershed on the inverted
// intensity or distance.
import { gaussian } from '../filter/gaussian.ts';
import { fromData, type Image } from '../image/image.ts';
import { checkLabels, checkSameSize } from './check.ts';
import { distanceTransform } from './distanceTransform.ts';
import { label } from './label.ts';
import { peakLocalMax } from './peakLocalMax.ts';
import { watershed } from './watershed.ts';

export type DeclumpMethod = 'shape' | 'intensity' | 'none';

export interface DeclumpOptions {
  /**
   * 'shape': maxima of the distance transform (round objects); 'intensity': maxima of the smoothed image
   * (objects brighter in the middle); 'none': return the labels unchanged. @default 'shape'
   */
  method?: DeclumpMethod;
  /**
   * Gaussian sigma (pixels) applied to the intensity image ('intensity') or the distance map ('shape') before
   * maxima are found; CellProfiler's "size of smoothing filter" is 2.35 times this. 0 disables it.
   * @default 1
   */
  smoothing?: number;
  /** Maxima closer than this (Chebyshev, pixels) to a higher one are suppressed. @default 5 */
  minDistance?: number;
  /**
   * Maxima must rise at least this much above the object's lowest value of the map used (distance in
   * pixels for 'shape', intensity units for 'intensity'). @default 0
   */
  minHeight?: number;
}

/**
 * Split clumped objects of `labels` (from thresholding) into one object per marker. `image` is the intensity
 * image (used by 'intensity'). Objects without a maximum are kept whole. Output labels are 1..n, numbered
 * in the order of the markers (highest first), then the markerless objects.
 */
export function declump(image: Image, labels: Image, options: DeclumpOptions = {}): Image<'uint32'> {
  const method = options.method ?? 'shape';
  const smoothing = options.smoothing ?? 1;
  const minDistance = options.minDistance ?? 5;
  const minHeight = options.minHeight ?? 0;
  checkLabels(labels, 'declump labels');
  checkSameSize(labels, image, 'declump image');
  if (!['shape', 'intensity', 'none'].includes(method)) {
    throw new RangeError(`declump: method must be 'shape', 'intensity' or 'none', got '${method}'`);
  }
  if (!(smoothing >= 0)) throw new RangeError(`declump: smoothing must be >= 0, got ${smoothing}`);
  if (!(minDistance >= 0)) throw new RangeError(`declump: minDistance must be >= 0, got ${minDistance}`);
  const { width: w, height: h } = labels;
  const n = w * h;
  if (method === 'none') return fromData(Uint32Array.from(labels.data), w, h);
  // The map whose maxima are markers and whose inverse is flooded.
  let map: Float64Array;
  if (method === 'shape') {
    map = distanceTransform(labels).data;
  } else {
    map = new Float64Array(n);
    const src = image.data;
    for (let i = 0; i < n; i++) map[i] = Number.isNaN(src[i]!) ? 0 : src[i]!;
  }
  if (smoothing > 0) {
    const smoothed = gaussian(fromData(map, w, h), { sigma: smoothing }).data;
    for (let i = 0; i < n; i++) map[i] = labels.data[i] ? smoothed[i]! : 0;
  }
  // Per object minimum, for the height test.
  const ld = labels.data;
  const objMin = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const l = ld[i]!;
    if (!l) continue;
    const m = objMin.get(l);
    if (m === undefined || map[i]! < m) objMin.set(l, map[i]!);
  }
  const peaks = peakLocalMax(fromData(map, w, h), {
    minDistance: Math.max(0, Math.round(minDistance)),
    labels,
    excludeBorder: false,
    thresholdAbs: Number.NEGATIVE_INFINITY,
  });
  const markers = new Uint32Array(n);
  let count = 0;
  for (const p of peaks) {
    if (map[p]! - objMin.get(ld[p]!)! < minHeight) continue;
    markers[p] = ++count;
  }
  const inverted = new Float64Array(n);
  for (let i = 0; i < n; i++) inverted[i] = -map[i]!;
  const out = watershed(fromData(inverted, w, h), fromData(markers, w, h), {
    mask: labels,
    connectivity: 8,
  }).data;
  // Objects that got no marker (too small or flat) are kept whole under new labels.
  const rest = new Uint8Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (ld[i] && !out[i]) {
      rest[i] = 1;
      any = true;
    }
  }
  if (any) {
    const restLabels = label(fromData(rest, w, h), { connectivity: 8 }).data;
    for (let i = 0; i < n; i++) if (restLabels[i]) out[i] = count + restLabels[i]!;
  }
  return fromData(out, w, h);
}
