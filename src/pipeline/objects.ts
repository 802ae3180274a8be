// Secondary and tertiary objects as CellProfiler's IdentifySecondaryObjects ('Propagation', 'Watershed - Image'
// and 'Distance - N') and IdentifyTertiaryObjects define them (cellprofiler/modules/identifysecondaryobjects.py,
// identifytertiaryobjects.py), composed from the segment module's propagation, watershed, distance transform,
// subtraction and filters.
import { gaussian } from '../filter/gaussian.ts';
import { fromData, type Image, maxValueOf } from '../image/image.ts';
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
    for (let i = 0; i < n; i++) mask[i] = smoothed[i]! > threshold || seeds.data[i]! !== 0 ? 1 : 0;
    if (method === 'propagation') {
      // CellProfiler propagates over the unsmoothed image in [0, 1] units, inside the thresholded mask
      labels = propagate(fromData(raw, w, h), seeds, {
        mask: fromData(mask, w, h),
        regularization: options.regularization ?? 0.05,
      }).labels;
    } else {
      const inverted = new Float32Array(n);
      for (let i = 0; i < n; i++) inverted[i] = -smoothed[i]!;
      labels = watershed(fromData(inverted, w, h), seeds, { mask: fromData(mask, w, h), connectivity: 8 });
    }
    threshold /= scale;
  }
  if (options.fillHoles ?? true) labels = fillLabeledHoles(labels);
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
