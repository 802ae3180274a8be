// The pipeline file (version 1): a zod schema that is the single definition of every section, its defaults
// and its types. Unknown keys are errors (strict objects) so a typo never silently falls back to a default.
import { z } from 'zod';
import { OBJECT_FEATURE_FAMILIES } from '../measure/measureObjects.ts';

/** The version this code writes and runs; older files are upgraded by upgrade.ts. */
export const PIPELINE_VERSION = 1;

const positive = z.number().positive();
const diameter = z.union([z.literal('auto'), z.tuple([positive, positive])]);

export const inputSchema = z.strictObject({
  /** 'folder' of image files, or an OME-Zarr 'zarr' plate. */
  source: z.enum(['folder', 'zarr']).default('folder'),
  /** Folder or OME-Zarr path, relative to the pipeline file. */
  path: z.string().min(1),
  /** 'auto', a built-in layout name (imagexpress, cellomics, ...) or a regular expression with named groups. */
  pattern: z.string().min(1).default('auto'),
  /** Channel name -> channel token in the file names ('w1', 'd0', ...) or OME channel name/index. */
  channels: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/), z.string().min(1))
    .refine((c) => Object.keys(c).length > 0, 'at least one channel is needed'),
  /** Plate map (CSV with a well column), relative to the pipeline file. */
  plateMap: z.string().min(1).optional(),
  /** Plate format the plate map's wells are checked against (6, 24, 48, 96, 384, 1536). */
  plateFormat: z
    .union([z.literal(6), z.literal(24), z.literal(48), z.literal(96), z.literal(384), z.literal(1536)])
    .default(96),
  /** Only these wells (e.g. ['A01', 'B02']). */
  wells: z.array(z.string().regex(/^[A-Za-z]{1,2}\d{1,2}$/)).optional(),
  /** Analyse only this rectangle of every field (CellProfiler's rectangular Crop), pixels from the top-left. */
  crop: z
    .strictObject({
      x: z.number().int().nonnegative(),
      y: z.number().int().nonnegative(),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
    })
    .optional(),
  /** Take the plate name from the parent folder. */
  plateFromFolder: z.boolean().default(false),
});

export const illuminationSchema = z.strictObject({
  /** Channel name (a key of input.channels). */
  channel: z.string().min(1),
  /** How fields are combined into the illumination function per plate and channel. */
  method: z.enum(['none', 'mean', 'median']).default('mean'),
  /** Smoothing filter of the combined image (CellProfiler: Gaussian or median filter). */
  smoothing: z.enum(['gaussian', 'median', 'none']).default('gaussian'),
  /** Filter size in pixels (Gaussian: sigma = size / 2.35, CellProfiler's convention; median: window side). */
  size: positive.default(50),
  /** At most this many fields per plate enter the function (evenly spaced; keeps memory bounded). */
  maxFields: z.number().int().positive().default(64),
});

export const qcSchema = z.strictObject({
  /** Channel the QC metrics are computed on (default: the first channel). */
  channel: z.string().min(1).optional(),
  /** Exclude fields whose focus score (variance of the Laplacian / mean^2) is below this. */
  minFocus: z.number().nonnegative().optional(),
  /**
   * Exclude fields whose focus score is below this fraction of the plate's median focus (estimated on up to 64
   * evenly spaced fields per plate); combined with minFocus, both must pass.
   */
  minFocusRelative: z.number().positive().max(1).optional(),
  /** Exclude fields where more than this fraction of pixels sit at the type's maximum (saturated). */
  maxSaturated: z.number().min(0).max(1).optional(),
  /** Exclude fields where the first object set finds no object. */
  excludeEmpty: z.boolean().default(true),
});

const primaryClassical = z.strictObject({
  diameter: diameter.default('auto'),
  threshold: z.enum(['otsu', 'log-otsu', 'centrosome-otsu']).default('log-otsu'),
  /** Otsu classes; with 3, `middleClass` says where the middle class goes (CellProfiler's settings). */
  thresholdClasses: z.union([z.literal(2), z.literal(3)]).default(2),
  middleClass: z.enum(['foreground', 'background']).default('foreground'),
  /** Threshold computed from the smoothed image or, as CellProfiler does, from the unsmoothed one. */
  thresholdSource: z.enum(['smoothed', 'raw']).default('smoothed'),
  thresholdCorrection: positive.default(1),
  thresholdSmoothing: z.number().nonnegative().default(1),
  declump: z.enum(['shape', 'intensity', 'none']).default('shape'),
  /** 'cellprofiler': CellProfiler's own declumping (segment/declumpCellProfiler.ts). */
  declumpStyle: z.enum(['default', 'cellprofiler']).default('default'),
  declumpSmoothing: z.union([z.literal('auto'), z.number().nonnegative()]).default('auto'),
  minPeakDistance: z.union([z.literal('auto'), z.number().nonnegative()]).default('auto'),
  fillHoles: z.boolean().default(true),
  discardOutsideRange: z.boolean().default(true),
  discardBorder: z.boolean().default(false),
  /** Components larger than this fraction of the field are re-thresholded within themselves; 0 never. */
  refineFraction: z.number().min(0).max(1).default(0.05),
});

const cnnOptions = z.strictObject({
  /** ONNX model path (relative to the pipeline file); the committed nuclei U-Net by default. */
  model: z.string().optional(),
  tileSize: z.number().int().positive().optional(),
});

export const objectSchema = z.discriminatedUnion('type', [
  z.strictObject({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
    type: z.literal('primary'),
    channel: z.string().min(1),
    method: z.enum(['classical', 'cnn']).default('classical'),
    options: primaryClassical.default(primaryClassical.parse({})),
    cnn: cnnOptions.optional(),
  }),
  z.strictObject({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
    type: z.literal('secondary'),
    /** Object set that seeds these objects. */
    primary: z.string().min(1),
    channel: z.string().min(1),
    /** 'propagation' (CellProfiler's), 'watershed' (inverted image), 'distance' (grow by up to `distance` px). */
    method: z.enum(['propagation', 'watershed', 'distance']).default('propagation'),
    /** Propagation's lambda (CellProfiler's regularization factor). */
    regularization: z.number().nonnegative().default(0.05),
    threshold: z.enum(['otsu', 'log-otsu', 'centrosome-otsu']).default('otsu'),
    thresholdCorrection: positive.default(1),
    thresholdSmoothing: z.number().nonnegative().default(1),
    /** Distance limit for the 'distance' method, pixels. */
    distance: positive.default(10),
    fillHoles: z.boolean().default(true),
    discardBorder: z.boolean().default(false),
    /**
     * Primary objects that their step discarded for touching the border grow too, claiming territory that is
     * then left empty (CellProfiler's behaviour; needs a classical primary step).
     */
    borderCompetitors: z.boolean().default(false),
    /** 'cellprofiler': CellProfiler 3's thresholding and propagation to the pixel (pipeline/objects.ts). */
    style: z.enum(['default', 'cellprofiler']).default('default'),
  }),
  z.strictObject({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
    type: z.literal('tertiary'),
    /** Larger objects (e.g. Cells). */
    larger: z.string().min(1),
    /** Smaller objects removed from them (e.g. Nuclei). */
    smaller: z.string().min(1),
    shrinkSmaller: z.boolean().default(true),
  }),
]);

/** Per-object feature families of a measurement step (image quality is the `image.quality` section). */
export const FAMILIES = OBJECT_FEATURE_FAMILIES;

export const measurementSchema = z.strictObject({
  /** Object set measured. */
  objects: z.string().min(1),
  families: z.array(z.enum(FAMILIES)).default(['location', 'areashape', 'intensity']),
  /** Channels measured (intensity, texture, ...); default: every channel. */
  channels: z.array(z.string().min(1)).optional(),
  /** Zernike moments in AreaShape. */
  zernike: z.boolean().default(true),
  /** Texture scales (pixels) — one Haralick set per scale. */
  textureScales: z.array(z.number().int().positive()).default([3]),
  textureGrayLevels: z.number().int().min(2).max(256).default(256),
});

export const imageMeasurementSchema = z.strictObject({
  /** MeasureImageQuality (focus, saturation, intensity percentiles) on these channels. */
  quality: z.array(z.string().min(1)).default([]),
  /** Whole-image colocalization (MeasureColocalization 'Across entire image') of every pair of these channels. */
  colocalization: z.array(z.string().min(1)).default([]),
  /** Colocalization threshold, percent of each image's maximum (CellProfiler's default 15). */
  colocalizationThreshold: z.number().min(0).max(100).default(15),
});

export const classifierSchema = z.strictObject({
  /** Random forest model JSON (phenoscope classify train), relative to the pipeline file. */
  model: z.string().min(1),
  /** Object set whose rows are classified. */
  objects: z.string().min(1),
  /** Column the predicted class goes into (a per-class probability column is added per class). */
  column: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
    .default('Class'),
});

export const outputsSchema = z.strictObject({
  /** DuckDB store, relative to the pipeline file. */
  store: z.string().min(1).default('results.duckdb'),
  /** Folder the store's tables and views are exported to as Parquet after each run (one file each). */
  parquet: z.string().min(1).optional(),
  /** Folder the store's tables and views are exported to as CSV after each run. */
  csv: z.string().min(1).optional(),
  /** Folder for label images (32-bit TIFF per field and object set); none when absent. */
  labels: z.string().min(1).optional(),
});

export const pipelineSchema = z.strictObject({
  version: z.literal(PIPELINE_VERSION),
  name: z.string().min(1).default('pipeline'),
  description: z.string().optional(),
  input: inputSchema,
  illumination: z.array(illuminationSchema).default([]),
  qc: qcSchema.default(qcSchema.parse({})),
  objects: z.array(objectSchema).default([]),
  measurements: z.array(measurementSchema).default([]),
  image: imageMeasurementSchema.default(imageMeasurementSchema.parse({})),
  classifiers: z.array(classifierSchema).default([]),
  outputs: outputsSchema.default(outputsSchema.parse({})),
});

export type Pipeline = z.output<typeof pipelineSchema>;
export type PipelineInput = z.input<typeof pipelineSchema>;
export type ObjectStep = Pipeline['objects'][number];
export type PrimaryStep = Extract<ObjectStep, { type: 'primary' }>;
export type MeasurementStep = Pipeline['measurements'][number];
export type IlluminationStep = Pipeline['illumination'][number];
export type QcSettings = Pipeline['qc'];

/** Cross-section checks zod cannot express per field: names refer to defined channels and object sets. */
export function referenceIssues(p: Pipeline): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const channels = Object.keys(p.input.channels);
  const channel = (path: (string | number)[], name: string) => {
    if (!channels.includes(name)) {
      issues.push({
        path,
        message: `unknown channel '${name}' (input.channels has: ${channels.join(', ')})`,
      });
    }
  };
  p.illumination.forEach((s, i) => {
    channel(['illumination', i, 'channel'], s.channel);
  });
  if (p.qc.channel !== undefined) channel(['qc', 'channel'], p.qc.channel);
  p.image.quality.forEach((c, i) => {
    channel(['image', 'quality', i], c);
  });
  p.image.colocalization.forEach((c, i) => {
    channel(['image', 'colocalization', i], c);
  });
  if (p.image.colocalization.length === 1) {
    issues.push({ path: ['image', 'colocalization'], message: 'colocalization needs at least 2 channels' });
  }
  const sets: string[] = [];
  const set = (path: (string | number)[], name: string) => {
    if (!sets.includes(name)) {
      issues.push({
        path,
        message: `unknown object set '${name}' (defined before it: ${sets.join(', ') || 'none'})`,
      });
    }
  };
  p.objects.forEach((o, i) => {
    if (sets.includes(o.name))
      issues.push({ path: ['objects', i, 'name'], message: `'${o.name}' defined twice` });
    if (o.type === 'primary') channel(['objects', i, 'channel'], o.channel);
    if (o.type === 'secondary') {
      channel(['objects', i, 'channel'], o.channel);
      set(['objects', i, 'primary'], o.primary);
    }
    if (o.type === 'tertiary') {
      set(['objects', i, 'larger'], o.larger);
      set(['objects', i, 'smaller'], o.smaller);
    }
    sets.push(o.name);
  });
  p.measurements.forEach((m, i) => {
    set(['measurements', i, 'objects'], m.objects);
    m.channels?.forEach((c, j) => {
      channel(['measurements', i, 'channels', j], c);
    });
  });
  p.classifiers.forEach((c, i) => {
    set(['classifiers', i, 'objects'], c.objects);
  });
  return issues;
}
