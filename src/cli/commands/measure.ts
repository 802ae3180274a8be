// `phenoscope measure --labels L.tiff --image DNA=I.tif --object Nuclei --out DIR`: CellProfiler-compatible
// per-object features of an existing segmentation, one row per label value, plus a per-image table.
import type { Command } from 'commander';
import { UserError } from '../errors.ts';
import { parseInteger } from '../parse.ts';

interface MeasureCliOptions {
  labels: string;
  image: string[];
  object: string;
  out: string;
  features: string;
  format: string;
  zernike: boolean;
  textureScale: string;
  grayLevels: string;
  imageNumber: string;
  neighborsDistance?: string;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Parse `NAME=FILE` pairs; the name becomes the channel part of the column names. */
export function parseImageArguments(values: readonly string[]): { name: string; path: string }[] {
  const seen = new Set<string>();
  return values.map((value) => {
    const at = value.indexOf('=');
    const name = value.slice(0, at);
    const path = value.slice(at + 1);
    if (at < 1 || path.length === 0 || !NAME.test(name)) {
      throw new UserError(
        `--image: expected NAME=FILE with NAME made of letters, digits and _ (e.g. DNA=nuclei.tif), got '${value}'`,
        2,
      );
    }
    if (seen.has(name)) throw new UserError(`--image: channel name '${name}' is given twice`, 2);
    seen.add(name);
    return { name, path };
  });
}

export function register(program: Command): void {
  program
    .command('measure')
    .description(
      'measure CellProfiler-compatible per-object features (AreaShape with Zernike and Feret, Intensity, Texture, ' +
        'Location) of a label image on one or more channels; writes DIR/<object>.csv with one row per label value ' +
        '(ObjectNumber = label value) and DIR/Image.csv with the object count',
    )
    .requiredOption('--labels <file>', 'label image (TIFF/PNG; 0 = background, k = object k)')
    .option(
      '--image <NAME=FILE>',
      'intensity image for channel NAME (repeatable); integer images are divided by their type maximum as CellProfiler does',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--object <name>', 'object set name: the output table name and Count_<name>', 'Nuclei')
    .requiredOption('-o, --out <dir>', 'output folder (created if missing)')
    .option(
      '--features <list>',
      'comma-separated families: location, areashape, intensity, texture, granularity, radialdistribution, ' +
        'colocalization (every pair of channels), neighbors, imagequality (image-level columns only)',
      'location,areashape,intensity,texture',
    )
    .option('--format <list>', 'comma-separated output formats: csv, parquet', 'csv')
    .option('--no-zernike', 'skip the 30 Zernike moments of AreaShape')
    .option('--texture-scale <pixels>', 'Texture: distance between co-occurring pixels', '3')
    .option('--gray-levels <n>', 'Texture: grey levels the intensities are quantised to (2..256)', '256')
    .option(
      '--neighbors-distance <pixels>',
      'Neighbors: count objects within this distance (default: touching objects)',
    )
    .option('--image-number <n>', 'value of the ImageNumber column', '1')
    .action(async (options: MeasureCliOptions) => {
      const { mkdir } = await import('node:fs/promises');
      const { join } = await import('node:path');
      const { readImage } = await import('../../io/index.ts');
      const { writeTable } = await import('../../table/index.ts');
      const { measureObjects, FEATURE_FAMILIES } = await import('../../measure/measureObjects.ts');
      type Family = (typeof FEATURE_FAMILIES)[number];

      if (!NAME.test(options.object)) {
        throw new UserError(`--object: expected a name of letters, digits and _, got '${options.object}'`, 2);
      }
      const families = options.features
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      for (const f of families) {
        if (!(FEATURE_FAMILIES as readonly string[]).includes(f)) {
          throw new UserError(`--features: unknown family '${f}'; known: ${FEATURE_FAMILIES.join(', ')}`, 2);
        }
      }
      if (families.length === 0) throw new UserError('--features: no family given', 2);
      const formats = options.format
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      for (const f of formats) {
        if (f !== 'csv' && f !== 'parquet')
          throw new UserError(`--format: expected csv and/or parquet, got '${f}'`, 2);
      }
      if (formats.length === 0) throw new UserError('--format: no format given', 2);
      const images = parseImageArguments(options.image);
      const perChannel = [
        'intensity',
        'texture',
        'granularity',
        'radialdistribution',
        'colocalization',
        'imagequality',
      ];
      const needing = families.filter((f) => perChannel.includes(f));
      if (images.length === 0 && needing.length > 0) {
        throw new UserError(
          `--image: ${needing.join(', ')} need at least one --image NAME=FILE (or choose --features location,areashape)`,
          2,
        );
      }
      if (families.includes('colocalization') && images.length < 2) {
        throw new UserError('--features colocalization needs at least two --image channels', 2);
      }
      const scale = parseInteger(options.textureScale, '--texture-scale', 1, 1000);
      const grayLevels = parseInteger(options.grayLevels, '--gray-levels', 2, 256);
      const imageNumber = parseInteger(options.imageNumber, '--image-number', 1, Number.MAX_SAFE_INTEGER);
      const neighbors =
        options.neighborsDistance === undefined
          ? { method: 'adjacent' as const }
          : {
              method: 'within' as const,
              distance: parseInteger(options.neighborsDistance, '--neighbors-distance', 1, 10000),
            };

      const read = async (path: string, what: string) => {
        try {
          return await readImage(path);
        } catch (error) {
          throw new UserError(`cannot read ${what} ${path}`, 1, { cause: error });
        }
      };
      const labels = await read(options.labels, 'label image');
      const channels = [];
      for (const { name, path } of images) {
        const image = await read(path, `image ${name}`);
        if (image.channels !== 1) {
          throw new UserError(
            `image ${name} (${path}) has ${image.channels} channels; give a single-channel image`,
          );
        }
        channels.push({ name, image });
      }
      const t0 = performance.now();
      let result: ReturnType<typeof measureObjects>;
      try {
        result = measureObjects([{ name: options.object, labels }], channels, {
          families: families as Family[],
          areaShape: { zernike: options.zernike },
          texture: { scale, grayLevels },
          neighbors,
          imageNumber,
        });
      } catch (error) {
        if (error instanceof RangeError || error instanceof TypeError) {
          throw new UserError(`${options.labels}: ${error.message}`, 1, { cause: error });
        }
        throw error;
      }
      const ms = performance.now() - t0;
      await mkdir(options.out, { recursive: true });
      const table = result.objects[options.object]!;
      const written: string[] = [];
      for (const format of formats) {
        const ext = format === 'csv' ? 'csv' : 'parquet';
        const objectPath = join(options.out, `${options.object}.${ext}`);
        const imagePath = join(options.out, `Image.${ext}`);
        await writeTable(objectPath, table);
        await writeTable(imagePath, result.image);
        written.push(objectPath, imagePath);
      }
      process.stderr.write(
        `measured ${table.rows} ${options.object} x ${table.names.length - 2} features in ${ms.toFixed(0)} ms; wrote ${written.join(', ')}\n`,
      );
    });
}
