// Radial intensity distribution as CellProfiler's MeasureObjectIntensityDistribution computes it (CellProfiler/
// CellProfiler, cellprofiler_library/functions: assign_centers_automatically, assign_centers_using_centering_objects,
// get_normalized_distance, get_bin_measurements, get_radial_cv): centre = the pixel farthest from the edge (or the
// centres/edges of other objects), distance from it by centrosome.propagate (8-connected geodesic steps of 1 and
// sqrt 2), normalised by centre + edge distance, then per ring the intensity fraction, mean fraction and the CV over
// 8 wedges. EDT from src/segment.
import { fromData, type Image, type LabelImage } from '../image/image.ts';
import { distanceTransform } from '../segment/distanceTransform.ts';
import { indexObjects, type ObjectIndex } from './objects.ts';
import { checkChannelName, type FeatureSet, type FeatureSpec } from './types.ts';

export interface RadialDistributionOptions {
  /** Channel name in feature names, e.g. 'DNA'. */
  channelName: string;
  /** Number of rings. @default 4 */
  binCount?: number;
  /**
   * Scale each pixel's distance by its centre-to-edge distance (rings of equal relative width), as CellProfiler's
   * default; when false, rings are `maximumRadius / binCount` pixels wide and an Overflow ring collects the rest.
   * @default true
   */
  scaled?: boolean;
  /** Radius covered by the rings when `scaled` is false, in pixels. @default 100 */
  maximumRadius?: number;
  /**
   * Centring objects (e.g. nuclei when measuring cells), same size as the labels: distances are measured from their
   * rounded centroids ('centers', CellProfiler's "Centers of other objects") or from their pixels, which are then
   * left out ('edges', "Edges of other objects"). Without them each object's own farthest-from-edge pixel is its
   * centre ("These objects"). @default undefined
   */
  centers?: LabelImage | undefined;
  /** How `centers` are used. @default 'centers' */
  centerChoice?: 'centers' | 'edges';
}

interface Resolved {
  channel: string;
  bins: number;
  scaled: boolean;
  maxRadius: number;
}

function resolve(options: RadialDistributionOptions): Resolved {
  checkChannelName('radialDistribution', 'channelName', options.channelName);
  const bins = options.binCount ?? 4;
  if (!Number.isInteger(bins) || bins < 1 || bins > 1000) {
    throw new RangeError(`radialDistribution: binCount must be an integer in 1..1000, got ${bins}`);
  }
  const maxRadius = options.maximumRadius ?? 100;
  if (!(maxRadius > 0))
    throw new RangeError(`radialDistribution: maximumRadius must be positive, got ${maxRadius}`);
  return { channel: options.channelName, bins, scaled: options.scaled ?? true, maxRadius };
}

/** Columns in CellProfiler's order: for each ring, FracAtD, MeanFrac, RadialCV (then Overflow when unscaled). */
export function radialDistributionSchema(options: RadialDistributionOptions): FeatureSpec[] {
  const r = resolve(options);
  const specs: FeatureSpec[] = [];
  const rings = r.bins + (r.scaled ? 0 : 1);
  for (let b = 0; b < rings; b++) {
    const suffix = b < r.bins ? `${r.channel}_${b + 1}of${r.bins}` : `${r.channel}_Overflow`;
    specs.push(
      {
        name: `RadialDistribution_FracAtD_${suffix}`,
        type: 'float',
        unit: '',
        description: 'fraction of the intensity in the ring',
      },
      {
        name: `RadialDistribution_MeanFrac_${suffix}`,
        type: 'float',
        unit: '',
        description: "ring's intensity fraction / its pixel fraction",
      },
      {
        name: `RadialDistribution_RadialCV_${suffix}`,
        type: 'float',
        unit: '',
        description: 'coefficient of variation of the mean intensity over 8 wedges of the ring',
      },
    );
  }
  return specs;
}

/** Minimal binary min-heap of (key, node). */
class Heap {
  keys = new Float64Array(64);
  nodes = new Int32Array(64);
  size = 0;
  /** Key of the last popped entry. */
  lastKey = 0;
  push(key: number, node: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2);
      k.set(this.keys);
      this.keys = k;
      const n = new Int32Array(this.size * 2);
      n.set(this.nodes);
      this.nodes = n;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.keys[i] = this.keys[parent]!;
      this.nodes[i] = this.nodes[parent]!;
      i = parent;
    }
    this.keys[i] = key;
    this.nodes[i] = node;
  }
  /** Remove the minimum; returns its node (its key in `lastKey`). */
  pop(): number {
    const node = this.nodes[0]!;
    this.lastKey = this.keys[0]!;
    const key = this.keys[--this.size]!;
    const last = this.nodes[this.size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.keys[child + 1]! < this.keys[child]!) child++;
      if (this.keys[child]! >= key) break;
      this.keys[i] = this.keys[child]!;
      this.nodes[i] = this.nodes[child]!;
      i = child;
    }
    this.keys[i] = key;
    this.nodes[i] = last;
    return node;
  }
}

const STEP_DY = [-1, -1, -1, 0, 0, 1, 1, 1];
const STEP_DX = [-1, 0, 1, -1, 1, -1, 0, 1];
const STEP_COST = STEP_DY.map((dy, k) => Math.sqrt(Math.abs(dy) + Math.abs(STEP_DX[k]!)));

/** Per object pixel (indexed like `index.pixels`): whether measured, distances, and its centre (row, column). */
interface Geometry {
  good: Uint8Array;
  fromCentre: Float64Array;
  toEdge: Float64Array;
  centreY: Int32Array;
  centreX: Int32Array;
}

/** The object's crop: bounding box plus a one-pixel ring where the image has one, with the object's mask. */
function crop(lab: ArrayLike<number>, W: number, H: number, index: ObjectIndex, o: number) {
  const label = index.labels[o]!;
  const x0 = Math.max(0, index.bbox[4 * o]! - 1);
  const y0 = Math.max(0, index.bbox[4 * o + 1]! - 1);
  const x1 = Math.min(W, index.bbox[4 * o + 2]! + 1);
  const y1 = Math.min(H, index.bbox[4 * o + 3]! + 1);
  const cw = x1 - x0;
  const ch = y1 - y0;
  const mask = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) mask[y * cw + x] = lab[(y + y0) * W + x + x0] === label ? 1 : 0;
  }
  return { x0, y0, cw, ch, mask };
}

/** Distance of every object pixel to the nearest pixel outside its object (scipy's EDT per object). */
function edgeDistances(lab: ArrayLike<number>, W: number, H: number, index: ObjectIndex): Float64Array {
  const toEdge = new Float64Array(index.pixels.length);
  for (let o = 0; o < index.count; o++) {
    const { x0, y0, cw, ch, mask } = crop(lab, W, H, index, o);
    const d = distanceTransform(fromData(mask, cw, ch)).data;
    for (let k = index.offsets[o]!; k < index.offsets[o + 1]!; k++) {
      const p = index.pixels[k]!;
      const y = (p / W) | 0;
      toEdge[k] = d[(y - y0) * cw + p - y * W - x0]!;
    }
  }
  return toEdge;
}

/** "These objects": each object's last farthest-from-edge pixel, geodesic distance within the object. */
function ownCentres(lab: ArrayLike<number>, W: number, H: number, index: ObjectIndex, g: Geometry): void {
  const heap = new Heap();
  for (let o = 0; o < index.count; o++) {
    const { x0, y0, cw, ch, mask } = crop(lab, W, H, index, o);
    const local = new Int32Array(cw * ch).fill(-1);
    let centre = -1;
    let best = Number.NEGATIVE_INFINITY;
    for (let k = index.offsets[o]!; k < index.offsets[o + 1]!; k++) {
      const p = index.pixels[k]!;
      const y = (p / W) | 0;
      const c = (y - y0) * cw + p - y * W - x0;
      local[c] = k;
      // pixels run in raster order: >= keeps the last maximum
      if (g.toEdge[k]! >= best) {
        best = g.toEdge[k]!;
        centre = c;
      }
    }
    const dist = new Float64Array(cw * ch).fill(-1);
    const done = new Uint8Array(cw * ch);
    dist[centre] = 0;
    heap.size = 0;
    heap.push(0, centre);
    while (heap.size > 0) {
      const p = heap.pop();
      if (done[p] === 1) continue;
      done[p] = 1;
      const d0 = heap.lastKey;
      const py = (p / cw) | 0;
      const px = p - py * cw;
      for (let s = 0; s < 8; s++) {
        const qy = py + STEP_DY[s]!;
        const qx = px + STEP_DX[s]!;
        if (qy < 0 || qy >= ch || qx < 0 || qx >= cw) continue;
        const q = qy * cw + qx;
        if (mask[q] === 0 || done[q] === 1) continue;
        const d = STEP_COST[s]! + d0;
        if (dist[q] === -1 || dist[q]! > d) {
          dist[q] = d;
          heap.push(d, q);
        }
      }
    }
    const cy = ((centre / cw) | 0) + y0;
    const cx = (centre % cw) + x0;
    for (let c = 0; c < mask.length; c++) {
      const k = local[c]!;
      if (k < 0 || done[c] === 0) continue;
      g.good[k] = 1;
      g.fromCentre[k] = dist[c]!;
      g.centreY[k] = cy;
      g.centreX[k] = cx;
    }
  }
}

/**
 * "Centers/Edges of other objects": propagation over all objects at once from the centring objects' rounded
 * centroids (or all their pixels); object pixels no centre reaches take the centre nearest to their object's
 * centroid, at straight-line distance.
 */
function otherCentres(
  W: number,
  H: number,
  index: ObjectIndex,
  centers: LabelImage,
  edges: boolean,
  g: Geometry,
): void {
  const cIndex = indexObjects(centers);
  const cl = centers.data;
  // Rounded centroids of the centring objects, (mean + 0.5) truncated as CellProfiler does.
  const ci = new Int32Array(cIndex.count);
  const cj = new Int32Array(cIndex.count);
  for (let c = 0; c < cIndex.count; c++) {
    let sy = 0;
    let sx = 0;
    for (let k = cIndex.offsets[c]!; k < cIndex.offsets[c + 1]!; k++) {
      const p = cIndex.pixels[k]!;
      const y = (p / W) | 0;
      sy += y;
      sx += p - y * W;
    }
    ci[c] = Math.trunc(sy / cIndex.area[c]! + 0.5);
    cj[c] = Math.trunc(sx / cIndex.area[c]! + 0.5);
  }
  const kOf = new Int32Array(W * H).fill(-1);
  for (let k = 0; k < index.pixels.length; k++) kOf[index.pixels[k]!] = k;
  const owner = new Int32Array(index.pixels.length).fill(-1); // centre number (position in cIndex)
  const dist = new Float64Array(index.pixels.length).fill(-1);
  const done = new Uint8Array(index.pixels.length);
  const heap = new Heap();
  const seed = (p: number, c: number) => {
    const k = kOf[p]!;
    if (k < 0) return;
    dist[k] = 0;
    owner[k] = c;
    heap.push(0, k);
  };
  for (let c = 0; c < cIndex.count; c++) {
    if (edges) {
      for (let k = cIndex.offsets[c]!; k < cIndex.offsets[c + 1]!; k++) seed(cIndex.pixels[k]!, c);
    } else {
      seed(ci[c]! * W + cj[c]!, c);
    }
  }
  while (heap.size > 0) {
    const k = heap.pop();
    if (done[k] === 1) continue;
    done[k] = 1;
    const d0 = heap.lastKey;
    const p = index.pixels[k]!;
    const py = (p / W) | 0;
    const px = p - py * W;
    for (let s = 0; s < 8; s++) {
      const qy = py + STEP_DY[s]!;
      const qx = px + STEP_DX[s]!;
      if (qy < 0 || qy >= H || qx < 0 || qx >= W) continue;
      const q = kOf[qy * W + qx]!;
      if (q < 0 || done[q] === 1) continue;
      const d = STEP_COST[s]! + d0;
      if (dist[q] === -1 || dist[q]! > d) {
        dist[q] = d;
        owner[q] = owner[k]!;
        heap.push(d, q);
      }
    }
  }
  for (let o = 0; o < index.count; o++) {
    let fallback = -1;
    for (let k = index.offsets[o]!; k < index.offsets[o + 1]!; k++) {
      let c = owner[k]!;
      const p = index.pixels[k]!;
      const y = (p / W) | 0;
      const x = p - y * W;
      if (c < 0) {
        if (fallback < 0) fallback = nearestCentre(index, o, W, ci, cj);
        if (fallback < 0) continue; // no centring objects at all
        c = fallback;
        dist[k] = Math.sqrt((y - ci[c]!) ** 2 + (x - cj[c]!) ** 2);
      }
      if (edges && cl[p] !== 0) continue;
      g.good[k] = 1;
      g.fromCentre[k] = dist[k]!;
      g.centreY[k] = ci[c]!;
      g.centreX[k] = cj[c]!;
    }
  }
}

/** The centring object whose rounded centroid is nearest to object o's centroid (first on ties), or -1. */
function nearestCentre(index: ObjectIndex, o: number, W: number, ci: Int32Array, cj: Int32Array): number {
  let sy = 0;
  let sx = 0;
  for (let k = index.offsets[o]!; k < index.offsets[o + 1]!; k++) {
    const p = index.pixels[k]!;
    const y = (p / W) | 0;
    sy += y;
    sx += p - y * W;
  }
  const my = sy / index.area[o]!;
  const mx = sx / index.area[o]!;
  let best = -1;
  let bestD = Number.POSITIVE_INFINITY;
  for (let c = 0; c < ci.length; c++) {
    const d = (my - ci[c]!) ** 2 + (mx - cj[c]!) ** 2;
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/**
 * Radial distribution features of every object. Objects whose pixels are not all 8-connected to the centre are
 * measured on the connected part, as CellProfiler does; among equally distant centre candidates the last in raster
 * order is taken (CellProfiler's choice there depends on numpy's unstable sort).
 */
export function measureRadialDistribution(
  labels: LabelImage,
  image: Image,
  options: RadialDistributionOptions,
  index: ObjectIndex = indexObjects(labels),
): FeatureSet {
  const r = resolve(options);
  if (image.channels !== 1) {
    throw new RangeError(`radialDistribution: image must have 1 channel, got ${image.channels}`);
  }
  if (labels.width !== image.width || labels.height !== image.height) {
    throw new RangeError(
      `radialDistribution: label image is ${labels.width}x${labels.height} but the intensity image is ${image.width}x${image.height}`,
    );
  }
  const centers = options.centers;
  const choice = options.centerChoice ?? 'centers';
  if (choice !== 'centers' && choice !== 'edges') {
    throw new RangeError(
      `radialDistribution: centerChoice must be 'centers' or 'edges', got ${String(choice)}`,
    );
  }
  if (
    centers &&
    (centers.width !== labels.width || centers.height !== labels.height || centers.channels !== 1)
  ) {
    throw new RangeError(
      `radialDistribution: centring objects are ${centers.width}x${centers.height}x${centers.channels} but the labels are ${labels.width}x${labels.height}x1`,
    );
  }
  const specs = radialDistributionSchema(options);
  const rings = r.bins + (r.scaled ? 0 : 1);
  const n = index.count;
  const values = specs.map(() => new Float64Array(n));
  const { width: W, height: H } = labels;
  const lab = labels.data;
  const src = image.data;
  const total = index.pixels.length;
  const g: Geometry = {
    good: new Uint8Array(total),
    fromCentre: new Float64Array(total),
    toEdge: edgeDistances(lab, W, H, index),
    centreY: new Int32Array(total),
    centreX: new Int32Array(total),
  };
  if (centers) otherCentres(W, H, index, centers, choice === 'edges', g);
  else ownCentres(lab, W, H, index, g);
  const ringSum = new Float64Array(rings);
  const ringCount = new Float64Array(rings);
  const wedgeSum = new Float64Array(rings * 8);
  const wedgeCount = new Float64Array(rings * 8);
  for (let o = 0; o < n; o++) {
    ringSum.fill(0);
    ringCount.fill(0);
    wedgeSum.fill(0);
    wedgeCount.fill(0);
    let sum = 0;
    let count = 0;
    for (let k = index.offsets[o]!; k < index.offsets[o + 1]!; k++) {
      if (g.good[k] === 0) continue;
      const dc = g.fromCentre[k]!;
      const normalized = r.scaled ? dc / (dc + g.toEdge[k]! + 0.001) : dc / r.maxRadius;
      const bin = Math.min(Math.trunc(normalized * r.bins), r.bins);
      const p = index.pixels[k]!;
      const y = (p / W) | 0;
      const x = p - y * W;
      const v = src[p]!;
      ringSum[bin]! += v;
      ringCount[bin]!++;
      sum += v;
      count++;
      const dy = y - g.centreY[k]!;
      const dx = x - g.centreX[k]!;
      const wedge = (dy > 0 ? 1 : 0) + (dx > 0 ? 2 : 0) + (Math.abs(dy) > Math.abs(dx) ? 4 : 0);
      wedgeSum[bin * 8 + wedge]! += v;
      wedgeCount[bin * 8 + wedge]!++;
    }
    for (let b = 0; b < rings; b++) {
      const frac = ringSum[b]! / sum;
      values[3 * b]![o] = frac;
      values[3 * b + 1]![o] = frac / (ringCount[b]! / count + Number.EPSILON);
      let m = 0;
      let used = 0;
      for (let w = 0; w < 8; w++) {
        if (wedgeCount[b * 8 + w]! > 0) {
          m += wedgeSum[b * 8 + w]! / wedgeCount[b * 8 + w]!;
          used++;
        }
      }
      let cv = 0;
      if (used > 0) {
        m /= used;
        let ss = 0;
        for (let w = 0; w < 8; w++) {
          if (wedgeCount[b * 8 + w]! > 0) {
            const d = wedgeSum[b * 8 + w]! / wedgeCount[b * 8 + w]! - m;
            ss += d * d;
          }
        }
        cv = Math.sqrt(ss / used) / m;
      }
      values[3 * b + 2]![o] = cv;
    }
  }
  return { objectNumbers: index.labels, features: specs.map((spec, k) => ({ spec, values: values[k]! })) };
}
