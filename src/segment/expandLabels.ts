// Fixed-distance expansion of labels without overlap, as skimage.segmentation.expand_labels (and CellProfiler's
// IdentifySecondaryObjects "Distance - N/B"): every background pixel within `distance` (Euclidean) of an object
// takes the label of the nearest object pixel. Exact by search of a disc; equidistant ties go to the object
// pixel met first in raster order of the disc offsets (skimage's choice there depends on scipy's EDT).
import { fromData, type Image } from '../image/image.ts';
import { checkLabels, checkSameSize } from './check.ts';
import { distanceTransform } from './distanceTransform.ts';

export interface ExpandLabelsOptions {
  /** Only pixels where the mask is non-zero may be claimed. @default all pixels */
  mask?: Image | undefined;
}

/** Grow every object of `labels` by up to `distance` pixels into the background. */
export function expandLabels(
  labels: Image,
  distance: number,
  options: ExpandLabelsOptions = {},
): Image<'uint32'> {
  checkLabels(labels, 'expandLabels');
  if (!(distance >= 0) || !Number.isFinite(distance)) {
    throw new RangeError(`expandLabels: distance must be a finite number >= 0, got ${distance}`);
  }
  const mask = options.mask;
  if (mask) checkSameSize(labels, mask, 'expandLabels mask');
  const { width: w, height: h } = labels;
  const n = w * h;
  const src = labels.data;
  const out = Uint32Array.from(src as ArrayLike<number>);
  // Distance of each background pixel to the nearest object pixel decides which need a search.
  const bg = new Uint8Array(n);
  for (let i = 0; i < n; i++) bg[i] = src[i] ? 0 : 1;
  const d2 = distanceTransform(fromData(bg, w, h), { squared: true }).data;
  const r = Math.floor(distance);
  const offsets: [number, number, number][] = [];
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) offsets.push([dx * dx + dy * dy, dx, dy]);
  offsets.sort((a, b) => a[0] - b[0]);
  const limit = distance * distance;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (src[i] || d2[i]! > limit || (mask && !mask.data[i])) continue;
      const target = d2[i]!;
      for (const [dd, dx, dy] of offsets) {
        if (dd < target) continue;
        if (dd > target) break;
        const xx = x + dx;
        const yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
        const l = src[yy * w + xx]!;
        if (l) {
          out[i] = l;
          break;
        }
      }
    }
  }
  return fromData(out, w, h);
}
