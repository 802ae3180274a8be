// Spot (puncta) detection after CellProfiler's EnhanceOrSuppressFeatures(Speckles) + IdentifyPrimaryObjects +
// RelateObjects: the spots are enhanced by a white top-hat (disk of radius ~ spot size) or a negated Laplacian of
// Gaussian (sigma = spot radius / sqrt 2, T. Lindeberg 1998), thresholded (Otsu on the enhanced image, or a
// given value), labelled, and each spot is assigned the parent cell under its largest share of pixels.
import { laplacianOfGaussian } from '../filter/laplacianOfGaussian.ts';
import { whiteTopHat } from '../filter/morphology.ts';
import { fromData, type Image, maxValueOf } from '../image/image.ts';
import { thresholdOtsu } from '../threshold/otsu.ts';
import { checkLabels, checkSameSize, checkSingleChannel } from './check.ts';
import { label } from './label.ts';
import { filterBySize } from './objectFilters.ts';
import { relabelSequential } from './relabel.ts';

export interface SpotsOptions {
  /** Enhancement: 'tophat' (white top-hat) or 'log' (negated Laplacian of Gaussian). @default 'tophat' */
  method?: 'tophat' | 'log';
  /** Typical spot diameter in pixels (sets the top-hat radius and the LoG sigma). @default 4 */
  diameter?: number;
  /** Threshold on the enhanced image (in [0, 1] units of the input type), or 'otsu'. @default 'otsu' */
  threshold?: number | 'otsu';
  /** Spots larger than this diameter (pixels, equivalent area) are dropped. @default 3 x diameter */
  maxDiameter?: number;
  /** Only keep spots whose parent is a cell (drop spots outside every cell). @default true */
  insideCellsOnly?: boolean;
}

export interface SpotsResult {
  /** Spot labels 1..n. */
  labels: Image<'uint32'>;
  /** parent[k - 1] = label of the cell holding spot k (0: none). */
  parent: Uint32Array;
  /** Threshold on the enhanced image. */
  threshold: number;
}

/** Detect spots in `image` and relate each to its parent in `cells` (same size; may be all zeros). */
export function spots(image: Image, cells: Image, options: SpotsOptions = {}): SpotsResult {
  checkSingleChannel(image, 'spots image');
  checkLabels(cells, 'spots cells');
  checkSameSize(image, cells, 'spots cells');
  const method = options.method ?? 'tophat';
  const diameter = options.diameter ?? 4;
  if (method !== 'tophat' && method !== 'log') {
    throw new RangeError(`spots: method must be 'tophat' or 'log', got '${method}'`);
  }
  if (!(diameter > 0) || !Number.isFinite(diameter)) {
    throw new RangeError(`spots: diameter must be a positive number, got ${diameter}`);
  }
  const { width: w, height: h } = image;
  const n = w * h;
  const scale = 1 / maxValueOf(image);
  const raw = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = image.data[i]! * scale;
    raw[i] = Number.isNaN(v) ? 0 : v;
  }
  let enhanced: Float32Array;
  if (method === 'tophat') {
    const radius = Math.max(1, Math.round(diameter));
    enhanced = whiteTopHat(fromData(raw, w, h), { shape: 'disk', radius }).data as Float32Array;
  } else {
    const sigma = Math.max(0.5, diameter / 2 / Math.SQRT2);
    const log = laplacianOfGaussian(fromData(raw, w, h), { sigma }).data;
    enhanced = new Float32Array(n);
    for (let i = 0; i < n; i++) enhanced[i] = Math.max(0, -log[i]! * sigma * sigma);
  }
  const t =
    options.threshold === undefined || options.threshold === 'otsu'
      ? thresholdOtsu(enhanced)
      : options.threshold;
  const mask = new Uint8Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (enhanced[i]! > t) {
      mask[i] = 1;
      any = true;
    }
  }
  if (!any || !Number.isFinite(t)) {
    return { labels: fromData(new Uint32Array(n), w, h), parent: new Uint32Array(0), threshold: t };
  }
  let labels = label(fromData(mask, w, h), { connectivity: 8 });
  labels = filterBySize(labels, { maxDiameter: options.maxDiameter ?? 3 * diameter });
  // Parent: the cell with the most pixels of the spot.
  const votes = new Map<number, Map<number, number>>();
  const ld = labels.data;
  for (let i = 0; i < n; i++) {
    const l = ld[i]!;
    if (!l) continue;
    let m = votes.get(l);
    if (!m) votes.set(l, (m = new Map()));
    const c = cells.data[i]!;
    m.set(c, (m.get(c) ?? 0) + 1);
  }
  const parentOf = new Map<number, number>();
  for (const [l, m] of votes) {
    let best = 0;
    let bestCount = -1;
    for (const [c, count] of m) {
      if (c && count > bestCount) {
        best = c;
        bestCount = count;
      }
    }
    parentOf.set(l, best);
  }
  if (options.insideCellsOnly ?? true) {
    const out = ld.slice();
    for (let i = 0; i < n; i++) if (out[i] && !parentOf.get(out[i]!)) out[i] = 0;
    labels = fromData(out, w, h);
  }
  const { labels: final, count, forward } = relabelSequential(labels);
  const parent = new Uint32Array(count);
  for (const [old, p] of parentOf) {
    const k = forward[old];
    if (k) parent[k - 1] = p;
  }
  return { labels: final, parent, threshold: t };
}
