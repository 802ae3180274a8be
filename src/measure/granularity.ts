// Granularity spectrum as CellProfiler's MeasureGranularity computes it (CellProfiler/CellProfiler,
// cellprofiler_library: downsample_image_and_mask, apply_grayscale_tophat_filter, get_granularity_measurements):
// bilinear subsampling, background removal by a grey opening at a coarser scale, then for k = 1..N an erosion by
// the 4-neighbour cross and a reconstruction by dilation, the spectrum being the drop of the mean per step
// (Serra 1989; Maragos, IEEE PAMI 11:701, 1989; Vincent 2000). Morphology from src/filter, reconstruction ours.

import { dilate, erode } from '../filter/morphology.ts';
import { fromData, type Image, type LabelImage } from '../image/image.ts';
import type { ImageMeasurement } from './imageQuality.ts';
import { indexObjects, type ObjectIndex } from './objects.ts';
import { reconstructByDilation } from './reconstruction.ts';
import { checkChannelName, type FeatureSet, type FeatureSpec } from './types.ts';

export interface GranularityOptions {
  /** Channel name in feature names, e.g. 'DNA'. */
  channelName: string;
  /** Subsampling factor for the granularity measurement, in (0, 1]. @default 0.25 */
  subsampleSize?: number;
  /** Further subsampling factor for background removal, in (0, 1]. @default 0.25 */
  imageSampleSize?: number;
  /** Radius of the disk used to open the background (in subsampled pixels). @default 10 */
  elementSize?: number;
  /** Number of spectrum steps (Granularity_1 .. Granularity_N). @default 16 */
  spectrumLength?: number;
}

interface Resolved {
  channel: string;
  subsample: number;
  sample: number;
  element: number;
  length: number;
}

function resolve(options: GranularityOptions): Resolved {
  checkChannelName('granularity', 'channelName', options.channelName);
  const subsample = options.subsampleSize ?? 0.25;
  const sample = options.imageSampleSize ?? 0.25;
  for (const [name, v] of [
    ['subsampleSize', subsample],
    ['imageSampleSize', sample],
  ] as const) {
    if (!(v > 0 && v <= 1)) throw new RangeError(`granularity: ${name} must lie in (0, 1], got ${v}`);
  }
  const element = options.elementSize ?? 10;
  if (!Number.isInteger(element) || element < 0) {
    throw new RangeError(`granularity: elementSize must be a non-negative integer, got ${element}`);
  }
  const length = options.spectrumLength ?? 16;
  if (!Number.isInteger(length) || length < 1 || length > 1000) {
    throw new RangeError(`granularity: spectrumLength must be an integer in 1..1000, got ${length}`);
  }
  return { channel: options.channelName, subsample, sample, element, length };
}

/** The spectrum columns Granularity_1_<channel> .. Granularity_N_<channel> (per object and per image). */
export function granularitySchema(options: GranularityOptions): FeatureSpec[] {
  const r = resolve(options);
  return Array.from({ length: r.length }, (_, k) => ({
    name: `Granularity_${k + 1}_${r.channel}`,
    type: 'float' as const,
    unit: '%',
    description: `percentage of the starting mean removed by granularity step ${k + 1}`,
  }));
}

/** Bilinear sample of `src` (w x h) at fractional (y, x), indices clamped to the image (scipy order 1). */
function bilinear(src: Float64Array, w: number, h: number, y: number, x: number): number {
  let y0 = Math.floor(y);
  let x0 = Math.floor(x);
  let fy = y - y0;
  let fx = x - x0;
  if (y0 >= h - 1) {
    y0 = h - 1;
    fy = 0;
  }
  if (x0 >= w - 1) {
    x0 = w - 1;
    fx = 0;
  }
  if (y0 < 0) {
    y0 = 0;
    fy = 0;
  }
  if (x0 < 0) {
    x0 = 0;
    fx = 0;
  }
  const i = y0 * w + x0;
  const a = src[i]!;
  const b = fx > 0 ? src[i + 1]! : a;
  const c = fy > 0 ? src[i + w]! : a;
  const d = fx > 0 && fy > 0 ? src[i + w + 1]! : fy > 0 ? c : b;
  return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
}

interface Grid {
  data: Float64Array;
  width: number;
  height: number;
  /** The (fractional) shape CellProfiler carries along: original size x factor. */
  shapeY: number;
  shapeX: number;
}

/** CellProfiler's subsampling: the grid 0 .. ceil(shape * f) - 1, each point read at (i / f, j / f). */
function subsample(src: Grid, factor: number): Grid {
  if (factor >= 1) return { ...src, data: Float64Array.from(src.data) };
  const shapeY = src.shapeY * factor;
  const shapeX = src.shapeX * factor;
  const height = Math.ceil(shapeY);
  const width = Math.ceil(shapeX);
  const data = new Float64Array(width * height);
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++)
      data[i * width + j] = bilinear(src.data, src.width, src.height, i / factor, j / factor);
  }
  return { data, width, height, shapeY, shapeX };
}

function asImage(g: Grid): Image<'float64'> {
  return fromData(g.data, g.width, g.height);
}

function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

/**
 * Granularity spectrum of every object (percent of the object's starting mean intensity removed at each step;
 * the starting mean is that of the original image, as in CellProfiler) and of the whole (subsampled,
 * background-subtracted) image.
 */
export function granularity(
  labels: LabelImage,
  image: Image,
  options: GranularityOptions,
  index: ObjectIndex = indexObjects(labels),
): { objects: FeatureSet; image: ImageMeasurement[] } {
  const r = resolve(options);
  if (image.channels !== 1)
    throw new RangeError(`granularity: image must have 1 channel, got ${image.channels}`);
  if (labels.width !== image.width || labels.height !== image.height) {
    throw new RangeError(
      `granularity: label image is ${labels.width}x${labels.height} but the intensity image is ${image.width}x${image.height}`,
    );
  }
  const { width: W, height: H } = image;
  const original: Grid = {
    data: Float64Array.from(image.data as ArrayLike<number>),
    width: W,
    height: H,
    shapeY: H,
    shapeX: W,
  };
  const pixels = subsample(original, r.subsample);
  // Background: open a coarser copy with a disk, bring it back to the subsampled grid, subtract, clip at 0.
  const back = subsample(pixels, r.sample);
  const footprint = { shape: 'disk' as const, radius: r.element };
  let opened = dilate(erode(asImage(back), footprint), footprint).data;
  if (r.sample < 1) {
    const restored = new Float64Array(pixels.data.length);
    const sy = (back.shapeY - 1) / (pixels.shapeY - 1);
    const sx = (back.shapeX - 1) / (pixels.shapeX - 1);
    for (let i = 0; i < pixels.height; i++) {
      for (let j = 0; j < pixels.width; j++) {
        restored[i * pixels.width + j] = bilinear(opened, back.width, back.height, i * sy, j * sx);
      }
    }
    opened = restored;
  }
  const px = pixels.data;
  for (let i = 0; i < px.length; i++) {
    const v = px[i]! - opened[i]!;
    px[i] = Math.max(v, 0);
  }
  // Per-object starting means from the original image.
  const n = index.count;
  const current = new Float64Array(n);
  const start = new Float64Array(n);
  for (let o = 0; o < n; o++) {
    let s = 0;
    for (let k = index.offsets[o]!; k < index.offsets[o + 1]!; k++) s += original.data[index.pixels[k]!]!;
    current[o] = s / index.area[o]!;
    start[o] = Math.max(current[o]!, Number.EPSILON);
  }
  // Where each original pixel reads the subsampled grid (CellProfiler's restore_scale).
  const ry = H > 1 ? (pixels.shapeY - 1) / (H - 1) : 0;
  const rx = W > 1 ? (pixels.shapeX - 1) / (W - 1) : 0;
  const specs = granularitySchema(options);
  const objectValues = specs.map(() => new Float64Array(n));
  const imageValues: number[] = [];
  const startMean = mean(px);
  let currentMean = startMean;
  const startMeanSafe = Math.max(startMean, Number.EPSILON);
  const cross = { shape: 'disk' as const, radius: 1 };
  let ero: Float64Array<ArrayBufferLike> = Float64Array.from(px);
  for (let step = 0; step < r.length; step++) {
    const prevMean = currentMean;
    ero = erode(fromData(ero, pixels.width, pixels.height), cross).data;
    const rec = reconstructByDilation(ero, px, pixels.width, pixels.height);
    currentMean = mean(rec);
    imageValues.push(((prevMean - currentMean) * 100) / startMeanSafe);
    const col = objectValues[step]!;
    for (let o = 0; o < n; o++) {
      let s = 0;
      for (let k = index.offsets[o]!; k < index.offsets[o + 1]!; k++) {
        const p = index.pixels[k]!;
        const y = (p / W) | 0;
        s += bilinear(rec, pixels.width, pixels.height, y * ry, (p - y * W) * rx);
      }
      const newMean = s / index.area[o]!;
      col[o] = ((current[o]! - newMean) * 100) / start[o]!;
      current[o] = newMean;
    }
  }
  return {
    objects: {
      objectNumbers: index.labels,
      features: specs.map((spec, k) => ({ spec, values: objectValues[k]! })),
    },
    image: specs.map((spec, k) => ({ spec, value: imageValues[k]! })),
  };
}

/** Per-object granularity spectrum (see `granularity`). */
export function measureGranularity(
  labels: LabelImage,
  image: Image,
  options: GranularityOptions,
  index?: ObjectIndex,
): FeatureSet {
  return granularity(labels, image, options, index).objects;
}
