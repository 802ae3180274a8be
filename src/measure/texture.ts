// Per-object Haralick texture as CellProfiler's MeasureTexture computes it (CellProfiler/CellProfiler,
// cellprofiler_library/functions/measurement.py: measure_haralick_features_objects): the image is quantised with
// skimage.util.img_as_ubyte (round(x * 255)), rescaled to the grey-level count, each object's masked bounding box
// goes to mahotas.features.haralick(distance=scale, ignore_zeros=True). Hand-written for speed (one pass per object).
import type { Image, LabelImage } from '../image/image.ts';
import { CooccurrenceMatrix, HARALICK_FEATURES, HaralickScratch, haralickFeatures } from './glcm.ts';
import { indexObjects, type ObjectIndex } from './objects.ts';
import type { FeatureColumn, FeatureSet, FeatureSpec } from './types.ts';

export interface TextureOptions {
  /** Distance in pixels between the two pixels of a co-occurring pair (CellProfiler's "texture scale"). @default 3 */
  scale?: number;
  /** Number of grey levels the intensities are quantised to, 2..256. @default 256 */
  grayLevels?: number;
}

/** The four 2-D directions of mahotas, as (dy, dx): 00 horizontal, 01 diagonal, 02 vertical, 03 anti-diagonal. */
export const TEXTURE_DIRECTIONS: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 1],
  [1, 0],
  [1, -1],
];

interface ResolvedTextureOptions {
  scale: number;
  grayLevels: number;
}

function resolve(options: TextureOptions): ResolvedTextureOptions {
  const scale = options.scale ?? 3;
  const grayLevels = options.grayLevels ?? 256;
  if (!Number.isInteger(scale) || scale < 1) {
    throw new RangeError(`texture: scale must be a positive integer, got ${scale}`);
  }
  if (!Number.isInteger(grayLevels) || grayLevels < 2 || grayLevels > 256) {
    throw new RangeError(`texture: grayLevels must be an integer in 2..256, got ${grayLevels}`);
  }
  return { scale, grayLevels };
}

/** CellProfiler's column name, e.g. `Texture_Contrast_DNA_3_01_256`. */
export function textureFeatureName(
  feature: string,
  channelName: string,
  scale: number,
  direction: number,
  grayLevels: number,
): string {
  return `Texture_${feature}_${channelName}_${scale}_${String(direction).padStart(2, '0')}_${grayLevels}`;
}

/** The 52 texture columns (13 features x 4 directions) for one channel, declared before measuring. */
export function textureSchema(options: TextureOptions & { channelName: string }): FeatureSpec[] {
  const { scale, grayLevels } = resolve(options);
  const specs: FeatureSpec[] = [];
  for (const feature of HARALICK_FEATURES) {
    for (let d = 0; d < TEXTURE_DIRECTIONS.length; d++) {
      specs.push({
        name: textureFeatureName(feature, options.channelName, scale, d, grayLevels),
        type: 'float',
        unit: '',
        description: `Haralick ${feature} of the ${grayLevels}-level co-occurrence matrix at distance ${scale}, direction ${d}`,
      });
    }
  }
  return specs;
}

/**
 * Quantise intensities scaled to [0, 1] as CellProfiler does: img_as_ubyte (x * 255 rounded half to even, values
 * clipped to [0, 1]), then, for fewer than 256 levels, skimage's rescale_intensity from 0..255 to
 * 0..levels-1 truncated to an integer. NaN becomes 0.
 */
export function quantiseIntensity(value: number, grayLevels: number): number {
  let v = value * 255;
  if (!(v > 0)) return 0;
  if (v > 255) v = 255;
  let q = Math.round(v);
  // Math.round rounds .5 up; numpy's rint rounds half to even.
  if (q - v === 0.5 && q % 2 === 1) q -= 1;
  if (grayLevels !== 256) q = Math.trunc((q / 255) * (grayLevels - 1));
  return q;
}

function checkInputs(labels: LabelImage, image: Image, what: string): void {
  if (labels.channels !== 1)
    throw new RangeError(`${what}: label image must have 1 channel, got ${labels.channels}`);
  if (image.channels !== 1)
    throw new RangeError(`${what}: intensity image must have 1 channel, got ${image.channels}`);
  if (labels.width !== image.width || labels.height !== image.height) {
    throw new RangeError(
      `${what}: label image is ${labels.width}x${labels.height} but the intensity image is ${image.width}x${image.height}`,
    );
  }
}

/**
 * Haralick texture of every object in `labels` on `image` (one channel, intensities scaled to [0, 1]), 13 features
 * in 4 directions at distance `scale`. As in CellProfiler, only pairs of pixels that both belong to the object and
 * both have a non-zero grey level count; an object with no such pair in some direction gets 0 for every feature
 * (CellProfiler's NaN stored as 0).
 */
export function measureTexture(
  labels: LabelImage,
  image: Image,
  options: TextureOptions & { channelName: string },
  index: ObjectIndex = indexObjects(labels),
): FeatureSet {
  checkInputs(labels, image, 'measureTexture');
  const { scale, grayLevels } = resolve(options);
  const specs = textureSchema(options);
  const { width, height } = labels;
  const count = index.count;
  const lab = labels.data;
  const src = image.data;
  const nDir = TEXTURE_DIRECTIONS.length;
  const nFeat = HARALICK_FEATURES.length;
  // Quantised grey levels of object pixels only (background stays 0 and is never read).
  const grey = new Uint8Array(width * height);
  for (let k = 0; k < index.pixels.length; k++) {
    const p = index.pixels[k]!;
    grey[p] = quantiseIntensity(src[p]!, grayLevels);
  }
  const matrices = TEXTURE_DIRECTIONS.map(() => new CooccurrenceMatrix());
  const [m0, m1, m2, m3] = matrices as [
    CooccurrenceMatrix,
    CooccurrenceMatrix,
    CooccurrenceMatrix,
    CooccurrenceMatrix,
  ];
  const scratch = new HaralickScratch();
  const perObject = new Float64Array(nDir * nFeat);
  const values = specs.map(() => new Float64Array(count));
  for (let i = 0; i < count; i++) {
    const label = index.labels[i]!;
    let maxGrey = 0;
    for (let k = index.offsets[i]!; k < index.offsets[i + 1]!; k++) {
      const p = index.pixels[k]!;
      const a = grey[p]!;
      if (a > maxGrey) maxGrey = a;
      if (a === 0) continue;
      const y = (p / width) | 0;
      const x = p - y * width;
      // The four directions, unrolled: (0, s), (s, s), (s, 0), (s, -s).
      if (x + scale < width) {
        const q = p + scale;
        if (lab[q] === label && grey[q] !== 0) m0.addPair(a, grey[q]!);
      }
      if (y + scale < height) {
        const below = p + scale * width;
        if (x + scale < width) {
          const q = below + scale;
          if (lab[q] === label && grey[q] !== 0) m1.addPair(a, grey[q]!);
        }
        if (lab[below] === label && grey[below] !== 0) m2.addPair(a, grey[below]!);
        if (x >= scale) {
          const q = below - scale;
          if (lab[q] === label && grey[q] !== 0) m3.addPair(a, grey[q]!);
        }
      }
    }
    let ok = true;
    for (let d = 0; d < nDir && ok; d++) {
      ok = haralickFeatures(matrices[d]!, maxGrey + 1, perObject, d * nFeat, scratch);
    }
    for (let f = 0; f < nFeat; f++) {
      for (let d = 0; d < nDir; d++) values[f * nDir + d]![i] = ok ? perObject[d * nFeat + f]! : 0;
    }
    for (const m of matrices) m.clear();
  }
  const features: FeatureColumn[] = specs.map((spec, k) => ({ spec, values: values[k]! }));
  return { objectNumbers: index.labels, features };
}

/**
 * Haralick texture of the whole image (CellProfiler's "Measure whole images": mahotas.features.haralick on the
 * quantised image without ignoring zeros), one value per feature and direction in `textureSchema` order; a
 * non-finite value is stored as 0, as CellProfiler does.
 */
export function measureImageTexture(
  image: Image,
  options: TextureOptions & { channelName: string },
): { spec: FeatureSpec; value: number }[] {
  if (image.channels !== 1) {
    throw new RangeError(`measureImageTexture: intensity image must have 1 channel, got ${image.channels}`);
  }
  const { scale, grayLevels } = resolve(options);
  const specs = textureSchema(options);
  const { width, height } = image;
  const src = image.data;
  const grey = new Uint8Array(width * height);
  let maxGrey = 0;
  for (let p = 0; p < grey.length; p++) {
    const q = quantiseIntensity(src[p]!, grayLevels);
    grey[p] = q;
    if (q > maxGrey) maxGrey = q;
  }
  const nFeat = HARALICK_FEATURES.length;
  const nDir = TEXTURE_DIRECTIONS.length;
  const perDirection = new Float64Array(nDir * nFeat);
  const matrix = new CooccurrenceMatrix();
  const scratch = new HaralickScratch();
  for (let d = 0; d < nDir; d++) {
    const [dy, dx] = TEXTURE_DIRECTIONS[d]!;
    const oy = scale * dy;
    const ox = scale * dx;
    for (let y = 0; y + oy < height; y++) {
      for (let x = Math.max(0, -ox); x < width && x + ox < width; x++) {
        matrix.addPair(grey[y * width + x]!, grey[(y + oy) * width + x + ox]!);
      }
    }
    if (!haralickFeatures(matrix, maxGrey + 1, perDirection, d * nFeat, scratch)) {
      perDirection.fill(0, d * nFeat, (d + 1) * nFeat);
    }
    matrix.clear();
  }
  return specs.map((spec, k) => {
    const f = Math.floor(k / nDir);
    const d = k % nDir;
    const v = perDirection[d * nFeat + f]!;
    return { spec, value: Number.isFinite(v) ? v : 0 };
  });
}
