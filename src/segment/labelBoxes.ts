// Bounding box and pixel count of every label in one raster pass, for the algorithms that work object by object
// in each object's own box (scipy.ndimage.find_objects gives the same boxes).
import type { Image } from '../image/image.ts';
import { checkLabels, maxLabel } from './check.ts';

export interface LabelBoxes {
  /** Largest label, n. */
  count: number;
  /** area[l] = pixels of label l (area[0] stays 0: the background is not counted). */
  area: Int32Array;
  /** box[4l .. 4l+3] = x0, y0, x1, y1 of label l, inclusive; -1 for absent labels. */
  box: Int32Array;
}

/** Boxes and areas of labels 1..max of a single-channel label image. */
export function labelBoxes(labels: Image): LabelBoxes {
  checkLabels(labels, 'labelBoxes');
  const { width: w, height: h } = labels;
  const ld = labels.data;
  const count = maxLabel(labels);
  const area = new Int32Array(count + 1);
  const box = new Int32Array(4 * (count + 1)).fill(-1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const l = ld[y * w + x]!;
      if (!l) continue;
      const k = 4 * l;
      area[l] = area[l]! + 1;
      if (area[l] === 1) {
        box[k] = x;
        box[k + 1] = y;
        box[k + 2] = x;
      } else {
        if (x < box[k]!) box[k] = x;
        if (x > box[k + 2]!) box[k + 2] = x;
      }
      box[k + 3] = y;
    }
  }
  return { count, area, box };
}
