// Seeded propagation of Jones, Carpenter & Golland (2005), "Voronoi-based segmentation of cells on image
// manifolds", CVBIA, LNCS 3765:535-543, as CellProfiler implements it (centrosome propagate.py/_propagate.c):
// Dijkstra from the seed labels over 8-neighbours, step cost sqrt(h^2 + manhattan * lambda^2) where h is the sum
// of absolute differences between the 3x3 neighbourhoods (edge-clamped) of the two pixels. Hand-written: no npm
// package implements it. `tieBreak: 'cellprofiler'` and `maskedSeeds: 'stay'` reproduce centrosome's own choices
// (read in centrosome _propagate.pyx / heap.pxd / propagate.py, not copied).
import { fromData, type Image } from '../image/image.ts';
import { checkLabels, checkSameSize, checkSingleChannel } from './check.ts';

export interface PropagateOptions {
  /** Pixels where the mask is zero are never labelled (seeds outside it are kept). @default all pixels */
  mask?: Image | undefined;
  /** Regularisation lambda: 0 follows image edges only, large values approach Euclidean Voronoi. @default 0.05 */
  regularization?: number;
  /**
   * Order of pixels reached at equal cost. 'insertion': the one pushed first wins. 'cellprofiler': centrosome's
   * heap order, which compares the cost without its last mantissa bit, then the smaller label, then the pixel
   * in row-major order (so equal costs go to the smaller label whatever the push order).
   * @default 'insertion'
   */
  tieBreak?: 'insertion' | 'cellprofiler';
  /**
   * Seed pixels where the mask is zero: 'grow' (they spread like the others) or 'stay' (they keep their label
   * but nothing grows from them, as in centrosome's propagate). Only matters with a `mask`. @default 'grow'
   */
  maskedSeeds?: 'grow' | 'stay';
}

export interface PropagateResult {
  labels: Image<'uint32'>;
  /** Path cost from the nearest seed (0 on seeds, Infinity where unreached). */
  distances: Image<'float64'>;
}

/** Propagate the non-zero `seeds` labels over `image` (float intensities, typically in [0, 1]). */
export function propagate(image: Image, seeds: Image, options: PropagateOptions = {}): PropagateResult {
  checkSingleChannel(image, 'propagate image');
  checkLabels(seeds, 'propagate seeds');
  checkSameSize(image, seeds, 'propagate seeds');
  const mask = options.mask;
  if (mask) checkSameSize(image, mask, 'propagate mask');
  const tieBreak = options.tieBreak ?? 'insertion';
  if (tieBreak !== 'insertion' && tieBreak !== 'cellprofiler') {
    throw new RangeError(
      `propagate: tieBreak must be 'insertion' or 'cellprofiler', got '${String(tieBreak)}'`,
    );
  }
  const maskedSeeds = options.maskedSeeds ?? 'grow';
  if (maskedSeeds !== 'grow' && maskedSeeds !== 'stay') {
    throw new RangeError(`propagate: maskedSeeds must be 'grow' or 'stay', got '${String(maskedSeeds)}'`);
  }
  const lambda = options.regularization ?? 0.05;
  if (!(lambda >= 0) || !Number.isFinite(lambda)) {
    throw new RangeError(`propagate: regularization must be a finite number >= 0, got ${lambda}`);
  }
  const { width: w, height: h } = image;
  const n = w * h;
  const img = new Float64Array(n);
  for (let i = 0; i < n; i++) img[i] = Number.isNaN(image.data[i]!) ? 0 : image.data[i]!;
  const labels = new Uint32Array(n);
  const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const done = new Uint8Array(n);
  const heap = new CostHeap(tieBreak === 'cellprofiler');
  for (let i = 0; i < n; i++) {
    const l = seeds.data[i]!;
    if (l) {
      labels[i] = l;
      dist[i] = 0;
      if (maskedSeeds === 'grow' || !mask || mask.data[i]) heap.push(0, i, l);
      // a seed that does not grow is still never entered from a neighbour
      else done[i] = 1;
    }
  }
  const fetch = (x: number, y: number): number =>
    img[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))]!;
  const lambda2 = lambda * lambda;
  while (heap.size > 0) {
    const { index, label } = heap.pop();
    if (done[index]) continue;
    done[index] = 1;
    labels[index] = label;
    // the best cost recorded for the pixel (the popped one, except at a 'cellprofiler' tie of the rounded cost)
    const cost = dist[index]!;
    const x = index % w;
    const y = (index - x) / w;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        if (!dx && !dy) continue;
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const j = ny * w + nx;
        if (done[j] || (mask && !mask.data[j])) continue;
        let diff = 0;
        for (let oy = -1; oy <= 1; oy++) {
          for (let ox = -1; ox <= 1; ox++) diff += Math.abs(fetch(x + ox, y + oy) - fetch(nx + ox, ny + oy));
        }
        const manhattan = Math.abs(dx) + Math.abs(dy);
        const c = cost + Math.sqrt(diff * diff + manhattan * lambda2);
        if (c < dist[j]!) {
          dist[j] = c;
          heap.push(c, j, label);
        }
      }
    }
  }
  return { labels: fromData(labels, w, h), distances: fromData(dist, w, h) };
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** A non-negative cost without its last mantissa bit: centrosome's heap keeps 63 of the 64 bits. */
function dropLastBit(cost: number): number {
  bits[0] = cost;
  words[0] = words[0]! & ~1;
  return bits[0]!;
}

/**
 * Binary min-heap of (cost, pixel, label). Ties by insertion order, or (`cellprofiler`) the cost less its last
 * bit, then label, then pixel: a total order, so the result does not depend on the heap's own layout.
 */
class CostHeap {
  private cost: number[] = [];
  private order: number[] = [];
  private index: number[] = [];
  private label: number[] = [];
  private counter = 0;
  size = 0;

  constructor(private readonly cellprofiler: boolean) {}

  private less(a: number, b: number): boolean {
    const ca = this.cost[a]!;
    const cb = this.cost[b]!;
    if (ca !== cb) return ca < cb;
    if (!this.cellprofiler) return this.order[a]! < this.order[b]!;
    const la = this.label[a]!;
    const lb = this.label[b]!;
    return la < lb || (la === lb && this.index[a]! < this.index[b]!);
  }

  private swap(a: number, b: number): void {
    for (const arr of [this.cost, this.order, this.index, this.label]) {
      const t = arr[a]!;
      arr[a] = arr[b]!;
      arr[b] = t;
    }
  }

  push(cost: number, index: number, label: number): void {
    let i = this.size++;
    this.cost[i] = this.cellprofiler ? dropLastBit(cost) : cost;
    this.order[i] = this.counter++;
    this.index[i] = index;
    this.label[i] = label;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): { index: number; label: number } {
    const top = { index: this.index[0]!, label: this.label[0]! };
    this.size--;
    if (this.size > 0) {
      this.swap(0, this.size);
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
}
