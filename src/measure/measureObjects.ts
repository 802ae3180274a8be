// Runs the per-object feature families over object sets and channels and assembles CellProfiler-style tables:
// one per object set (ImageNumber, ObjectNumber, then features in alphabetical order as ExportToSpreadsheet
// writes them) and one per-image table (object counts and the image-level measurements of the chosen families).
import { convert, type Image, type LabelImage, maxValueOf, toFloat32 } from '../image/image.ts';
import { type Column, type Table, tableFromColumns } from '../table/table.ts';
import { type AreaShapeOptions, areaShapeSchema, measureAreaShape } from './areaShape.ts';
import {
  type ColocalizationOptions,
  colocalizationSchema,
  imageColocalizationSchema,
  measureColocalization,
  measureImageColocalization,
} from './colocalization.ts';
import { type GranularityOptions, granularity, granularitySchema } from './granularity.ts';
import { type ImageMeasurement, imageQualitySchema, measureImageQuality } from './imageQuality.ts';
import { intensitySchema, measureIntensity } from './intensity.ts';
import { locationSchema, measureLocation } from './location.ts';
import { measureNeighbors, type NeighborsOptions, neighborsSchema } from './neighbors.ts';
import { indexObjects } from './objects.ts';
import {
  measureRadialDistribution,
  type RadialDistributionOptions,
  radialDistributionSchema,
} from './radialDistribution.ts';
import { measureTexture, type TextureOptions, textureSchema } from './texture.ts';
import { type FeatureSet, type FeatureSpec, mergeFeatureSets } from './types.ts';

/** The feature families `measureObjects` can run ('imagequality' adds image-level columns only). */
export const FEATURE_FAMILIES = [
  'location',
  'areashape',
  'intensity',
  'texture',
  'granularity',
  'radialdistribution',
  'colocalization',
  'neighbors',
  'imagequality',
] as const;

/** The per-object families (all but 'imagequality'). */
export const OBJECT_FEATURE_FAMILIES = FEATURE_FAMILIES.filter(
  (f): f is Exclude<(typeof FEATURE_FAMILIES)[number], 'imagequality'> => f !== 'imagequality',
) as readonly Exclude<(typeof FEATURE_FAMILIES)[number], 'imagequality'>[];
export type FeatureFamily = (typeof FEATURE_FAMILIES)[number];

/** The families of CellProfiler's nuclei pipeline (the default). */
export const DEFAULT_FAMILIES: readonly FeatureFamily[] = ['location', 'areashape', 'intensity', 'texture'];

export interface ObjectSet {
  /** Object set name, e.g. 'Nuclei' (the table's name). */
  readonly name: string;
  /** Label image: 0 background, k object k (any integer pixel type). */
  readonly labels: Image;
}

export interface Channel {
  /** Channel name used in column names, e.g. 'DNA'. */
  readonly name: string;
  /**
   * Intensity image, one channel. Integer images are scaled to [0, 1] by the type's maximum as CellProfiler
   * does (`toFloat32`); float images are used as they are.
   */
  readonly image: Image;
}

export interface MeasureObjectsOptions {
  /** Families to run. @default ['location', 'areashape', 'intensity', 'texture'] */
  families?: readonly FeatureFamily[];
  /** AreaShape options (Zernike on/off and order). @default {} */
  areaShape?: AreaShapeOptions;
  /** Texture options (scale, grey levels). @default {} */
  texture?: TextureOptions;
  /** Granularity options (besides the channel). @default {} */
  granularity?: Omit<GranularityOptions, 'channelName'>;
  /** RadialDistribution options (besides the channel). @default {} */
  radialDistribution?: Omit<RadialDistributionOptions, 'channelName'>;
  /** Colocalization options (besides the channel pair), run on every pair of channels. @default {} */
  colocalization?: Omit<ColocalizationOptions, 'channelA' | 'channelB'>;
  /** Neighbors options (method and distance). @default {} */
  neighbors?: NeighborsOptions;
  /** Value of the ImageNumber column. @default 1 */
  imageNumber?: number;
}

export interface MeasuredObjects {
  /** One table per object set, keyed by its name. */
  readonly objects: Readonly<Record<string, Table>>;
  /** One row: ImageNumber and Count_<object set> per object set. */
  readonly image: Table;
}

function resolveFamilies(families: readonly string[] | undefined): FeatureFamily[] {
  const list = families ?? DEFAULT_FAMILIES;
  for (const f of list) {
    if (!(FEATURE_FAMILIES as readonly string[]).includes(f)) {
      throw new RangeError(`unknown feature family '${f}'; known: ${FEATURE_FAMILIES.join(', ')}`);
    }
  }
  return [...new Set(list)] as FeatureFamily[];
}

/** A label image as uint32, rejecting non-integral or negative labels and multi-channel images. */
export function toLabelImage(image: Image, name = 'labels'): LabelImage {
  if (image.channels !== 1)
    throw new RangeError(`${name}: a label image must have 1 channel, got ${image.channels}`);
  if (image.dtype === 'uint32' || image.dtype === 'int32') return image as LabelImage;
  const d = image.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (!(v >= 0) || !Number.isInteger(v)) {
      throw new RangeError(`${name}: label images need non-negative integer values, got ${v} at pixel ${i}`);
    }
  }
  return convert(image, 'uint32');
}

/** Column specs for one object set, before measuring: what `measureObjects` will write, in order. */
export function measureObjectsSchema(
  channels: readonly string[],
  options: MeasureObjectsOptions = {},
): FeatureSpec[] {
  const families = resolveFamilies(options.families);
  const specs: FeatureSpec[] = [];
  if (families.includes('location')) specs.push(...locationSchema());
  if (families.includes('areashape')) specs.push(...areaShapeSchema(options.areaShape));
  if (families.includes('neighbors')) specs.push(...neighborsSchema(options.neighbors));
  for (const channelName of channels) {
    if (families.includes('intensity')) specs.push(...intensitySchema({ channelName }));
    if (families.includes('texture')) specs.push(...textureSchema({ ...options.texture, channelName }));
    if (families.includes('granularity'))
      specs.push(...granularitySchema({ ...options.granularity, channelName }));
    if (families.includes('radialdistribution')) {
      specs.push(...radialDistributionSchema({ ...options.radialDistribution, channelName }));
    }
  }
  if (families.includes('colocalization')) {
    for (const [channelA, channelB] of channelPairs(channels)) {
      specs.push(...colocalizationSchema({ ...options.colocalization, channelA, channelB }));
    }
  }
  return specs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Columns of the per-image table after ImageNumber, in the order `measureObjects` writes them. */
export function measureImageSchema(
  objectSets: readonly string[],
  channels: readonly string[],
  options: MeasureObjectsOptions = {},
): FeatureSpec[] {
  const families = resolveFamilies(options.families);
  const specs: FeatureSpec[] = objectSets.map((name) => ({
    name: `Count_${name}`,
    type: 'integer',
    unit: '',
    description: `number of ${name}`,
  }));
  if (families.includes('imagequality')) {
    for (const channelName of channels) specs.push(...imageQualitySchema({ channelName }));
  }
  if (families.includes('colocalization')) {
    for (const [channelA, channelB] of channelPairs(channels)) {
      specs.push(...imageColocalizationSchema({ ...options.colocalization, channelA, channelB }));
    }
  }
  if (families.includes('granularity') && objectSets.length > 0) {
    for (const channelName of channels)
      specs.push(...granularitySchema({ ...options.granularity, channelName }));
  }
  return specs;
}

/** Every unordered pair of channels, in the order given. */
function channelPairs<T>(channels: readonly T[]): [T, T][] {
  const pairs: [T, T][] = [];
  for (let i = 0; i < channels.length; i++) {
    for (let j = i + 1; j < channels.length; j++) pairs.push([channels[i]!, channels[j]!]);
  }
  return pairs;
}

/** Largest raw value of an image (255, 65535, ...; 1 for float images): CellProfiler's scale. */
function scaleOf(image: Image): number {
  return maxValueOf({ dtype: image.dtype });
}

/**
 * Measure every object set on every channel with the chosen families. All images must have the same size;
 * channel and object set names must be unique.
 */
export function measureObjects(
  objectSets: readonly ObjectSet[],
  channels: readonly Channel[],
  options: MeasureObjectsOptions = {},
): MeasuredObjects {
  const families = resolveFamilies(options.families);
  const imageNumber = options.imageNumber ?? 1;
  if (!Number.isInteger(imageNumber) || imageNumber < 1) {
    throw new RangeError(`imageNumber must be a positive integer, got ${imageNumber}`);
  }
  const names = new Set<string>();
  for (const c of channels) {
    if (names.has(c.name)) throw new RangeError(`channel '${c.name}' is given twice`);
    names.add(c.name);
  }
  const setNames = new Set<string>();
  for (const s of objectSets) {
    if (setNames.has(s.name)) throw new RangeError(`object set '${s.name}' is given twice`);
    setNames.add(s.name);
  }
  const reference = objectSets[0]?.labels ?? channels[0]?.image;
  for (const item of [
    ...objectSets.map((s) => ({ what: `labels of '${s.name}'`, image: s.labels })),
    ...channels.map((c) => ({ what: `image '${c.name}'`, image: c.image })),
  ]) {
    if (reference && (item.image.width !== reference.width || item.image.height !== reference.height)) {
      throw new RangeError(
        `${item.what} is ${item.image.width}x${item.image.height} but the first input is ${reference.width}x${reference.height}`,
      );
    }
  }
  const floats = channels.map((c) => {
    if (c.image.channels !== 1) {
      throw new RangeError(`image '${c.name}' must have 1 channel, got ${c.image.channels}`);
    }
    return {
      name: c.name,
      image: c.image.dtype === 'float32' ? (c.image as Image<'float32'>) : toFloat32(c.image),
      scale: scaleOf(c.image),
    };
  });
  const imageMeasurements: ImageMeasurement[] = [];
  if (families.includes('imagequality')) {
    for (const c of floats) {
      imageMeasurements.push(...measureImageQuality(c.image, { channelName: c.name }));
    }
  }
  if (families.includes('colocalization')) {
    for (const [a, b] of channelPairs(floats)) {
      imageMeasurements.push(
        ...measureImageColocalization(a.image, b.image, {
          scale: Math.max(a.scale, b.scale),
          ...options.colocalization,
          channelA: a.name,
          channelB: b.name,
        }),
      );
    }
  }
  const objects: Record<string, Table> = {};
  const imageColumns: Record<string, Column> = { ImageNumber: Float64Array.of(imageNumber) };
  for (const set of objectSets) {
    const labels = toLabelImage(set.labels, `labels of '${set.name}'`);
    const index = indexObjects(labels);
    const parts: FeatureSet[] = [];
    if (families.includes('location')) parts.push(measureLocation(labels, index));
    if (families.includes('areashape')) parts.push(measureAreaShape(labels, options.areaShape, index));
    if (families.includes('neighbors')) parts.push(measureNeighbors(labels, options.neighbors, index));
    for (const c of floats) {
      if (families.includes('intensity')) {
        parts.push(measureIntensity(labels, c.image, { channelName: c.name }, index));
      }
      if (families.includes('texture')) {
        parts.push(measureTexture(labels, c.image, { ...options.texture, channelName: c.name }, index));
      }
      if (families.includes('granularity')) {
        const g = granularity(labels, c.image, { ...options.granularity, channelName: c.name }, index);
        parts.push(g.objects);
        // The image-level spectrum does not depend on the objects: record it once per channel.
        if (set === objectSets[0]) imageMeasurements.push(...g.image);
      }
      if (families.includes('radialdistribution')) {
        parts.push(
          measureRadialDistribution(
            labels,
            c.image,
            { ...options.radialDistribution, channelName: c.name },
            index,
          ),
        );
      }
    }
    if (families.includes('colocalization')) {
      for (const [a, b] of channelPairs(floats)) {
        parts.push(
          measureColocalization(
            labels,
            a.image,
            b.image,
            {
              scale: Math.max(a.scale, b.scale),
              ...options.colocalization,
              channelA: a.name,
              channelB: b.name,
            },
            index,
          ),
        );
      }
    }
    const merged = mergeFeatureSets(parts);
    const n = index.count;
    const columns: Record<string, Column> = {
      ImageNumber: new Float64Array(n).fill(imageNumber),
      ObjectNumber: Float64Array.from(index.labels),
    };
    const featureNames = merged.features.map((f) => f.spec.name).sort();
    const byName = new Map(merged.features.map((f) => [f.spec.name, f.values]));
    for (const name of featureNames) columns[name] = byName.get(name)!;
    objects[set.name] = tableFromColumns(columns, ['ImageNumber', 'ObjectNumber', ...featureNames]);
    imageColumns[`Count_${set.name}`] = Float64Array.of(n);
  }
  for (const m of imageMeasurements) {
    if (imageColumns[m.spec.name]) throw new RangeError(`image measurement '${m.spec.name}' appears twice`);
    imageColumns[m.spec.name] = Float64Array.of(m.value);
  }
  return { objects, image: tableFromColumns(imageColumns) };
}
