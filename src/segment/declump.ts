// Declumping of touching objects by marker-controlled watershed, after CellProfiler's IdentifyPrimaryObjects
// (cellprofiler/modules/identifyprimaryobjects.py, separate_neighboring_objects): markers are the local maxima
// of the smoothed intensity ('intensity') or of the distance to the background ('shape') inside each object,
// closer maxima than a minimum distance suppressed; the clump is then split by watershed on the inverted
// intensity or distance.
import { gaussian } from '../filter/gaussian.ts';
import { fromData, type Image } from '../image/image.ts';
import { checkLabels, checkSameSize } from './check.ts';
import { distanceTransform } from './distanceTransform.ts';
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
  /**
   * Objects with fewer pixels than this are not split (each part would fall below the smallest object kept);
   * IdentifyPrimaryObjects passes 2 x the area of its minimum diameter. @default 0
   */
  minSplitArea?: number;
}

/**
 * Split clumped objects of `labels` (from thresholding) into one object per marker. `image` is the intensity
 * image (used by 'intensity'). Objects with fewer than two maxima are kept whole. Output labels are 1..n,
 * object by object in increasing input label, the parts of a split object in decreasing height of their maxima.
 */
export function declump(image: Image, labels: Image, options: DeclumpOptions = {}): Image<'uint32'> {
  const method = options.method ?? 'shape';
  const smoothing = options.smoothing ?? 1;
  const minDistance = options.minDistance ?? 5;
  const minHeight = options.minHeight ?? 0;
  const minSplitArea = options.minSplitArea ?? 0;
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
  const ld = labels.data;
  // Each object is split on its own, in its bounding box padded by the smoothing reach: work scales with the
  // foreground, not the image.
  const boxes = new Map<number, [number, number, number, number]>();
  const areas = new Map<number, number>();
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const l = ld[y * w + x]!;
      if (!l) continue;
      areas.set(l, (areas.get(l) ?? 0) + 1);
      const b = boxes.get(l);
      if (!b) boxes.set(l, [x, y, x, y]);
      else {
        if (x < b[0]) b[0] = x;
        if (x > b[2]) b[2] = x;
        if (y > b[3]) b[3] = y;
      }
    }
  }
  const pad = smoothing > 0 ? Math.ceil(4 * smoothing) + 1 : 1;
  const md = Math.max(0, Math.round(minDistance));
  const out = new Uint32Array(n);
  let count = 0;
  for (const l of [...boxes.keys()].sort((p, q) => p - q)) {
    const [bx0, by0, bx1, by1] = boxes.get(l)!;
    if (areas.get(l)! < minSplitArea) {
      count++;
      for (let y = by0; y <= by1; y++)
        for (let x = bx0; x <= bx1; x++) if (ld[y * w + x] === l) out[y * w + x] = count;
      continue;
    }
    const x0 = Math.max(0, bx0 - pad);
    const y0 = Math.max(0, by0 - pad);
    const cw = Math.min(w - 1, bx1 + pad) - x0 + 1;
    const ch = Math.min(h - 1, by1 + pad) - y0 + 1;
    const cn = cw * ch;
    const inside = new Uint8Array(cn);
    let area = 0;
    for (let y = 0; y < ch; y++) {
      const row = (y + y0) * w + x0;
      for (let x = 0; x < cw; x++) {
        if (ld[row + x] === l) {
          inside[y * cw + x] = 1;
          area++;
        }
      }
    }
    // The map whose maxima are markers and whose inverse is flooded.
    let map: Float64Array;
    if (method === 'shape') {
      map = distanceTransform(fromData(inside, cw, ch)).data;
    } else {
      map = new Float64Array(cn);
      const src = image.data;
      for (let y = 0; y < ch; y++) {
        for (let x = 0; x < cw; x++) {
          const v = src[(y + y0) * w + x0 + x]!;
          map[y * cw + x] = Number.isNaN(v) ? 0 : v;
        }
      }
    }
    if (smoothing > 0) {
      const smoothed = gaussian(fromData(map, cw, ch), { sigma: smoothing }).data;
      for (let i = 0; i < cn; i++) map[i] = inside[i] ? smoothed[i]! : 0;
    }
    let lowest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < cn; i++) if (inside[i] && map[i]! < lowest) lowest = map[i]!;
    const peaks = peakLocalMax(fromData(map, cw, ch), {
      minDistance: md,
      labels: fromData(inside, cw, ch),
      excludeBorder: false,
      thresholdAbs: Number.NEGATIVE_INFINITY,
    });
    const markers = new Uint32Array(cn);
    let k = 0;
    for (const p of peaks) if (map[p]! - lowest >= minHeight) markers[p] = ++k;
    if (k <= 1 || area < 2) {
      // No split: the object stays whole.
      count++;
      for (let y = 0; y < ch; y++) {
        for (let x = 0; x < cw; x++) if (inside[y * cw + x]) out[(y + y0) * w + x0 + x] = count;
      }
      continue;
    }
    for (let i = 0; i < cn; i++) map[i] = -map[i]!;
    const split = watershed(fromData(map, cw, ch), fromData(markers, cw, ch), {
      mask: fromData(inside, cw, ch),
      connectivity: 8,
    }).data;
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const i = y * cw + x;
        if (inside[i]) out[(y + y0) * w + x0 + x] = count + split[i]!;
      }
    }
    count += k;
  }
  return fromData(out, w, h);
}
