// Object filters of CellProfiler's IdentifyPrimaryObjects (filter_on_size, filter_on_border) and
// skimage.segmentation.clear_border: remove objects by pixel area / equivalent diameter, or touching the edge.
import { fromData, type Image } from '../image/image.ts';
import { checkLabels, maxLabel } from './check.ts';

/** Pixel count of every label 0..max (index = label). */
export function labelAreas(labels: Image): Float64Array {
  const areas = new Float64Array(maxLabel(labels) + 1);
  const d = labels.data;
  for (let i = 0; i < d.length; i++) areas[d[i]!]!++;
  return areas;
}

/** Labels image with the objects for which `keep(label)` is false set to 0. */
export function keepLabels(labels: Image, keep: (label: number) => boolean): Image<'uint32'> {
  checkLabels(labels, 'keepLabels');
  const max = maxLabel(labels);
  const table = new Uint8Array(max + 1);
  for (let l = 1; l <= max; l++) table[l] = keep(l) ? 1 : 0;
  const src = labels.data;
  const out = new Uint32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const l = src[i]!;
    out[i] = table[l] ? l : 0;
  }
  return fromData(out, labels.width, labels.height);
}

export interface SizeFilterOptions {
  /** Smallest equivalent diameter kept, in pixels (area >= pi (d/2)^2, as CellProfiler). @default 0 */
  minDiameter?: number;
  /** Largest equivalent diameter kept, in pixels. @default Infinity */
  maxDiameter?: number;
}

/** Remove objects whose area lies outside [pi (min/2)^2, pi (max/2)^2] like CellProfiler's filter_on_size. */
export function filterBySize(labels: Image, options: SizeFilterOptions = {}): Image<'uint32'> {
  const minD = options.minDiameter ?? 0;
  const maxD = options.maxDiameter ?? Number.POSITIVE_INFINITY;
  if (!(minD >= 0) || !(maxD >= minD)) {
    throw new RangeError(`filterBySize: need 0 <= minDiameter <= maxDiameter, got ${minD}, ${maxD}`);
  }
  const areas = labelAreas(labels);
  const minArea = Math.PI * (minD / 2) ** 2;
  const maxArea = Math.PI * (maxD / 2) ** 2;
  return keepLabels(labels, (l) => areas[l]! >= minArea && areas[l]! <= maxArea);
}

/** Remove every object with a pixel on the image edge (skimage clear_border with buffer 0). */
export function clearBorder(labels: Image): Image<'uint32'> {
  checkLabels(labels, 'clearBorder');
  const { width: w, height: h } = labels;
  const touching = new Set<number>();
  const d = labels.data;
  for (let x = 0; x < w; x++) {
    touching.add(d[x]!);
    touching.add(d[(h - 1) * w + x]!);
  }
  for (let y = 0; y < h; y++) {
    touching.add(d[y * w]!);
    touching.add(d[y * w + w - 1]!);
  }
  return keepLabels(labels, (l) => !touching.has(l));
}
