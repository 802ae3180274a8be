// Secondary objects (cells) grown from primary objects (nuclei), after CellProfiler's IdentifySecondaryObjects
// (cellprofiler/modules/identifysecondaryobjects.py): propagation (Jones et al. 2005), watershed on the
// gradient (Sobel), on the inverted image or on the distance from the nuclei, or fixed-distance expansion,
// limited to the thresholded cell stain; each cell keeps the number of its nucleus.
import { gaussian } from '../filter/gaussian.ts';
import { sobel } from '../filter/sobel.ts';
import { fromData, type Image, maxValueOf } from '../image/image.ts';
import { thresholdOtsu } from '../threshold/otsu.ts';
import { checkLabels, checkSameSize, checkSingleChannel } from './check.ts';
import { distanceTransform } from './distanceTransform.ts';
import { expandLabels } from './expandLabels.ts';
import { fillLabeledHoles } from './fillHoles.ts';
import { propagate } from './propagate.ts';
import { watershed } from './watershed.ts';

export type SecondaryMethod =
  | 'propagation'
  | 'watershed-gradient'
  | 'watershed-image'
  | 'watershed-distance'
  | 'distance-n'
  | 'distance-b';

export const SECONDARY_METHODS: readonly SecondaryMethod[] = [
  'propagation',
  'watershed-gradient',
  'watershed-image',
  'watershed-distance',
  'distance-n',
  'distance-b',
];

export interface SecondaryObjectsOptions {
  /**
   * 'propagation' (CellProfiler's default), 'watershed-gradient' (Sobel), 'watershed-image' (inverted
   * intensity), 'watershed-distance' (flooding by distance from the nuclei), 'distance-n' (expand
   * nuclei by `distance` within the thresholded stain) or 'distance-b' (expand by `distance`, no threshold).
   * @default 'propagation'
   */
  method?: SecondaryMethod;
  /** Propagation regularisation lambda. @default 0.05 */
  regularization?: number;
  /** Expansion distance in pixels for the distance methods. @default 10 */
  distance?: number;
  /** Threshold of the cell stain (image units); 'otsu' computes Otsu on square-root intensities. @default 'otsu' */
  threshold?: number | 'otsu';
  /** Multiply the automatic threshold by this factor. @default 1 */
  thresholdCorrection?: number;
  /** Gaussian sigma before thresholding. @default 1 */
  thresholdSmoothing?: number;
  /** Fill holes in the cells. @default true */
  fillHoles?: boolean;
}

export interface SecondaryObjectsResult {
  /** Cell labels; cell k grew from nucleus k (and contains it). */
  labels: Image<'uint32'>;
  /** Threshold used on the cell stain, image units (NaN for 'distance-b'). */
  threshold: number;
}

/** Cells from a cell-stain image and nucleus labels of the same size. */
export function secondaryObjects(
  image: Image,
  nuclei: Image,
  options: SecondaryObjectsOptions = {},
): SecondaryObjectsResult {
  checkSingleChannel(image, 'secondaryObjects image');
  checkLabels(nuclei, 'secondaryObjects nuclei');
  checkSameSize(image, nuclei, 'secondaryObjects nuclei');
  const method = options.method ?? 'propagation';
  if (!SECONDARY_METHODS.includes(method)) {
    throw new RangeError(
      `secondaryObjects: method must be one of ${SECONDARY_METHODS.join(', ')}; got '${method}'`,
    );
  }
  const distance = options.distance ?? 10;
  const correction = options.thresholdCorrection ?? 1;
  const sigma = options.thresholdSmoothing ?? 1;
  if (!(correction > 0))
    throw new RangeError(`secondaryObjects: thresholdCorrection must be > 0, got ${correction}`);
  const { width: w, height: h } = image;
  const n = w * h;
  const scale = 1 / maxValueOf(image);
  const raw = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = image.data[i]! * scale;
    raw[i] = Number.isNaN(v) ? 0 : v;
  }
  const seeds = fromData(Uint32Array.from(nuclei.data as ArrayLike<number>), w, h);
  if (method === 'distance-b') {
    return { labels: expandLabels(seeds, distance), threshold: Number.NaN };
  }
  const smoothed = sigma > 0 ? gaussian(fromData(raw, w, h), { sigma }).data : raw;
  let t: number;
  if (options.threshold === undefined || options.threshold === 'otsu') {
    const roots = Float32Array.from(smoothed, Math.sqrt);
    t = thresholdOtsu(roots) ** 2 * correction;
  } else {
    t = options.threshold * scale;
  }
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = smoothed[i]! > t || seeds.data[i] ? 1 : 0;
  const maskImage = fromData(mask, w, h);
  let labels: Image<'uint32'>;
  if (method === 'propagation') {
    labels = propagate(fromData(raw, w, h), seeds, {
      mask: maskImage,
      regularization: options.regularization ?? 0.05,
    }).labels;
  } else if (method === 'watershed-gradient') {
    labels = watershed(sobel(fromData(raw, w, h)), seeds, { mask: maskImage, connectivity: 8 });
  } else if (method === 'watershed-image') {
    const inverted = Float32Array.from(raw, (v) => 1 - v);
    labels = watershed(fromData(inverted, w, h), seeds, { mask: maskImage, connectivity: 8 });
  } else if (method === 'watershed-distance') {
    const outside = new Uint8Array(n);
    for (let i = 0; i < n; i++) outside[i] = seeds.data[i] ? 0 : 1;
    const dist = distanceTransform(fromData(outside, w, h));
    labels = watershed(dist, seeds, { mask: maskImage, connectivity: 8 });
  } else {
    labels = expandLabels(seeds, distance, { mask: maskImage });
  }
  if (options.fillHoles ?? true) labels = fillLabeledHoles(labels);
  // A nucleus must stay inside its own cell: restore seed pixels (watershed never moves them; holes may not).
  const out = labels.data;
  for (let i = 0; i < n; i++) if (seeds.data[i]) out[i] = seeds.data[i]!;
  return { labels, threshold: t / scale };
}
