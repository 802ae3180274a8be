// Declumping exactly as CellProfiler's IdentifyPrimaryObjects does it (CellProfiler/CellProfiler
// cellprofiler/modules/identifyprimaryobjects.py: smooth_image, separate_neighboring_objects, get_maxima;
// centrosome cpmorphology.is_local_maximum and strel_disk): the image is smoothed once by a Gaussian of sigma =
// filter size / 2.35 truncated at +-int(filter size / 2) pixels, with zero padding and the edge correction of
// dividing by the smoothed all-ones image; a labelled pixel is a marker when no pixel of the same object within
// a disk of radius max(1, suppression - 0.5) is brighter (ties all stay maxima; touching ones form one marker);
// the whole image is then flooded by an 8-connected watershed of 1 - intensity (or of the negative distance to
// the background) inside the foreground. declump.ts is the segment module's own variant (per-object smoothing,
// peak suppression by height, no split of small objects).
//
// Deliberate differences: CellProfiler erodes each plateau of tied maxima to one pixel (binary_shrink); here the
// whole plateau is the marker (flooding starts from all of it). For 'shape' CellProfiler adds uniform noise in
// [0, 0.001) (numpy seed 0) to the distance map to break ties; here a tie goes to the pixel earlier in raster
// order. Its "lower-resolution image to find local maxima" (minimum diameter > 10) is not reproduced: maxima are
// always found at full resolution.
import { fromData, type Image } from '../image/image.ts';
import { checkLabels, checkSameSize, checkSingleChannel } from './check.ts';
import { distanceTransform } from './distanceTransform.ts';
import { label } from './label.ts';
import { watershed } from './watershed.ts';

export interface DeclumpCellProfilerOptions {
  /**
   * Markers: local maxima of the smoothed intensity ('intensity', CellProfiler's "Intensity") or of the distance
   * to the background ('shape'). @default 'intensity'
   */
  method?: 'intensity' | 'shape';
  /**
   * Dividing lines ("Method to draw dividing lines between clumped objects"): watershed of the inverted,
   * unsmoothed intensity ('intensity') or of the negative distance to the background ('shape').
   * @default the same as `method`
   */
  lines?: 'intensity' | 'shape';
  /** "Size of smoothing filter" in pixels (intensity markers only); 0 disables smoothing. @default 10 */
  filterSize?: number;
  /** "Suppress local maxima that are closer than this minimum allowed distance", pixels. @default 7 */
  maximaSuppression?: number;
}

/** CellProfiler's smooth_image: truncated Gaussian with zero padding, divided by the smoothed all-ones image. */
export function smoothTruncated(
  values: Float64Array,
  w: number,
  h: number,
  filterSize: number,
): Float64Array {
  if (filterSize === 0) return Float64Array.from(values);
  const sigma = filterSize / 2.35;
  // int(filter_size / 2); the tiny epsilon keeps sizes like 10 / 2.35 * 2.35 from truncating one pixel short
  const half = Math.max(Math.trunc(filterSize / 2 + 1e-9), 1);
  const f = new Float64Array(2 * half + 1);
  for (let k = -half; k <= half; k++) f[k + half] = Math.exp((-0.5 * k * k) / (sigma * sigma));
  // the edge correction of the all-ones image is separable: one weight sum per row and per column
  const edge = (size: number): Float64Array => {
    const e = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      let s = 0;
      for (let k = -half; k <= half; k++) if (i + k >= 0 && i + k < size) s += f[k + half]!;
      e[i] = s;
    }
    return e;
  };
  const ey = edge(h);
  const ex = edge(w);
  const tmp = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -half; k <= half; k++) {
        const yy = y + k;
        if (yy >= 0 && yy < h) s += f[k + half]! * values[yy * w + x]!;
      }
      tmp[y * w + x] = s;
    }
  }
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -half; k <= half; k++) {
        const xx = x + k;
        if (xx >= 0 && xx < w) s += f[k + half]! * tmp[y * w + xx]!;
      }
      out[y * w + x] = s / (ey[y]! * ex[x]!);
    }
  }
  return out;
}

/**
 * Split the objects of `labels` (connected components of the thresholded foreground) into one object per marker;
 * `image` holds the intensities (CellProfiler's [0, 1] scale for identical ties). Output labels are numbered by
 * the markers in raster order of their first pixel, as CellProfiler numbers them before relabelling.
 */
export function declumpCellProfiler(
  image: Image,
  labels: Image,
  options: DeclumpCellProfilerOptions = {},
): Image<'uint32'> {
  const method = options.method ?? 'intensity';
  const lines = options.lines ?? method;
  const filterSize = options.filterSize ?? 10;
  const suppression = options.maximaSuppression ?? 7;
  checkSingleChannel(image, 'declumpCellProfiler image');
  checkLabels(labels, 'declumpCellProfiler labels');
  checkSameSize(labels, image, 'declumpCellProfiler image');
  if (method !== 'intensity' && method !== 'shape') {
    throw new RangeError(
      `declumpCellProfiler: method must be 'intensity' or 'shape', got '${String(method)}'`,
    );
  }
  if (lines !== 'intensity' && lines !== 'shape') {
    throw new RangeError(`declumpCellProfiler: lines must be 'intensity' or 'shape', got '${String(lines)}'`);
  }
  if (!(filterSize >= 0 && Number.isFinite(filterSize))) {
    throw new RangeError(`declumpCellProfiler: filterSize must be a finite number >= 0, got ${filterSize}`);
  }
  if (!(suppression >= 0 && Number.isFinite(suppression))) {
    throw new RangeError(
      `declumpCellProfiler: maximaSuppression must be a finite number >= 0, got ${suppression}`,
    );
  }
  const { width: w, height: h } = labels;
  const n = w * h;
  const ld = labels.data;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = image.data[i]!;
    values[i] = Number.isNaN(v) ? 0 : v;
  }
  const foreground = fromData(
    Uint8Array.from(ld as ArrayLike<number>, (l) => (l ? 1 : 0)),
    w,
    h,
  );
  let distance: Float64Array | undefined;
  const distanceMap = (): Float64Array => {
    distance ??= distanceTransform(foreground).data;
    return distance;
  };
  const map = method === 'intensity' ? smoothTruncated(values, w, h, filterSize) : distanceMap();
  const radius = Math.max(1, suppression - 0.5);
  const r = Math.trunc(radius);
  const offsets: [number, number][] = [];
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= radius * radius) offsets.push([dx, dy]);
  }
  const maxima = new Uint8Array(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const l = ld[i]!;
      const v = map[i]!;
      if (!l || !(v > 0)) continue;
      let isMax = true;
      for (const [dx, dy] of offsets) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
        const j = yy * w + xx;
        if (ld[j] !== l) continue;
        const u = map[j]!;
        if (u > v || (method === 'shape' && u === v && j < i)) {
          isMax = false;
          break;
        }
      }
      if (isMax) maxima[i] = 1;
    }
  }
  const markers = label(fromData(maxima, w, h), { connectivity: 8 });
  const flood = new Float64Array(n);
  if (lines === 'intensity') for (let i = 0; i < n; i++) flood[i] = 1 - values[i]!;
  else {
    const d = distanceMap();
    for (let i = 0; i < n; i++) flood[i] = -d[i]!;
  }
  return watershed(fromData(flood, w, h), markers, { mask: foreground, connectivity: 8 });
}
