// Split the objects of a binary mask at narrow necks: the distance transform's peaks (at least `minDistance`
// apart) seed a watershed on the negated distance inside each object, and two touching parts stay separate only
// where the neck between them (the largest distance on their shared border, the saddle) is narrower than `ratio`
// times the smaller part's peak: a relative form of the dynamics (h-maxima) criterion of morphological declumping
// (Soille, Morphological Image Analysis, 2003, ch. 6.3; Malpica et al. 1997, Cytometry 28:289).
import { fromData, type Image } from '../image/image.ts';
import { checkSingleChannel } from './check.ts';
import { distanceTransform } from './distanceTransform.ts';
import { label } from './label.ts';
import { peakLocalMax } from './peakLocalMax.ts';
import { relabelSequential } from './relabel.ts';
import { watershed } from './watershed.ts';

export interface SplitAtNecksOptions {
  /**
   * A neck splits two parts when its saddle is below `ratio` x the smaller part's peak distance: 0.5 splits two
   * discs whose contact is narrower than their radius, while an ellipse or kidney shape stays whole.
   * @default 0.5
   */
  ratio?: number;
  /** Distance-transform peaks closer than this (Chebyshev, pixels) to a higher one are not seeds. @default 5 */
  minDistance?: number;
}

/**
 * The 4-connected components of the binary `mask` (non-zero = foreground), each split at its narrow necks, as
 * sequential uint32 labels. Meant for seeds: a component at most 2 pixels thick has no distance-transform peak
 * and is dropped (label 0).
 */
export function splitAtNecks(mask: Image, options: SplitAtNecksOptions = {}): Image<'uint32'> {
  checkSingleChannel(mask, 'splitAtNecks mask');
  const ratio = options.ratio ?? 0.5;
  const minDistance = options.minDistance ?? 5;
  if (!(ratio >= 0 && ratio <= 1))
    throw new RangeError(`splitAtNecks: ratio must be in [0, 1], got ${ratio}`);
  if (!(Number.isInteger(minDistance) && minDistance >= 1)) {
    throw new RangeError(`splitAtNecks: minDistance must be an integer >= 1, got ${minDistance}`);
  }
  const { width: w, height: h } = mask;
  const n = w * h;
  const fg = new Uint8Array(n);
  for (let i = 0; i < n; i++) fg[i] = mask.data[i] ? 1 : 0;
  const binary = fromData(fg, w, h);
  const components = label(binary, { connectivity: 4 });
  const dt = distanceTransform(binary).data;
  const peaks = peakLocalMax(fromData(dt, w, h), { minDistance, labels: components, excludeBorder: false });
  const markers = new Uint32Array(n);
  peaks.forEach((p, k) => {
    markers[p] = k + 1;
  });
  const cost = new Float32Array(n);
  for (let i = 0; i < n; i++) cost[i] = -dt[i]!;
  // 4-connected flooding inside the mask: a marker never leaves its own component
  const parts = watershed(fromData(cost, w, h), fromData(markers, w, h), {
    mask: binary,
    connectivity: 4,
  }).data;
  const np = peaks.length;
  const peakDt = new Float64Array(np + 1);
  for (let i = 0; i < n; i++) {
    const p = parts[i]!;
    if (p && dt[i]! > peakDt[p]!) peakDt[p] = dt[i]!;
  }
  // union-find over touching parts whose saddle is not narrow
  const parent = Int32Array.from({ length: np + 1 }, (_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]!]!;
      k = parent[k]!;
    }
    return k;
  };
  const saddle = new Map<number, number>();
  const visit = (i: number, j: number) => {
    const a = parts[i]!;
    const b = parts[j]!;
    if (!a || !b || a === b) return;
    const key = a < b ? a * (np + 1) + b : b * (np + 1) + a;
    const v = Math.min(dt[i]!, dt[j]!);
    if (v > (saddle.get(key) ?? -1)) saddle.set(key, v);
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (x + 1 < w) visit(i, i + 1);
      if (y + 1 < h) visit(i, i + w);
    }
  }
  for (const [key, s] of saddle) {
    const a = Math.floor(key / (np + 1));
    const b = key % (np + 1);
    if (s >= ratio * Math.min(peakDt[a]!, peakDt[b]!)) parent[find(a)] = find(b);
  }
  // a component without a peak (flat: at most 2 pixels thick, which peakLocalMax does not report) is dropped
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) if (parts[i]) out[i] = find(parts[i]!);
  return relabelSequential(fromData(out, w, h)).labels;
}
