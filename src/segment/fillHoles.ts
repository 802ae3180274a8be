// Hole filling: binary like scipy.ndimage.binary_fill_holes (background not 4-connected to the image edge is
// filled) and per label like CellProfiler's centrosome.cpmorphology.fill_labeled_holes (a background region
// that touches no edge and borders exactly one object takes that object's label). Hand-written: no npm
// package fills holes of label images.
import { fromData, type Image } from '../image/image.ts';
import { checkLabels, checkSingleChannel } from './check.ts';
import { label } from './label.ts';

export interface FillHolesOptions {
  /** Only holes with fewer pixels than this are filled (CellProfiler: max diameter squared). @default Infinity */
  maxHoleArea?: number;
}

/** Binary hole filling: returns a 0/1 mask in which enclosed background regions are set to 1. */
export function fillHoles(mask: Image, options: FillHolesOptions = {}): Image<'uint8'> {
  checkSingleChannel(mask, 'fillHoles');
  const n = mask.width * mask.height;
  const labels = new Uint32Array(n);
  for (let i = 0; i < n; i++) labels[i] = mask.data[i] !== 0 ? 1 : 0;
  const filled = fillLabeledHoles(fromData(labels, mask.width, mask.height), options);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = filled.data[i] ? 1 : 0;
  return fromData(out, mask.width, mask.height);
}

/**
 * Fill holes of each object of a label image: background regions (4-connected) that do not touch the image
 * edge and whose 4-neighbours all belong to one object get that object's label.
 */
export function fillLabeledHoles(labels: Image, options: FillHolesOptions = {}): Image<'uint32'> {
  checkLabels(labels, 'fillLabeledHoles');
  const maxHoleArea = options.maxHoleArea ?? Number.POSITIVE_INFINITY;
  if (!(maxHoleArea >= 0)) {
    throw new RangeError(`fillLabeledHoles: maxHoleArea must be >= 0, got ${maxHoleArea}`);
  }
  const { width: w, height: h } = labels;
  const n = w * h;
  const src = labels.data;
  const out = new Uint32Array(n);
  const background = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = src[i]!;
    background[i] = src[i] === 0 ? 1 : 0;
  }
  const holes = label(fromData(background, w, h), { connectivity: 4 }).data;
  let count = 0;
  for (let i = 0; i < n; i++) if (holes[i]! > count) count = holes[i]!;
  // owner[k]: 0 unseen, the single bordering label, or -1 when it touches the edge or two labels.
  const owner = new Float64Array(count + 1);
  const area = new Float64Array(count + 1);
  const claim = (k: number, l: number): void => {
    const o = owner[k]!;
    if (o === 0) owner[k] = l;
    else if (o !== l) owner[k] = -1;
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const k = holes[i]!;
      if (!k) continue;
      area[k]!++;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) {
        owner[k] = -1;
        continue;
      }
      for (const j of [i - w, i - 1, i + 1, i + w]) {
        const l = src[j]!;
        if (l) claim(k, l);
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const k = holes[i]!;
    if (k && owner[k]! > 0 && area[k]! < maxHoleArea) out[i] = owner[k]!;
  }
  return fromData(out, w, h);
}
