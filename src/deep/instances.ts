// Instance labels from a 3-class CNN output (background, interior, boundary), as in the DSB 2018 winning
// solutions and CellProfiler/ilastik pixel-classification workflows: seeds are the connected interiors,
// grown by a marker-controlled watershed over the inverted interior probability inside the foreground.
import { fromData, type Image } from '../image/image.ts';
import { distanceTransform } from '../segment/distanceTransform.ts';
import { label } from '../segment/label.ts';
import { labelBoxes } from '../segment/labelBoxes.ts';
import { keepLabels, labelAreas } from '../segment/objectFilters.ts';
import { peakLocalMax } from '../segment/peakLocalMax.ts';
import { relabelSequential } from '../segment/relabel.ts';
import { splitAtNecks } from '../segment/splitAtNecks.ts';
import { watershed } from '../segment/watershed.ts';

export interface ThreeClassOptions {
  /**
   * Interior probability above which a pixel seeds an object. High, so that thin interior bridges between touching
   * nuclei do not merge their seeds. Chosen with the foreground threshold on the fluorescence images of the
   * training run's own validation split (models/nuclei-unet/data.json), never on dsb2018_nuclei_dev. @default 0.8
   */
  seedThreshold?: number;
  /** Interior + boundary probability above which a pixel is foreground. @default 0.7 */
  foregroundThreshold?: number;
  /** Seeds smaller than this many pixels are dropped (noise). @default 4 */
  minSeedArea?: number;
  /** Objects smaller than this many pixels are removed. @default 8 */
  minArea?: number;
  /**
   * Seeds (interiors) are split where two lobes meet at a neck narrower than this fraction of the smaller lobe's
   * half-width (`splitAtNecks`); 0 keeps every connected interior as one seed. Touching nuclei whose interiors the
   * network leaves joined are the main error of the 3-class model. Chosen with `neckMinDistance` on the
   * training run's validation fluorescence images (with the 6,000-step weights of 2026-11: F1@0.5 0.877 ->
   * 0.877, mean AP 0.544 -> 0.550) and on simulated 12-bit 1024x1024 fields (F1@0.5 0.989 -> 0.995), never on
   * dsb2018_nuclei_dev. @default 0.5
   */
  neckRatio?: number;
  /** Lobes of one interior closer than this many pixels are not split (`splitAtNecks`'s minDistance). @default 5 */
  neckMinDistance?: number;
}

/**
 * Label image from probability maps `interior` and `boundary` (each width x height). Mirrors `postprocess` in
 * scripts/train/train_nuclei_unet.py, which selects the checkpoint with it, plus the neck split of the seeds
 * (`neckRatio`; 0 gives the script's rule). Foreground components without a seed are kept as objects.
 *
 * Every step stays inside one 4-connected foreground component (seeds lie inside the foreground, the watershed
 * is masked by it), so each component is processed in its own bounding box, padded by one pixel of background
 * where the image goes on: the same objects as one whole-image pass (up to the order of equal-cost pixels in the
 * watershed's queue) at a fraction of the cost when nuclei cover a small part of the field. Objects are numbered
 * in the raster order of their components' first pixels.
 */
export function labelsFromThreeClass(
  interior: Float32Array,
  boundary: Float32Array,
  width: number,
  height: number,
  options: ThreeClassOptions = {},
): Image<'uint32'> {
  const n = width * height;
  if (interior.length !== n || boundary.length !== n) {
    throw new RangeError(`probability maps must have ${width}x${height} = ${n} values`);
  }
  const fgT = options.foregroundThreshold ?? 0.7;
  const minArea = options.minArea ?? 8;
  const fg = new Uint8Array(n);
  for (let i = 0; i < n; i++) fg[i] = interior[i]! + boundary[i]! > fgT ? 1 : 0;
  // scipy.ndimage.label's default structure is 4-connected, as in the training script
  const componentImage = label(fromData(fg, width, height), { connectivity: 4 });
  const components = componentImage.data;
  const { count, area, box } = labelBoxes(componentImage);
  const out = new Uint32Array(n);
  let next = 0;
  for (let c = 1; c <= count; c++) {
    if (area[c]! < minArea) continue; // its objects could only be smaller
    const x0 = Math.max(0, box[4 * c]! - 1);
    const y0 = Math.max(0, box[4 * c + 1]! - 1);
    const cw = Math.min(width - 1, box[4 * c + 2]! + 1) - x0 + 1;
    const ch = Math.min(height - 1, box[4 * c + 3]! + 1) - y0 + 1;
    const inComponent = new Uint8Array(cw * ch);
    const cropInterior = new Float32Array(cw * ch);
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const i = (y + y0) * width + x + x0;
        if (components[i] !== c) continue;
        inComponent[y * cw + x] = 1;
        cropInterior[y * cw + x] = interior[i]!;
      }
    }
    const local = componentObjects(cropInterior, inComponent, cw, ch, options);
    const numbers = new Uint32Array(local.count + 1);
    for (let l = 1; l <= local.count; l++) if (local.keep[l]) numbers[l] = ++next;
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const l = local.labels[y * cw + x]!;
        if (l && numbers[l]) out[(y + y0) * width + x + x0] = numbers[l]!;
      }
    }
  }
  return fromData(out, width, height);
}

/** Objects of one foreground component (its crop): seeds, watershed inside it, seedless rest, area filter. */
function componentObjects(
  interior: Float32Array,
  inComponent: Uint8Array,
  w: number,
  h: number,
  options: ThreeClassOptions,
): { labels: Uint32Array; count: number; keep: Uint8Array } {
  const n = w * h;
  const seedT = options.seedThreshold ?? 0.8;
  const seedMask = new Uint8Array(n);
  const cost = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seedMask[i] = inComponent[i] && interior[i]! > seedT ? 1 : 0;
    cost[i] = -interior[i]!;
  }
  // the neck split is Phenoscope's addition (the training script's checkpoint choice does not use it)
  const neckRatio = options.neckRatio ?? 0.5;
  let seeds =
    neckRatio > 0
      ? splitAtNecks(fromData(seedMask, w, h), {
          ratio: neckRatio,
          minDistance: options.neckMinDistance ?? 5,
        })
      : label(fromData(seedMask, w, h), { connectivity: 4 });
  const seedAreas = labelAreas(seeds);
  seeds = keepLabels(seeds, (l) => seedAreas[l]! >= (options.minSeedArea ?? 4));
  const grown = watershed(fromData(cost, w, h), seeds, {
    mask: fromData(inComponent, w, h),
    connectivity: 4,
  }).data;
  // Pixels that no seed reaches (small nuclei predicted as all boundary) become objects of their own.
  let offset = 0;
  for (let i = 0; i < n; i++) if (grown[i]! > offset) offset = grown[i]!;
  const orphan = new Uint8Array(n);
  let orphans = false;
  for (let i = 0; i < n; i++) {
    orphan[i] = inComponent[i] && grown[i] === 0 ? 1 : 0;
    if (orphan[i]) orphans = true;
  }
  if (orphans) {
    const extra = label(fromData(orphan, w, h), { connectivity: 4 }).data;
    for (let i = 0; i < n; i++) if (extra[i]) grown[i] = offset + extra[i]!;
  }
  const areas = labelAreas(fromData(grown, w, h));
  const keep = new Uint8Array(areas.length);
  for (let l = 1; l < areas.length; l++) keep[l] = areas[l]! >= (options.minArea ?? 8) ? 1 : 0;
  return { labels: grown, count: areas.length - 1, keep };
}

export interface ForegroundOptions {
  /** Probability above which a pixel is foreground. @default 0.5 */
  threshold?: number;
  /**
   * Split touching objects by a watershed on the distance transform, seeded at its maxima at least this many
   * pixels apart (0: no splitting, connected components only). @default 4
   */
  minSeedDistance?: number;
  /** Objects smaller than this many pixels are removed. @default 8 */
  minArea?: number;
}

/**
 * Label image from a single foreground-probability map (e.g. bioimage.io's unet2d_nuclei_broad): threshold,
 * then split clumps by the distance-transform watershed that scikit-image's documentation uses.
 */
export function labelsFromForeground(
  probability: Float32Array,
  width: number,
  height: number,
  options: ForegroundOptions = {},
): Image<'uint32'> {
  const n = width * height;
  if (probability.length !== n)
    throw new RangeError(`probability map must have ${width}x${height} = ${n} values`);
  const t = options.threshold ?? 0.5;
  const fg = new Uint8Array(n);
  for (let i = 0; i < n; i++) fg[i] = probability[i]! > t ? 1 : 0;
  const mask = fromData(fg, width, height);
  const components = label(mask, { connectivity: 4 });
  const minSeedDistance = options.minSeedDistance ?? 4;
  let labels = components;
  if (minSeedDistance > 0) {
    const dist = distanceTransform(mask);
    const peaks = peakLocalMax(dist, {
      minDistance: minSeedDistance,
      labels: components,
      excludeBorder: false,
    });
    const markers = new Uint32Array(n);
    peaks.forEach((p, k) => {
      markers[p] = k + 1;
    });
    const negDist = new Float32Array(n);
    for (let i = 0; i < n; i++) negDist[i] = -dist.data[i]!;
    labels = watershed(fromData(negDist, width, height), fromData(markers, width, height), {
      mask,
      connectivity: 4,
    });
  }
  const areas = labelAreas(labels);
  return relabelSequential(keepLabels(labels, (l) => areas[l]! >= (options.minArea ?? 8))).labels;
}
