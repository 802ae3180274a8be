// Runs the per-object feature families over object sets and channels and assembles CellProfiler-style tables:
// one per object set (ImageNumber, ObjectNumber, then features in alphabetical order as ExportToSpreadsheet
// writes them) and one per-image table with the object counts.
import { convert, type Image, type LabelImage, toFloat32 } from '../image/image.ts';
import { type Column, type Table, tableFromColumns } from '../table/table.ts';
import { type AreaShapeOptions, areaShapeSchema, measureAreaShape } from './areaShape.ts';
import { intensitySchema, measureIntensity } from './intensity.ts';
import { locationSchema, measureLocation } from './location.ts';
import { indexObjects } from './objects.ts';
import { measureTexture, type TextureOptions, textureSchema } from './texture.ts';
import { type FeatureSet, type FeatureSpec, mergeFeatureSets } from './types.ts';

/** The feature families `measureObjects` can run. */
export const FEATURE_FAMILIES = ['location', 'areashape', 'intensity', 'texture'] as const;
export type FeatureFamily = (typeof FEATURE_FAMILIES)[number];

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
  const list = families ?? FEATURE_FAMILIES;
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
  for (const channelName of channels) {
    if (families.includes('intensity')) specs.push(...intensitySchema({ channelName }));
    if (families.includes('texture')) specs.push(...textureSchema({ ...options.texture, channelName }));
  }
  return specs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
    };
  });
  const needsChannels = families.includes('intensity') || families.includes('texture');
  const objects: Record<string, Table> = {};
  const imageColumns: Record<string, Column> = { ImageNumber: Float64Array.of(imageNumber) };
  for (const set of objectSets) {
    const labels = toLabelImage(set.labels, `labels of '${set.name}'`);
    const index = indexObjects(labels);
    const parts: FeatureSet[] = [];
    if (families.includes('location')) parts.push(measureLocation(labels, index));
    if (families.includes('areashape')) parts.push(measureAreaShape(labels, options.areaShape, index));
    if (needsChannels) {
      for (const c of floats) {
        if (families.includes('intensity')) {
          parts.push(measureIntensity(labels, c.image, { channelName: c.name }, index));
        }
        if (families.includes('texture')) {
          parts.push(measureTexture(labels, c.image, { ...options.texture, channelName: c.name }, index));
        }
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
  return { objects, image: tableFromColumns(imageColumns) };
}
