// `phenoscope segment IMAGE_OR_DIR --out DIR`: classical nuclei (or cell) segmentation of one image or a
// folder, writing `<name>_labels.tiff` (16-bit when < 65,536 objects, else 32-bit) and `<name>_overlay.png`.
// Thin: parses options, calls src/segment, writes files, shows progress.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.ts';
import { parseNumber } from '../parse.ts';

interface SegmentCliOptions {
  out: string;
  object: string;
  method: string;
  model?: string;
  tta?: boolean;
  diameter: string;
  threshold: string;
  thresholdCorrection: string;
  thresholdSmoothing: string;
  declump: string;
  discardBorder?: boolean;
  keepOutsideRange?: boolean;
  fillHoles: boolean;
  channel?: string;
  cellChannel?: string;
  cellMethod: string;
  overlay: boolean;
  progress: boolean;
}

const IMAGE_EXTENSIONS = ['.tif', '.tiff', '.png'];

/** Inputs: one file, a folder of images, or a DSB-layout folder (`<id>/images/<id>.png`). */
export function listInputs(input: string): { name: string; path: string }[] {
  if (!existsSync(input)) throw new UserError(`${input}: no such file or folder`, 2);
  const stem = (p: string) => basename(p, extname(p)).replace(/\.ome$/i, '');
  if (!statSync(input).isDirectory()) return [{ name: stem(input), path: input }];
  const out: { name: string; path: string }[] = [];
  for (const entry of readdirSync(input).sort()) {
    const path = join(input, entry);
    if (statSync(path).isDirectory()) {
      const dsb = join(path, 'images', `${entry}.png`);
      if (existsSync(dsb)) out.push({ name: entry, path: dsb });
    } else if (IMAGE_EXTENSIONS.includes(extname(entry).toLowerCase())) {
      out.push({ name: stem(entry), path });
    }
  }
  if (out.length === 0) throw new UserError(`${input}: no TIFF or PNG images found`, 2);
  return out;
}

export function register(program: Command): void {
  program
    .command('segment')
    .description(
      'classical segmentation of nuclei (IdentifyPrimaryObjects) or cells (IdentifySecondaryObjects from nuclei) ' +
        'in one image or every TIFF/PNG of a folder; writes <name>_labels.tiff and <name>_overlay.png',
    )
    .argument(
      '<image-or-dir>',
      'an image file (TIFF, OME-TIFF, PNG) or a folder of them (also the DSB layout)',
    )
    .requiredOption('--out <dir>', 'output folder (created if missing)')
    .option('--object <kind>', 'what to segment: nuclei or cells', 'nuclei')
    .option(
      '--method <method>',
      "nuclei method: classical (IdentifyPrimaryObjects) or cnn (the project's U-Net, models/nuclei-unet)",
      'classical',
    )
    .option('--model <path>', 'with --method cnn: an ONNX 3-class nuclei model (default: models/nuclei-unet)')
    .option('--tta', 'with --method cnn: average over 4 mirror images (4x slower, slightly more accurate)')
    .option(
      '--diameter <min,max>',
      "typical nucleus diameter range in pixels, or 'auto' to estimate it",
      'auto',
    )
    .option(
      '--threshold <method>',
      'threshold: sqrt-otsu, otsu, log-otsu, li, minimum-cross-entropy, triangle, robust-background',
      'sqrt-otsu',
    )
    .option('--threshold-correction <factor>', 'multiply the threshold by this factor', '1')
    .option('--threshold-smoothing <sigma>', 'Gaussian sigma in pixels before thresholding (0: none)', '1')
    .option('--declump <method>', 'split touching nuclei by shape, intensity or none', 'shape')
    .option('--discard-border', 'remove nuclei touching the image edge (default: keep them)')
    .option('--keep-outside-range', 'keep nuclei outside the diameter range (default: discard them)')
    .option('--no-fill-holes', 'do not fill holes in nuclei')
    .option(
      '--channel <n>',
      'channel (0-based) holding the nuclear stain (default: the grey image / channel 0)',
    )
    .option('--cell-channel <n>', 'with --object cells: channel (0-based) of the cell stain (default: 1)')
    .option(
      '--cell-method <method>',
      'with --object cells: propagation, watershed-gradient, watershed-image, watershed-distance, distance-n or distance-b',
      'propagation',
    )
    .option('--no-overlay', 'do not write the overlay PNG')
    .option('--no-progress', 'do not show the progress bar')
    .action(async (input: string, options: SegmentCliOptions) => {
      if (options.method !== 'classical' && options.method !== 'cnn') {
        throw new UserError(`--method: expected classical or cnn, got '${options.method}'`, 2);
      }
      const { segmentNucleiCnn } = await import('../../deep/nucleiModel.ts');
      if (options.object !== 'nuclei' && options.object !== 'cells') {
        throw new UserError(`--object: expected nuclei or cells, got '${options.object}'`, 2);
      }
      const { PRIMARY_THRESHOLD_METHODS, primaryObjects } = await import('../../segment/primaryObjects.ts');
      if (!(PRIMARY_THRESHOLD_METHODS as readonly string[]).includes(options.threshold)) {
        throw new UserError(
          `--threshold: expected one of ${PRIMARY_THRESHOLD_METHODS.join(', ')}, got '${options.threshold}'`,
          2,
        );
      }
      if (!['shape', 'intensity', 'none'].includes(options.declump)) {
        throw new UserError(`--declump: expected shape, intensity or none, got '${options.declump}'`, 2);
      }
      const { SECONDARY_METHODS, secondaryObjects } = await import('../../segment/secondaryObjects.ts');
      if (!(SECONDARY_METHODS as readonly string[]).includes(options.cellMethod)) {
        throw new UserError(
          `--cell-method: expected one of ${SECONDARY_METHODS.join(', ')}, got '${options.cellMethod}'`,
          2,
        );
      }
      let diameter: [number, number] | 'auto' = 'auto';
      if (options.diameter !== 'auto') {
        const parts = options.diameter.split(',').map((p) => parseNumber(p, '--diameter', 0));
        if (parts.length !== 2 || !(parts[0]! > 0) || parts[1]! < parts[0]!) {
          throw new UserError(
            `--diameter: expected 'auto' or MIN,MAX with 0 < MIN <= MAX, got '${options.diameter}'`,
            2,
          );
        }
        diameter = [parts[0]!, parts[1]!];
      }
      const channel =
        options.channel === undefined ? undefined : parseNumber(options.channel, '--channel', 0);
      const cellChannel =
        options.cellChannel === undefined ? 1 : parseNumber(options.cellChannel, '--cell-channel', 0);
      const primaryOptions = {
        diameter,
        threshold: options.threshold as (typeof PRIMARY_THRESHOLD_METHODS)[number],
        thresholdCorrection: parseNumber(options.thresholdCorrection, '--threshold-correction', 0),
        thresholdSmoothing: parseNumber(options.thresholdSmoothing, '--threshold-smoothing', 0),
        declump: options.declump as 'shape' | 'intensity' | 'none',
        discardBorder: options.discardBorder ?? false,
        discardOutsideRange: !(options.keepOutsideRange ?? false),
        fillHoles: options.fillHoles,
      };
      const inputs = listInputs(input);
      mkdirSync(options.out, { recursive: true });
      const { readImage, writeImage } = await import('../../io/index.ts');
      const { channelOf } = await import('../../image/image.ts');
      const { overlayOutlines } = await import('../../segment/overlay.ts');
      const { SingleBar, Presets } = await import('cli-progress');
      const bar = new SingleBar(
        {
          stream: process.stderr,
          hideCursor: true,
          format: 'segment [{bar}] {value}/{total} images | {name}',
        },
        Presets.shades_classic,
      );
      const showBar = options.progress && inputs.length > 1;
      if (showBar) bar.start(inputs.length, 0, { name: '' });
      let total = 0;
      try {
        for (const [k, item] of inputs.entries()) {
          if (showBar) bar.update(k, { name: item.name });
          const wantsChannels = channel !== undefined || options.object === 'cells';
          const image = await readImage(item.path, wantsChannels ? { color: 'all' } : {});
          const pick = (c: number, flag: string) => {
            if (c >= image.channels) {
              throw new UserError(
                `${item.path}: ${flag} ${c} but the image has ${image.channels} channel(s)`,
                2,
              );
            }
            return channelOf(image, c);
          };
          const nucleiImage = image.channels === 1 ? image : pick(channel ?? 0, '--channel');
          const nuclei =
            options.method === 'cnn'
              ? {
                  ...(await segmentNucleiCnn(nucleiImage, {
                    model: options.model,
                    tta: options.tta ?? false,
                  })),
                  threshold: Number.NaN,
                  diameter: [Number.NaN, Number.NaN],
                }
              : primaryObjects(nucleiImage, primaryOptions);
          let labels = nuclei.labels;
          let shown = nucleiImage;
          let count = nuclei.count;
          if (options.object === 'cells') {
            const cellImage = pick(cellChannel, '--cell-channel');
            const cells = secondaryObjects(cellImage, nuclei.labels, {
              method: options.cellMethod as (typeof SECONDARY_METHODS)[number],
            });
            labels = cells.labels;
            shown = cellImage;
            count = nuclei.count;
            await writeImage(join(options.out, `${item.name}_nuclei_labels.tiff`), nuclei.labels, {
              labels: 'compact',
            });
          }
          await writeImage(join(options.out, `${item.name}_labels.tiff`), labels, { labels: 'compact' });
          if (options.overlay) {
            await writeImage(join(options.out, `${item.name}_overlay.png`), overlayOutlines(shown, labels));
          }
          total += count;
          if (!showBar) {
            console.log(
              options.method === 'cnn'
                ? `${item.name}: ${count} ${options.object} (CNN)`
                : `${item.name}: ${count} ${options.object} (threshold ${nuclei.threshold.toPrecision(4)}, ` +
                    `diameter ${nuclei.diameter.map((d) => d.toFixed(1)).join('-')} px)`,
            );
          }
        }
      } catch (error) {
        if (error instanceof UserError) throw error;
        throw new UserError(`segment: ${(error as Error).message}`, 1, { cause: error });
      } finally {
        if (showBar) {
          bar.update(inputs.length, { name: 'done' });
          bar.stop();
        }
      }
      console.log(`${inputs.length} image(s), ${total} ${options.object} -> ${options.out}`);
    });
}
