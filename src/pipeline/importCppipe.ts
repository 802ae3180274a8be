// Conversion of a CellProfiler pipeline (parsed by cppipe.ts) into a Phenoscope pipeline document: channel
// names and naming rules, illumination correction, primary/secondary/tertiary objects and measurements, with a
// report of every module and setting that cannot be carried over. Setting meanings from CellProfiler's
// modules (cellprofiler/modules/identifyprimaryobjects.py, identifysecondaryobjects.py, threshold.py,
// correctilluminationcalculate.py, measure*.py; threshold smoothing sigma = scale / 1.3488).
import { Document, isMap, isScalar, isSeq, visit } from 'yaml';
import { type CpModule, type CpPipeline, setting, settings } from './cppipe.ts';
import { FAMILIES, PIPELINE_VERSION } from './schema.ts';

export interface ImportNote {
  /** Module number and name, e.g. '5 IdentifyPrimaryObjects'. */
  readonly module: string;
  /** 'dropped' (the whole module is not carried), 'setting' (one setting changed or ignored), 'info'. */
  readonly kind: 'dropped' | 'setting' | 'info';
  readonly message: string;
}

export interface ImportResult {
  /** The pipeline document (validates with pipelineSchema). */
  readonly pipeline: Record<string, unknown>;
  readonly notes: readonly ImportNote[];
  /** YAML text with the notes as comments. */
  readonly yaml: string;
}

export interface ImportOptions {
  /** input.path of the result (CellProfiler pipelines carry no image folder). @default 'images' */
  inputPath?: string;
  /** Pipeline name. @default 'imported' */
  name?: string;
}

const IGNORED_SILENTLY = new Set(['Images', 'Groups']);
const OUTPUT_MODULES = new Set([
  'ExportToSpreadsheet',
  'SaveImages',
  'ConvertObjectsToImage',
  'ExportToDatabase',
]);

function ident(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z]/.test(s) ? s : `C_${s}`;
}

function list(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'None' && s !== 'Do not use');
}

function yes(value: string | undefined): boolean {
  return value === 'Yes' || value === 'True';
}

function numbers(value: string | undefined): number[] {
  return (value ?? '').split(',').map((s) => Number(s.trim()));
}

/** Convert a parsed CellProfiler pipeline. */
export function importCellProfiler(cp: CpPipeline, options: ImportOptions = {}): ImportResult {
  const notes: ImportNote[] = [];
  const note = (m: CpModule, kind: ImportNote['kind'], message: string) =>
    notes.push({ module: `${m.number} ${m.name}`, kind, message });
  const channels: Record<string, string> = {};
  /** CellProfiler image name -> channel name (through illumination correction, crops, ...). */
  const alias = new Map<string, string>();
  const channelOf = (m: CpModule, image: string): string | undefined => {
    const c = alias.get(image);
    if (c === undefined)
      note(m, 'setting', `image '${image}' is not a loaded channel (made by a module not carried over)`);
    return c;
  };
  // the imager's naming is detected (input.pattern 'auto'); CellProfiler's regex is kept as a comment
  const pattern = 'auto';
  let metadataRegex: string | undefined;
  const illumination: Record<string, unknown>[] = [];
  const illumFunctions = new Map<string, Record<string, unknown>>();
  const objects: Record<string, unknown>[] = [];
  const measurements = new Map<
    string,
    {
      families: Set<string>;
      channels: Set<string>;
      zernike: boolean;
      scales: Set<number>;
      grayLevels: number;
    }
  >();
  const quality = new Set<string>();
  const colocalization: string[] = [];
  let cropBox: { x: number; y: number; width: number; height: number } | undefined;
  let colocalizationThreshold = 15;
  let labels = false;
  const measure = (objectsName: string) => {
    let m = measurements.get(objectsName);
    if (!m) {
      m = { families: new Set(), channels: new Set(), zernike: true, scales: new Set(), grayLevels: 256 };
      measurements.set(objectsName, m);
    }
    return m;
  };

  for (const m of cp.modules) {
    if (!m.enabled) {
      note(m, 'dropped', 'disabled in CellProfiler; skipped');
      continue;
    }
    const v = (prefix: string) => setting(m, prefix)?.value;
    switch (m.name) {
      case 'Metadata': {
        const method = v('Metadata extraction method');
        const regex = v('Regular expression to extract from file name') ?? v('Regular expression');
        if (yes(v('Extract metadata?')) && method?.startsWith('Extract from file') && regex) {
          metadataRegex = regex.replace(/\(\?P</g, '(?<');
          note(
            m,
            'info',
            `file-name regular expression kept as a comment: ${metadataRegex}; input.pattern 'auto' detects the imager's naming`,
          );
        } else if (regex && !yes(v('Extract metadata?'))) {
          metadataRegex = undefined;
        }
        if (v('Metadata source') === 'Folder name')
          note(m, 'setting', 'metadata from folder names is not carried');
        break;
      }
      case 'NamesAndTypes': {
        const assign = v('Assign a name to');
        const names = settings(m, 'Name to assign these images').map((s) => s.value);
        const rules = settings(m, 'Select the rule criteria').map((s) => s.value);
        if (assign === 'All images') {
          const name = ident(names[0] ?? 'DNA');
          channels[name] = '1';
          alias.set(names[0] ?? 'DNA', name);
          note(
            m,
            'info',
            `one channel '${name}' for all images: token '1' (the layouts' default channel for single-channel names)`,
          );
          break;
        }
        // In 'Images matching rules' the first name setting is the unused single-assignment default.
        const assigned = names.length > rules.length ? names.slice(names.length - rules.length) : names;
        rules.forEach((rule, i) => {
          const name = assigned[i];
          if (name === undefined) return;
          const c = ident(name);
          const contains = /file does (?:contain|eq|startwith) "([^"]+)"/.exec(rule);
          const meta = /metadata does (\w+) "([^"]+)"/.exec(rule);
          let token: string | undefined;
          if (contains) {
            token = contains[1]!.replace(/\.(tiff?|png|npy)$/i, '').replace(/^Channel ?/i, '');
            const m2 = /(?:^|_)(w\d+|d\d+|ch\d+)$/i.exec(token);
            if (m2) token = m2[1]!;
          } else if (meta) token = meta[2];
          if (token === undefined) {
            note(
              m,
              'setting',
              `rule '${rule}' for '${name}' has no file-name token; set input.channels.${c} by hand`,
            );
            token = name;
          } else if (contains && !/^(w\d+|d\d+|ch\d+|\d+)$/i.test(token)) {
            note(
              m,
              'setting',
              `channel '${c}' matched by file text "${contains[1]}" in CellProfiler; token '${token}' needs a matching input.pattern (a regex with a channel group)`,
            );
          }
          if (/\.npy/i.test(rule)) {
            note(
              m,
              'dropped',
              `'${name}' loads a precomputed illumination function (${rule}); Phenoscope computes its own`,
            );
            return;
          }
          channels[c] = token;
          alias.set(name, c);
        });
        if (v('Image set matching method') === 'Metadata')
          note(m, 'info', 'image sets matched by metadata: Phenoscope groups files by plate/well/site');
        break;
      }
      case 'CorrectIlluminationCalculate': {
        const input = v('Select the input image') ?? '';
        const output = v('Name the output image') ?? '';
        const c = channelOf(m, input);
        const how = v('Select how the illumination function is calculated');
        const smoothingMethod = v('Smoothing method') ?? 'Gaussian Filter';
        const each = v('Calculate function for each image individually');
        const step: Record<string, unknown> = { channel: c ?? ident(input), method: 'mean' };
        if (how !== 'Regular')
          note(m, 'setting', `'${how}' illumination is computed as 'Regular' (mean of fields)`);
        if (each?.startsWith('Each'))
          note(m, 'setting', "'Each' (per image) becomes 'All' (per plate and channel)");
        if (smoothingMethod === 'Median Filter') step.smoothing = 'median';
        else if (smoothingMethod === 'No smoothing') step.smoothing = 'none';
        else {
          step.smoothing = 'gaussian';
          if (smoothingMethod !== 'Gaussian Filter')
            note(m, 'setting', `smoothing '${smoothingMethod}' is replaced by a Gaussian filter`);
        }
        const sizeMethod = v('Method to calculate smoothing filter size');
        if (sizeMethod === 'Manually') step.size = Number(v('Smoothing filter size'));
        else if (sizeMethod === 'Object size') step.size = Number(v('Approximate object diameter')) * 2;
        else note(m, 'setting', `filter size '${sizeMethod ?? 'Automatic'}' becomes the default size 50`);
        if (yes(v('Dilate objects'))) note(m, 'setting', 'dilation of the averaged image is not carried');
        const rescale = v('Rescale the illumination function');
        if (rescale && rescale !== 'Median')
          note(m, 'info', `rescale '${rescale}': Phenoscope divides the function by its median`);
        illumFunctions.set(output, step);
        if (c !== undefined) alias.set(output, c);
        break;
      }
      case 'CorrectIlluminationApply': {
        const inputs = settings(m, 'Select the input image').map((s) => s.value);
        const outputs = settings(m, 'Name the output image').map((s) => s.value);
        const functions = settings(m, 'Select the illumination function').map((s) => s.value);
        const hows = settings(m, 'Select how the illumination function is applied').map((s) => s.value);
        inputs.forEach((input, i) => {
          const c = channelOf(m, input);
          const fn = illumFunctions.get(functions[i] ?? '');
          if (!fn) {
            note(
              m,
              'dropped',
              `illumination function '${functions[i]}' is loaded from a file, not computed; not applied`,
            );
          } else if (!illumination.includes(fn)) illumination.push(fn);
          if (hows[i] && hows[i] !== 'Divide') note(m, 'setting', `'${hows[i]}' becomes 'Divide'`);
          if (c !== undefined && outputs[i]) alias.set(outputs[i]!, c);
        });
        break;
      }
      case 'Align': {
        const inputs = m.settings.filter((x) => /^Select the .*input image/.test(x.name)).map((x) => x.value);
        const outputs = m.settings.filter((x) => /^Name the .*output image/.test(x.name)).map((x) => x.value);
        note(
          m,
          'dropped',
          `alignment is not carried: ${outputs.join(', ')} are the unaligned ${inputs.join(', ')}`,
        );
        inputs.forEach((input, i) => {
          const c = alias.get(input);
          if (c !== undefined && outputs[i] !== undefined) alias.set(outputs[i]!, c);
        });
        break;
      }
      case 'Crop': {
        const input = v('Select the input image') ?? '';
        const output = v('Name the output image') ?? '';
        const shape = v('Select the cropping shape') ?? '';
        const method = v('Select the cropping method') ?? '';
        if (shape === 'Rectangle' && method === 'Coordinates') {
          // CellProfiler slices [top:bottom, left:right] (cellprofiler/modules/crop.py)
          const [left, right] = numbers(v('Left and right rectangle positions'));
          const [top, bottom] = numbers(v('Top and bottom rectangle positions'));
          const box = { x: left!, y: top!, width: right! - left!, height: bottom! - top! };
          if (
            ![box.x, box.y, box.width, box.height].every((n) => Number.isInteger(n)) ||
            box.width < 1 ||
            box.height < 1
          ) {
            note(
              m,
              'dropped',
              `rectangle ${left},${right} x ${top},${bottom} is not carried (not whole pixels from the top-left)`,
            );
          } else if (cropBox && JSON.stringify(cropBox) !== JSON.stringify(box)) {
            note(
              m,
              'setting',
              `a second, different rectangle is not carried: every channel uses the first crop`,
            );
          } else cropBox = box;
        } else if (shape === 'Previous cropping' && cropBox) {
          // the same rectangle: input.crop applies to every channel
        } else {
          note(
            m,
            'dropped',
            `cropping by '${shape}' is not carried: '${output}' is the whole '${input}' image`,
          );
        }
        const c = alias.get(input);
        if (c !== undefined) alias.set(output, c);
        break;
      }
      case 'IdentifyPrimaryObjects': {
        const input = v('Select the input image') ?? '';
        const name = ident(v('Name the primary objects') ?? 'Nuclei');
        const c = channelOf(m, input);
        const [dmin, dmax] = numbers(v('Typical diameter'));
        const opts: Record<string, unknown> = {};
        if (Number.isFinite(dmin) && Number.isFinite(dmax)) opts.diameter = [dmin, dmax];
        Object.assign(opts, thresholdOptions(m, note, v('Log transform before thresholding') === 'Yes'));
        // CellProfiler computes the threshold on the unsmoothed image and has no re-thresholding of large
        // components; the declumping of CellProfiler 2-3 (module revision <= 13; 4 writes 14, 5 writes 15) is
        // reproduced by declumpStyle 'cellprofiler', while CellProfiler 4-5's objects agree better with ours
        // (docs/validation/pipeline.md, synthetic16)
        opts.thresholdSource = 'raw';
        const correction = Number(v('Threshold correction factor') ?? 1);
        if (correction > 0) opts.thresholdCorrection = correction;
        opts.thresholdSmoothing = thresholdSigma(m);
        const declump = v('Method to distinguish clumped objects') ?? 'Shape';
        opts.declump = declump === 'Intensity' ? 'intensity' : declump === 'None' ? 'none' : 'shape';
        if (m.variableRevision <= 13) opts.declumpStyle = 'cellprofiler';
        opts.refineFraction = 0;
        if (declump !== 'None' && yes(v('Speed up by using lower-resolution image')) && (dmin ?? 0) > 10)
          note(m, 'setting', 'local maxima are found at full resolution, not on a lower-resolution image');
        if (declump === 'Laplacian of Gaussian')
          note(m, 'setting', "declumping 'Laplacian of Gaussian' becomes 'shape'");
        const lines = v('Method to draw dividing lines');
        if (lines && lines !== declump && declump !== 'None')
          note(
            m,
            'setting',
            `dividing lines by '${lines}' are drawn by the declump method '${declump}' (watershed on the same image)`,
          );
        if (!yes(v('Automatically calculate size of smoothing filter')))
          opts.declumpSmoothing = Number(v('Size of smoothing filter')) / 2.35;
        if (!yes(v('Automatically calculate minimum allowed distance')))
          opts.minPeakDistance = Number(v('Suppress local maxima'));
        const fill = v('Fill holes in identified objects') ?? 'Yes';
        opts.fillHoles = fill !== 'Never' && fill !== 'No';
        if (fill === 'After declumping only')
          note(m, 'setting', "holes are filled after thresholding too ('After both')");
        opts.discardOutsideRange = yes(v('Discard objects outside the diameter range'));
        opts.discardBorder = yes(v('Discard objects touching the border'));
        if (yes(v('Try to merge too small objects')))
          note(m, 'setting', 'merging small objects into larger neighbours is not carried');
        const handling = v('Handling of objects if excessive number');
        if (handling && handling !== 'Continue')
          note(
            m,
            'setting',
            `'${handling}' when over ${v('Maximum number of objects')} objects is not carried`,
          );
        objects.push({
          name,
          type: 'primary',
          channel: c ?? ident(input),
          method: 'classical',
          options: opts,
        });
        break;
      }
      case 'IdentifySecondaryObjects': {
        const name = ident(v('Name the objects to be identified') ?? 'Cells');
        const primary = ident(v('Select the input objects') ?? 'Nuclei');
        const input = v('Select the input image') ?? '';
        const c = channelOf(m, input);
        const method = v('Select the method to identify the secondary objects') ?? 'Propagation';
        const step: Record<string, unknown> = {
          name,
          type: 'secondary',
          primary,
          channel: c ?? ident(input),
        };
        if (method.startsWith('Distance')) {
          step.method = 'distance';
          step.distance = Number(v('Number of pixels by which to expand'));
          if (method === 'Distance - B')
            note(m, 'setting', "'Distance - B' (bounded by the threshold) becomes 'Distance - N'");
        } else {
          if (method === 'Propagation') {
            step.method = 'propagation';
            const lambda = Number(v('Regularization factor') ?? 0.05);
            if (Number.isFinite(lambda) && lambda >= 0) step.regularization = lambda;
          } else {
            step.method = 'watershed';
            if (method !== 'Watershed - Image') note(m, 'setting', `'${method}' becomes 'Watershed - Image'`);
          }
          const t = thresholdOptions(m, note, false);
          step.threshold = t.threshold;
          if (t.thresholdClasses === 3)
            note(m, 'setting', 'three-class Otsu of the secondary objects becomes two-class Otsu');
          const correction = Number(v('Threshold correction factor') ?? 1);
          if (correction > 0) step.thresholdCorrection = correction;
          step.thresholdSmoothing = thresholdSigma(m);
        }
        step.fillHoles = yes(v('Fill holes in identified objects') ?? 'Yes');
        step.discardBorder = yes(v('Discard secondary objects touching the border'));
        // IdentifySecondaryObjects grows the primary objects discarded at the border too (its labels_in) and
        // thresholds and propagates as pipeline/objects.ts' style 'cellprofiler' describes
        step.borderCompetitors = true;
        if (!method.startsWith('Distance')) step.style = 'cellprofiler';
        if (yes(v('Discard the associated primary objects')))
          note(m, 'setting', 'discarding the associated primary objects is not carried');
        objects.push(step);
        break;
      }
      case 'IdentifyTertiaryObjects': {
        const name = ident(v('Name the tertiary objects') ?? 'Cytoplasm');
        objects.push({
          name,
          type: 'tertiary',
          larger: ident(v('Select the larger identified objects') ?? 'Cells'),
          smaller: ident(v('Select the smaller identified objects') ?? 'Nuclei'),
          shrinkSmaller: yes(v('Shrink smaller object') ?? 'Yes'),
        });
        break;
      }
      case 'MeasureObjectSizeShape': {
        const sets = [
          ...list(v('Select object sets to measure')),
          ...settings(m, 'Select objects to measure').flatMap((s) => list(s.value)),
        ];
        for (const o of sets) {
          const meas = measure(ident(o));
          meas.families.add('areashape');
          meas.families.add('location');
          meas.zernike = (v('Calculate the Zernike features') ?? 'Yes') === 'Yes';
        }
        if (yes(v('Calculate the advanced features')))
          note(m, 'setting', 'advanced (moments, inertia) features are not computed');
        break;
      }
      case 'MeasureObjectIntensity':
      case 'MeasureTexture':
      case 'MeasureGranularity':
      case 'MeasureObjectIntensityDistribution':
      case 'MeasureObjectRadialDistribution': {
        const family = {
          MeasureObjectIntensity: 'intensity',
          MeasureTexture: 'texture',
          MeasureGranularity: 'granularity',
          MeasureObjectIntensityDistribution: 'radialdistribution',
          MeasureObjectRadialDistribution: 'radialdistribution',
        }[m.name]!;
        const images = settings(m, 'Select images to measure')
          .concat(settings(m, 'Select an image to measure'))
          .concat(settings(m, 'Select the input image'))
          .flatMap((s) => list(s.value));
        const sets = settings(m, 'Select objects to measure').flatMap((s) => list(s.value));
        if (v('Measure whole images or objects')?.startsWith('Images'))
          note(m, 'setting', 'whole-image texture is not carried');
        if (yes(v('Measure Gabor features')))
          note(m, 'setting', 'Gabor features (removed in CellProfiler 3) are not computed');
        const chans = images.map((i) => channelOf(m, i)).filter((c): c is string => c !== undefined);
        if (sets.length === 0 && family === 'granularity')
          note(m, 'setting', 'granularity of whole images only is not carried');
        for (const o of sets) {
          const meas = measure(ident(o));
          meas.families.add(family);
          for (const c of chans) meas.channels.add(c);
          if (family === 'texture') {
            for (const s of settings(m, 'Texture scale to measure')) meas.scales.add(Number(s.value));
            const levels = Number(v('Enter how many gray levels') ?? 256);
            if (Number.isInteger(levels)) meas.grayLevels = levels;
          }
        }
        break;
      }
      case 'MeasureObjectNeighbors': {
        const o = v('Select objects to measure');
        if (o) measure(ident(o)).families.add('neighbors');
        note(
          m,
          'info',
          `neighbour method '${v('Method to determine neighbors') ?? ''}' ${v('Neighbor distance') ?? ''}: Phenoscope's neighbors defaults apply`,
        );
        break;
      }
      case 'MeasureColocalization':
      case 'MeasureCorrelation': {
        const images = settings(m, 'Select an image to measure')
          .concat(settings(m, 'Select images to measure'))
          .flatMap((s) => list(s.value));
        const sets = settings(m, 'Select an object to measure')
          .concat(settings(m, 'Select objects to measure'))
          .flatMap((s) => list(s.value));
        const chans = images.map((i) => channelOf(m, i)).filter((c): c is string => c !== undefined);
        const where = v('Select where to measure correlation') ?? 'Both';
        if (where !== 'Within objects') {
          for (const c of chans) if (!colocalization.includes(c)) colocalization.push(c);
          const pct = Number(v('Set threshold as percentage') ?? 15);
          if (Number.isFinite(pct)) colocalizationThreshold = pct;
        }
        if (where !== 'Across entire image') {
          for (const o of sets) {
            const meas = measure(ident(o));
            meas.families.add('colocalization');
            for (const c of chans) meas.channels.add(c);
          }
        }
        break;
      }
      case 'MeasureImageQuality': {
        const which = v('Calculate metrics for which images');
        const images =
          which === 'All loaded images'
            ? [...alias.keys()]
            : settings(m, 'Select the images to measure').flatMap((s) => list(s.value));
        for (const i of images) {
          const c = channelOf(m, i);
          if (c !== undefined) quality.add(c);
        }
        if (settings(m, 'Calculate thresholds').some((s) => yes(s.value)))
          note(m, 'setting', 'threshold metrics are not computed');
        break;
      }
      default:
        if (IGNORED_SILENTLY.has(m.name)) break;
        if (OUTPUT_MODULES.has(m.name)) {
          if (m.name === 'ConvertObjectsToImage' || m.name === 'SaveImages')
            labels = labels || m.name === 'ConvertObjectsToImage';
          note(
            m,
            'info',
            "outputs are Phenoscope's own: the DuckDB store (+ Parquet/CSV export) and label images",
          );
          break;
        }
        note(m, 'dropped', 'module not available in Phenoscope pipelines');
    }
  }
  // Drop object sets on images that are not loaded channels, and those built on dropped sets.
  const kept = new Set<string>();
  const validObjects = objects.filter((o) => {
    const s = o as { name: string; channel?: string; primary?: string; larger?: string; smaller?: string };
    const ok =
      (s.channel === undefined || s.channel in channels) &&
      [s.primary, s.larger, s.smaller].every((d) => d === undefined || kept.has(d));
    if (ok) kept.add(s.name);
    else
      notes.push({
        module: 'objects',
        kind: 'dropped',
        message: `object set '${s.name}' depends on an image or objects not carried over; dropped`,
      });
    return ok;
  });
  const measurementSteps = [...measurements.entries()]
    .filter(([o]) => {
      if (kept.has(o)) return true;
      notes.push({
        module: 'measurements',
        kind: 'dropped',
        message: `object set '${o}' is measured but not identified by a carried module`,
      });
      return false;
    })
    .map(([o, meas]) => {
      const families = FAMILIES.filter((f) => meas.families.has(f));
      const step: Record<string, unknown> = { objects: o, families };
      if (meas.channels.size > 0) step.channels = [...meas.channels];
      if (meas.families.has('areashape')) step.zernike = meas.zernike;
      if (meas.families.has('texture')) {
        step.textureScales = meas.scales.size > 0 ? [...meas.scales] : [3];
        step.textureGrayLevels = meas.grayLevels;
      }
      return step;
    });
  if (Object.keys(channels).length === 0) {
    notes.push({
      module: 'NamesAndTypes',
      kind: 'setting',
      message: 'no channel found; a DNA channel with token w1 is assumed',
    });
    channels.DNA = 'w1';
  }
  const pipeline: Record<string, unknown> = {
    version: PIPELINE_VERSION,
    name: options.name ?? 'imported',
    description: `Imported from a CellProfiler pipeline (format version ${cp.version}).`,
    input: {
      source: 'folder',
      path: options.inputPath ?? 'images',
      pattern,
      channels,
      ...(cropBox ? { crop: cropBox } : {}),
    },
    ...(illumination.length > 0
      ? { illumination: illumination.filter((s) => (s.channel as string) in channels) }
      : {}),
    objects: validObjects,
    measurements: measurementSteps,
    ...(quality.size > 0 || colocalization.length >= 2
      ? {
          image: {
            ...(quality.size > 0 ? { quality: [...quality] } : {}),
            ...(colocalization.length >= 2 ? { colocalization, colocalizationThreshold } : {}),
          },
        }
      : {}),
    outputs: { store: 'results.duckdb', ...(labels ? { labels: 'labels' } : {}) },
  };
  const doc = new Document(pipeline);
  const header = [
    ` Imported by 'phenoscope pipeline import' from a CellProfiler pipeline (Version:${cp.version}).`,
    ...(metadataRegex ? [` CellProfiler file-name regex: ${metadataRegex}`] : []),
    notes.length === 0 ? ' Every module was carried over.' : ' Not carried over or changed:',
    ...notes.map((n) => `   [${n.kind}] module ${n.module}: ${n.message}`),
  ];
  doc.commentBefore = header.join('\n');
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((i) => isScalar(i))) node.flow = true;
    },
  });
  // Comments beside the object steps that have notes.
  const objectsNode = doc.get('objects', true);
  if (isSeq(objectsNode)) {
    for (const item of objectsNode.items) {
      if (!isMap(item)) continue;
      const name = String(item.get('name'));
      const own = notes.filter(
        (n) => n.kind !== 'info' && objects.some((o) => o.name === name) && n.message.includes(name),
      );
      if (own.length > 0) item.commentBefore = own.map((n) => ` ${n.message}`).join('\n');
    }
  }
  return { pipeline, notes, yaml: doc.toString({ lineWidth: 0 }) };
}

/**
 * Threshold method, classes and middle class of an Identify module. Three-class Otsu in a pipeline with the
 * legacy threshold block ("Threshold setting version" 1-2, CellProfiler 2-3) is centrosome's otsu3 on log
 * intensities, as CellProfiler 3 ran it (cellprofiler/modules/threshold.py v3.0, centrosome.otsu.otsu3); two
 * classes are skimage's Otsu there and everywhere (CellProfiler 2.x used a log-space Otsu for both: the
 * threshold 'centrosome-otsu'). CellProfiler 4/5's three classes are skimage's threshold_multiotsu.
 */
function thresholdOptions(
  m: CpModule,
  note: (m: CpModule, kind: ImportNote['kind'], message: string) => void,
  log: boolean,
): {
  threshold: 'otsu' | 'log-otsu' | 'centrosome-otsu';
  thresholdClasses: 2 | 3;
  middleClass: 'foreground' | 'background';
} {
  const v = (prefix: string) => setting(m, prefix)?.value;
  const strategy = v('Threshold strategy') ?? 'Global';
  const methods = settings(m, 'Thresholding method').map((s) => s.value);
  const method = methods[0] ?? 'Otsu';
  if (strategy !== 'Global') note(m, 'setting', `threshold strategy '${strategy}' becomes 'Global'`);
  if (method !== 'Otsu') note(m, 'setting', `thresholding method '${method}' becomes Otsu`);
  const legacy = Number(v('Threshold setting version') ?? 99) <= 2;
  if (v('Minimize the weighted variance or the entropy') === 'Entropy')
    note(m, 'setting', "Otsu minimising the entropy becomes Otsu's weighted variance");
  const threeClasses = v('Two-class or three-class') === 'Three classes';
  const middleClass = v('Assign pixels in the middle') === 'Background' ? 'background' : 'foreground';
  const bounds = numbers(v('Lower and upper bounds on threshold') ?? '0,1');
  if (bounds[0] !== 0 || bounds[1] !== 1)
    note(m, 'setting', `threshold bounds ${bounds.join(',')} are not applied`);
  return {
    threshold: legacy && threeClasses ? 'centrosome-otsu' : log ? 'log-otsu' : 'otsu',
    thresholdClasses: threeClasses ? 3 : 2,
    middleClass,
  };
}

/**
 * Gaussian sigma of the threshold smoothing: scale / (2 x 0.6744) (cellprofiler/modules/threshold.py); the
 * legacy choice 'Automatic' is sigma 1 and 'No smoothing' is 0 (cellprofiler/modules/identify.py).
 */
function thresholdSigma(m: CpModule): number {
  const choice = setting(m, 'Select the smoothing method for thresholding')?.value;
  if (choice === 'No smoothing') return 0;
  if (choice === 'Automatic') return 1;
  const scale = Number(setting(m, 'Threshold smoothing scale')?.value ?? 1.3488);
  return Number.isFinite(scale) && scale > 0 ? Number((scale / 1.3488).toPrecision(6)) : 0;
}
