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

/**
 * 0 for background (zero) pixels 4-connected to the image edge through background, 1 for every other pixel
 * (foreground and enclosed background). Flood fill from the edge with an explicit stack.
 */
function notReachableFromEdge(src: ArrayLike<number>, w: number, h: number): Uint8Array {
  const n = w * h;
  const out = new Uint8Array(n).fill(1);
  const stack = new Int32Array(n);
  let top = 0;
  const seed = (i: number): void => {
    if (out[i] && src[i] === 0) {
      out[i] = 0;
      stack[top++] = i;
    }
  };
  for (let x = 0; x < w; x++) {
    seed(x);
    seed((h - 1) * w + x);
  }
  for (let y = 0; y < h; y++) {
    seed(y * w);
    seed(y * w + w - 1);
  }
  while (top > 0) {
    const i = stack[--top]!;
    const x = i % w;
    if (x > 0) seed(i - 1);
    if (x < w - 1) seed(i + 1);
    if (i >= w) seed(i - w);
    if (i < n - w) seed(i + w);
  }
  return out;
}

/** Binary hole filling: returns a 0/1 mask in which enclosed background regions are set to 1. */
export function fillHoles(mask: Image, options: FillHolesOptions = {}): Image<'uint8'> {
  checkSingleChannel(mask, 'fillHoles');
  const maxHoleArea = options.maxHoleArea ?? Number.POSITIVE_INFINITY;
  const { width: w, height: h } = mask;
  const n = w * h;
  const src = mask.data;
  if (!(maxHoleArea >= 0)) throw new RangeError(`fillHoles: maxHoleArea must be >= 0, got ${maxHoleArea}`);
  // Background reachable from the edge (4-connected) stays background; everything else is filled.
  const out = notReachableFromEdge(src, w, h);
  if (maxHoleArea !== Number.POSITIVE_INFINITY) {
    // Holes of maxHoleArea pixels or more stay open.
    const holes = new Uint8Array(n);
    for (let i = 0; i < n; i++) holes[i] = out[i] && src[i] === 0 ? 1 : 0;
    const hl = label(fromData(holes, w, h), { connectivity: 4 }).data;
    const area = new Map<number, number>();
    for (let i = 0; i < n; i++) if (hl[i]) area.set(hl[i]!, (area.get(hl[i]!) ?? 0) + 1);
    for (let i = 0; i < n; i++) if (hl[i] && area.get(hl[i]!)! >= maxHoleArea) out[i] = 0;
  }
  return fromData(out, w, h);
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
  const out = Uint32Array.from(src as ArrayLike<number>);
  // Background reachable from the edge (4-connected) is never a hole; only the rest is labelled.
  const enclosed = notReachableFromEdge(src, w, h);
  let anyHole = false;
  for (let i = 0; i < n; i++) {
    if (enclosed[i] && src[i] === 0) anyHole = true;
    else enclosed[i] = 0;
  }
  if (!anyHole) return fromData(out, w, h);
  const holes = label(fromData(enclosed, w, h), { connectivity: 4 }).data;
  let count = 0;
  for (let i = 0; i < n; i++) if (holes[i]! > count) count = holes[i]!;
  // owner[k]: 0 unseen, the single bordering label, or -1 when it borders two labels.
  const owner = new Float64Array(count + 1);
  const area = new Float64Array(count + 1);
  const claim = (k: number, l: number): void => {
    const o = owner[k]!;
    if (o === 0) owner[k] = l;
    else if (o !== l) owner[k] = -1;
  };
  for (let i = 0; i < n; i++) {
    const k = holes[i]!;
    if (!k) continue;
    area[k]!++;
    // Enclosed pixels never lie on the image edge, so all four neighbours exist.
    const up = src[i - w]!;
    const left = src[i - 1]!;
    const right = src[i + 1]!;
    const down = src[i + w]!;
    if (up) claim(k, up);
    if (left) claim(k, left);
    if (right) claim(k, right);
    if (down) claim(k, down);
  }
  for (let i = 0; i < n; i++) {
    const k = holes[i]!;
    if (k && owner[k]! > 0 && area[k]! < maxHoleArea) out[i] = owner[k]!;
  }
  return fromData(out, w, h);
}
