// Secondary and tertiary objects as CellProfiler's IdentifySecondaryObjects ('Propagation', 'Watershed - Image'
// and 'Distance - N') and IdentifyTertiaryObjects define them (cellprofiler/modules/identifysecondaryobjects.py,
// identifytertiaryobjects.py), composed from the segment module's propagation, watershed, distance transform,
// subtraction and filters. `competitors` and style 'cellprofiler' follow CellProfiler 3's
// identifysecondaryobjects.py (labels_in, filter_labels), threshold.py (>=) and centrosome propagate.py (read, not
// copied).
import { gaussian } from '../filter/gaussian.ts';
import { fromData, type Image, maxValueOf } from '../image/image.ts';
import { maxLabel } from '../segment/check.ts';
import { distanceTransform } from '../segment/distanceTransform.ts';
import { fillLabeledHoles } from '../segment/fillHoles.ts';
import { clearBorder } from '../segment/objectFilters.ts';
import { propagate } from '../segment/propagate.ts';
import { tertiaryObjects as subtractObjects } from '../segment/tertiaryObjects.ts';
import { watershed } from '../segment/watershed.ts';
import { thresholdCentrosomeOtsu } from '../threshold/centrosomeOtsu.ts';
import { thresholdOtsu } from '../threshold/otsu.ts';

export interface SecondaryObjectsOptions {
  /**
   * 'propagation' (CellProfiler's default: shortest paths over intensity differences, see propagate.ts),
   * 'watershed' floods the inverted image, 'distance' grows each seed up to `distance` pixels. @default 'propagation'
   */
  method?: 'propagation' | 'watershed' | 'distance';
  /** Propagation's lambda (CellProfiler's regularization factor). @default 0.05 */
  regularization?: number;
  /**
   * Threshold of the secondary channel: 'otsu', 'log-otsu' (Otsu of log intensities) or 'centrosome-otsu'
   * (CellProfiler 2.x's, threshold/centrosomeOtsu.ts). @default 'otsu'
   */
  threshold?: 'otsu' | 'log-otsu' | 'centrosome-otsu';
  /** Threshold multiplier. @default 1 */
  thresholdCorrection?: number;
  /** Gaussian sigma before thresholding and flooding. @default 1 */
  thresholdSmoothing?: number;
  /** Largest growth from a seed for 'distance', pixels. @default 10 */
  distance?: number;
  /** Fill holes of each object. @default true */
  fillHoles?: boolean;
  /** Remove objects touching the image border. @default false */
  discardBorder?: boolean;
  /**
   * The primary objects before their border and size filters (primaryObjects' `unedited`). When given, those of
   * them that touch the image border grow too and claim their territory, which is then left empty, as
   * CellProfiler's IdentifySecondaryObjects does with a primary step that discards border objects. @default none
   */
  competitors?: Image | undefined;
  /**
   * 'cellprofiler': CellProfiler 3's IdentifySecondaryObjects to the pixel: the stain is foreground at or above
   * the threshold (not strictly above); propagation runs inside the foreground only, so nucleus pixels below the
   * threshold keep their label but nothing grows from them; equal path costs go to the smaller label
   * (propagate's `tieBreak: 'cellprofiler'`). @default 'default'
   */
  style?: 'default' | 'cellprofiler';
}

/**
 * CellProfiler's seeds (identifysecondaryobjects.py, labels_in): the unedited primary objects that survived
 * the primary step's filters or touch the image border, with their unedited numbers.
 */
function competingSeeds(seeds: Image, unedited: Image): Image<'uint32'> {
  const { width: w, height: h } = unedited;
  const u = unedited.data;
  const touching = new Set<number>();
  for (let x = 0; x < w; x++) touching.add(u[x]!).add(u[(h - 1) * w + x]!);
  for (let y = 0; y < h; y++) touching.add(u[y * w]!).add(u[y * w + w - 1]!);
  const out = new Uint32Array(w * h);
  for (let i = 0; i < out.length; i++) if (seeds.data[i] || touching.has(u[i]!)) out[i] = u[i]!;
  return fromData(out, w, h);
}

/** Each grown region takes the largest primary label inside it; regions without one (competitors) are emptied. */
function toPrimaryLabels(grown: Image<'uint32'>, seeds: Image): Image<'uint32'> {
  const g = grown.data;
  const lookup = new Uint32Array(maxLabel(grown) + 1);
  for (let i = 0; i < g.length; i++) {
    const s = seeds.data[i]!;
    if (s > lookup[g[i]!]!) lookup[g[i]!] = s;
  }
  lookup[0] = 0;
  return fromData(
    Uint32Array.from(g, (l) => lookup[l]!),
    grown.width,
    grown.height,
  );
}

function otsuOf(values: Float32Array, method: 'otsu' | 'log-otsu' | 'centrosome-otsu'): number {
  if (method === 'otsu') return thresholdOtsu(values);
  if (method === 'centrosome-otsu') return thresholdCentrosomeOtsu(values);
  let minPositive = Number.POSITIVE_INFINITY;
  for (const v of values) if (v > 0 && v < minPositive) minPositive = v;
  if (!Number.isFinite(minPositive)) return 0;
  return Math.exp(thresholdOtsu(values.map((v) => Math.log(Math.max(v, minPositive)))));
}

/** Grow primary objects (`seeds`, a label image) into secondary objects (cells) on `image`. */
export function secondaryObjects(
  image: Image,
  seeds: Image,
  options: SecondaryObjectsOptions = {},
): { labels: Image<'uint32'>; threshold: number } {
  if (seeds.width !== image.width || seeds.height !== image.height) {
    throw new RangeError(
      `secondaryObjects: seeds are ${seeds.width}x${seeds.height} but the image is ${image.width}x${image.height}`,
    );
  }
  const { width: w, height: h } = image;
  const n = w * h;
  const method = options.method ?? 'propagation';
  const style = options.style ?? 'default';
  if (style !== 'default' && style !== 'cellprofiler') {
    throw new RangeError(
      `secondaryObjects: style must be 'default' or 'cellprofiler', got '${String(style)}'`,
    );
  }
  const cp = style === 'cellprofiler';
  const primary = seeds;
  if (options.competitors) {
    const c = options.competitors;
    if (c.width !== w || c.height !== h) {
      throw new RangeError(
        `secondaryObjects: competitors are ${c.width}x${c.height} but the image is ${w}x${h}`,
      );
    }
    seeds = competingSeeds(primary, c);
  }
  let labels: Image<'uint32'>;
  let threshold = Number.NaN;
  if (method === 'distance') {
    const limit = options.distance ?? 10;
    if (!(limit > 0)) throw new RangeError(`secondaryObjects: distance must be > 0, got ${limit}`);
    const background = fromData(
      Uint8Array.from(seeds.data, (v) => (v === 0 ? 1 : 0)),
      w,
      h,
    );
    const dist = distanceTransform(background);
    const mask = fromData(
      Uint8Array.from(dist.data, (d) => (d <= limit ? 1 : 0)),
      w,
      h,
    );
    labels = watershed(dist, seeds, { mask, connectivity: 8 });
  } else {
    const scale = 1 / maxValueOf(image);
    const raw = Float32Array.from(image.data, (v) => (Number.isNaN(v) ? 0 : v * scale));
    const sigma = options.thresholdSmoothing ?? 1;
    const smoothed = sigma > 0 ? gaussian(fromData(raw, w, h), { sigma }).data : raw;
    threshold = otsuOf(smoothed, options.threshold ?? 'otsu') * (options.thresholdCorrection ?? 1);
    const mask = new Uint8Array(n);
    // CellProfiler propagates inside the thresholded stain only; its watershed also floods the seeds
    const withSeeds = !(cp && method === 'propagation');
    for (let i = 0; i < n; i++) {
      const v = smoothed[i]!;
      mask[i] = (cp ? v >= threshold : v > threshold) || (withSeeds && seeds.data[i]! !== 0) ? 1 : 0;
    }
    if (method === 'propagation') {
      // CellProfiler propagates over the unsmoothed image in [0, 1] units, inside the thresholded mask
      labels = propagate(fromData(raw, w, h), seeds, {
        mask: fromData(mask, w, h),
        regularization: options.regularization ?? 0.05,
        tieBreak: cp ? 'cellprofiler' : 'insertion',
        maskedSeeds: cp ? 'stay' : 'grow',
      }).labels;
    } else {
      const inverted = new Float32Array(n);
      for (let i = 0; i < n; i++) inverted[i] = -smoothed[i]!;
      labels = watershed(fromData(inverted, w, h), seeds, { mask: fromData(mask, w, h), connectivity: 8 });
    }
    threshold /= scale;
  }
  if (options.fillHoles ?? true) labels = fillLabeledHoles(labels);
  if (options.competitors) labels = toPrimaryLabels(labels, primary);
  if (options.discardBorder) labels = clearBorder(labels);
  return { labels, threshold };
}

/**
 * Tertiary objects: the larger objects minus the smaller ones (cytoplasm = cells - nuclei), keeping the larger
 * object's label; with `shrinkSmaller` the smaller objects' outline pixels stay (CellProfiler's "shrink smaller
 * object prior to subtraction"). The segment module's tertiaryObjects, under the pipeline's option name.
 */
export function tertiaryObjects(larger: Image, smaller: Image, shrinkSmaller = true): Image<'uint32'> {
  return subtractObjects(larger, smaller, { shrinkPrimary: shrinkSmaller });
}
