// Propagation of seed labels by shortest paths (Jones, Carpenter & Golland 2005, "Voronoi-based segmentation of
// cells on image manifolds", CVBIA; CellProfiler's IdentifySecondaryObjects 'Propagation' through
// centrosome.propagate): the step between neighbouring pixels p and q costs
// sqrt(D^2 + lambda^2 * manhattan(p, q)), D = sum over the 3x3 window of |I(p + k) - I(q + k)|, and each pixel in
// the mask takes the label of the seed with the cheapest path (Dijkstra over 8 neighbours). Hand-written: no npm
// package implements it; the binary heap is the same as the segment module's watershed uses in spirit.
import { fromData, type Image } from '../image/image.ts';

export interface PropagateOptions {
  /** Only pixels where the mask is non-zero receive labels. @default all pixels */
  mask?: Uint8Array | undefined;
  /** lambda: weight of the pixel distance against intensity differences (CellProfiler's regularization). @default 0.05 */
  regularization?: number;
}

/** Min-heap of (cost, pixel) pairs with insertion order breaking ties. */
class Heap {
  private cost = new Float64Array(1024);
  private pixel = new Int32Array(1024);
  private age = new Float64Array(1024);
  private size = 0;
  private counter = 0;

  get length(): number {
    return this.size;
  }

  private less(a: number, b: number): boolean {
    return this.cost[a]! < this.cost[b]! || (this.cost[a] === this.cost[b] && this.age[a]! < this.age[b]!);
  }

  private swap(a: number, b: number): void {
    const c = this.cost[a]!;
    this.cost[a] = this.cost[b]!;
    this.cost[b] = c;
    const p = this.pixel[a]!;
    this.pixel[a] = this.pixel[b]!;
    this.pixel[b] = p;
    const g = this.age[a]!;
    this.age[a] = this.age[b]!;
    this.age[b] = g;
  }

  push(cost: number, pixel: number): void {
    if (this.size === this.cost.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T) => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.cost = grow(this.cost, (n) => new Float64Array(n));
      this.pixel = grow(this.pixel, (n) => new Int32Array(n));
      this.age = grow(this.age, (n) => new Float64Array(n));
    }
    let i = this.size++;
    this.cost[i] = cost;
    this.pixel[i] = pixel;
    this.age[i] = this.counter++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Remove the cheapest entry; returns its pixel (its cost is left in `lastCost`). */
  pop(): number {
    const top = this.pixel[0]!;
    this.lastCost = this.cost[0]!;
    this.size--;
    if (this.size > 0) {
      this.cost[0] = this.cost[this.size]!;
      this.pixel[0] = this.pixel[this.size]!;
      this.age[0] = this.age[this.size]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.size && this.less(l, m)) m = l;
        if (r < this.size && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }

  lastCost = 0;
}

/**
 * Propagate the non-zero labels of `seeds` over `image` (single channel, any type; values used as they are) within
 * the mask. Seeds outside the mask keep their label. Returns the labels and each pixel's path cost (Infinity
 * where unreached).
 */
export function propagate(
  image: Image,
  seeds: Image,
  options: PropagateOptions = {},
): { labels: Image<'uint32'>; distances: Float64Array } {
  const { width: w, height: h } = image;
  if (image.channels !== 1)
    throw new RangeError(`propagate: image must have 1 channel, got ${image.channels}`);
  if (seeds.width !== w || seeds.height !== h) {
    throw new RangeError(`propagate: seeds are ${seeds.width}x${seeds.height} but the image is ${w}x${h}`);
  }
  const n = w * h;
  const mask = options.mask;
  if (mask && mask.length !== n)
    throw new RangeError(`propagate: mask has ${mask.length} pixels, expected ${n}`);
  const lambda = options.regularization ?? 0.05;
  if (!(lambda >= 0)) throw new RangeError(`propagate: regularization must be >= 0, got ${lambda}`);
  const lambda2 = lambda * lambda;
  const img = image.data;
  const labels = new Uint32Array(n);
  const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const done = new Uint8Array(n);
  const heap = new Heap();
  for (let i = 0; i < n; i++) {
    const s = seeds.data[i]!;
    if (s !== 0) {
      labels[i] = s;
      dist[i] = 0;
      heap.push(0, i);
    }
  }
  const value = (x: number, y: number) =>
    img[(y < 0 ? 0 : y >= h ? h - 1 : y) * w + (x < 0 ? 0 : x >= w ? w - 1 : x)]!;
  while (heap.length > 0) {
    const p = heap.pop();
    const cost = heap.lastCost;
    if (done[p] || cost > dist[p]!) continue;
    done[p] = 1;
    const px = p % w;
    const py = (p - px) / w;
    for (let dy = -1; dy <= 1; dy++) {
      const qy = py + dy;
      if (qy < 0 || qy >= h) continue;
      for (let dx = -1; dx <= 1; dx++) {
        if (dx === 0 && dy === 0) continue;
        const qx = px + dx;
        if (qx < 0 || qx >= w) continue;
        const q = qy * w + qx;
        if (done[q] || (mask && !mask[q])) continue;
        let diff = 0;
        for (let ky = -1; ky <= 1; ky++) {
          for (let kx = -1; kx <= 1; kx++)
            diff += Math.abs(value(px + kx, py + ky) - value(qx + kx, qy + ky));
        }
        const step = Math.sqrt(diff * diff + lambda2 * (Math.abs(dx) + Math.abs(dy)));
        const next = cost + step;
        if (next < dist[q]!) {
          dist[q] = next;
          labels[q] = labels[p]!;
          heap.push(next, q);
        }
      }
    }
  }
  return { labels: fromData(labels, w, h), distances: dist };
}
