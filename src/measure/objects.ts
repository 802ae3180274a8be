/**
 * An index of the objects in a label image: for each label value, its pixels (grouped by a counting sort, in
 * raster order) and bounding box. Built once per label image in O(pixels) and shared by every feature family.
 */
import type { LabelImage } from '../image/image.ts';

export interface ObjectIndex {
  readonly width: number;
  readonly height: number;
  /** Number of objects (distinct non-zero labels present). */
  readonly count: number;
  /** Label value of object i, ascending. */
  readonly labels: Uint32Array;
  /** Pixel count of object i. */
  readonly area: Uint32Array;
  /** Bounding box of object i: [xMin, yMin, xMax, yMax] at 4*i, max exclusive. */
  readonly bbox: Int32Array;
  /** Pixel indices (y * width + x) of all objects; object i's are `pixels[offsets[i] .. offsets[i + 1])`, raster order. */
  readonly pixels: Uint32Array;
  readonly offsets: Uint32Array;
  /** Position of each label value in `labels` (-1 when absent), indexed by label value. */
  readonly indexOfLabel: Int32Array;
}

/** Index the objects of a single-channel label image. Negative labels are a RangeError. */
export function indexObjects(labels: LabelImage): ObjectIndex {
  if (labels.channels !== 1) throw new RangeError(`label image must have 1 channel, got ${labels.channels}`);
  const { width, height } = labels;
  const data = labels.data;
  const n = width * height;
  let maxLabel = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    if (v < 0) throw new RangeError(`label image contains a negative label ${v} at pixel ${i}`);
    if (v > maxLabel) maxLabel = v;
  }
  const counts = new Uint32Array(maxLabel + 1);
  for (let i = 0; i < n; i++) counts[data[i]!]!++;
  const indexOfLabel = new Int32Array(maxLabel + 1).fill(-1);
  let count = 0;
  for (let v = 1; v <= maxLabel; v++) if (counts[v]! > 0) indexOfLabel[v] = count++;
  const labelsOut = new Uint32Array(count);
  const area = new Uint32Array(count);
  const offsets = new Uint32Array(count + 1);
  for (let v = 1; v <= maxLabel; v++) {
    const k = indexOfLabel[v]!;
    if (k >= 0) {
      labelsOut[k] = v;
      area[k] = counts[v]!;
      offsets[k + 1] = offsets[k]! + counts[v]!;
    }
  }
  const pixels = new Uint32Array(offsets[count]!);
  const cursor = offsets.slice(0, count);
  const bbox = new Int32Array(4 * count);
  for (let k = 0; k < count; k++) {
    bbox[4 * k] = width;
    bbox[4 * k + 1] = height;
    bbox[4 * k + 2] = -1;
    bbox[4 * k + 3] = -1;
  }
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const v = data[i]!;
      if (v === 0) continue;
      const k = indexOfLabel[v]!;
      pixels[cursor[k]!++] = i;
      const b = 4 * k;
      if (x < bbox[b]!) bbox[b] = x;
      if (y < bbox[b + 1]!) bbox[b + 1] = y;
      if (x >= bbox[b + 2]!) bbox[b + 2] = x + 1;
      if (y >= bbox[b + 3]!) bbox[b + 3] = y + 1;
    }
  }
  return { width, height, count, labels: labelsOut, area, bbox, pixels, offsets, indexOfLabel };
}

/** The pixels of object i (a view into `index.pixels`). */
export function objectPixels(index: ObjectIndex, i: number): Uint32Array {
  return index.pixels.subarray(index.offsets[i]!, index.offsets[i + 1]!);
}
