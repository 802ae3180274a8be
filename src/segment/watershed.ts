// Marker-controlled watershed by priority flood (Soille 1990; Beucher & Meyer 1993), the algorithm of
// skimage.segmentation.watershed (originally CellProfiler's, by Lee Kamentsky): pixels leave a binary heap
// ordered by (value, insertion age) and label their unlabelled neighbours as they are pushed, so results
// equal scikit-image's pixel for pixel. Hand-written: image-js's watershed floods differently and only on its
// own image class.
import { fromData, type Image } from '../image/image.ts';
import { checkConnectivity, checkLabels, checkSameSize, checkSingleChannel } from './check.ts';

export interface WatershedOptions {
  /** Only pixels where the mask is non-zero are flooded (markers outside it are dropped). @default all pixels */
  mask?: Image | undefined;
  /** 4 (skimage connectivity=1) or 8 (connectivity=2) neighbours. @default 4 */
  connectivity?: 4 | 8;
}

/**
 * Flood `image` (lowest values first) from the non-zero `markers`, keeping each marker's label. Pixels that no
 * marker reaches (other mask components) stay 0. NaN values are flooded last.
 */
export function watershed(image: Image, markers: Image, options: WatershedOptions = {}): Image<'uint32'> {
  const connectivity = options.connectivity ?? 4;
  checkConnectivity(connectivity, 'watershed');
  checkSingleChannel(image, 'watershed image');
  checkSameSize(image, markers, 'watershed markers');
  checkLabels(markers, 'watershed markers');
  const mask = options.mask;
  if (mask) checkSameSize(image, mask, 'watershed mask');
  const { width: w, height: h } = image;
  const n = w * h;
  const values = image.data;
  const out = new Uint32Array(n);
  const inMask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const m = mask ? mask.data[i] !== 0 : true;
    inMask[i] = m ? 1 : 0;
    if (m) out[i] = markers.data[i]!;
  }
  const heap = new WatershedHeap(1024);
  for (let i = 0; i < n; i++) if (out[i]) heap.push(valueAt(values, i), 0, i);
  // Neighbour order of skimage's raveled offsets: up, left, right, down, then the four corners.
  const dy = connectivity === 8 ? [-1, 0, 0, 1, -1, -1, 1, 1] : [-1, 0, 0, 1];
  const dx = connectivity === 8 ? [0, -1, 1, 0, -1, 1, -1, 1] : [0, -1, 1, 0];
  const nn = dy.length;
  let age = 1;
  while (heap.size > 0) {
    const index = heap.pop();
    const x = index % w;
    const y = (index - x) / w;
    const l = out[index]!;
    for (let k = 0; k < nn; k++) {
      const yy = y + dy[k]!;
      const xx = x + dx[k]!;
      if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
      const j = yy * w + xx;
      if (!inMask[j] || out[j]) continue;
      age++;
      out[j] = l;
      heap.push(valueAt(values, j), age, j);
    }
  }
  return fromData(out, w, h);
}

function valueAt(values: Image['data'], i: number): number {
  const v = values[i]!;
  return Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
}

/**
 * The binary min-heap of skimage's heap_general.pxi, with the same sift-up and sift-down steps, so items with
 * equal (value, age) (the markers) come off in the same order as in scikit-image.
 */
class WatershedHeap {
  private value: Float64Array;
  private age: Float64Array;
  private index: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.value = new Float64Array(capacity);
    this.age = new Float64Array(capacity);
    this.index = new Int32Array(capacity);
  }

  private smaller(a: number, b: number): boolean {
    const va = this.value[a]!;
    const vb = this.value[b]!;
    if (va !== vb) return va < vb;
    return this.age[a]! < this.age[b]!;
  }

  private swap(a: number, b: number): void {
    const { value, age, index } = this;
    const v = value[a]!;
    value[a] = value[b]!;
    value[b] = v;
    const g = age[a]!;
    age[a] = age[b]!;
    age[b] = g;
    const i = index[a]!;
    index[a] = index[b]!;
    index[b] = i;
  }

  push(value: number, age: number, index: number): void {
    if (this.size === this.value.length) {
      const cap = this.value.length * 2;
      const v = new Float64Array(cap);
      v.set(this.value);
      this.value = v;
      const a = new Float64Array(cap);
      a.set(this.age);
      this.age = a;
      const i = new Int32Array(cap);
      i.set(this.index);
      this.index = i;
    }
    let child = this.size++;
    this.value[child] = value;
    this.age[child] = age;
    this.index[child] = index;
    while (child > 0) {
      const parent = ((child + 1) >> 1) - 1;
      if (!this.smaller(child, parent)) break;
      this.swap(parent, child);
      child = parent;
    }
  }

  /** Remove the smallest item and return its pixel index. */
  pop(): number {
    const top = this.index[0]!;
    this.size--;
    if (this.size === 0) return top;
    this.swap(0, this.size);
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      if (l >= this.size) break;
      let smallest = i;
      if (this.smaller(l, i)) smallest = l;
      if (r < this.size && this.smaller(r, smallest)) smallest = r;
      if (smallest === i) break;
      this.swap(i, smallest);
      i = smallest;
    }
    return top;
  }
}
