// `phenoscope simulate --out DIR [--small] ...`: render a simulated screening plate with ground truth and planted
// dose-response effects (src/simulate). Thin: parses options, calls simulatePlate, shows progress, prints a summary.
import type { Command } from 'commander';
import { UserError } from '../errors.ts';
import { optionalNumber } from '../parse.ts';

interface SimulateCliOptions {
  out: string;
  small?: boolean;
  plateFormat?: string;
  wells?: string;
  sites?: string;
  size?: string;
  seed?: string;
  cellsPerField?: string;
  nuclearArea?: string;
  bitDepth?: string;
  outOfFocus?: string;
  saturated?: string;
  edgeEffect?: string;
  plate?: string;
  plates?: string;
  concentrations?: string;
  replicates?: string;
  topConcentration?: string;
  progress: boolean;
}

export function register(program: Command): void {
  program
    .command('simulate')
    .description(
      'render a simulated high-content screening plate (3 channels: DNA, cell body, translocating marker; ' +
        'camera noise, uneven illumination, some out-of-focus and saturated fields) with ground-truth labels, a ' +
        'plate map of compounds at dose series and the planted 4-parameter logistic effects (see docs/simulator.md)',
    )
    .requiredOption(
      '--out <dir>',
      'output folder (created; images/, truth/, platemap.csv, planted.json, planted.csv, fields.csv)',
    )
    .option(
      '--small',
      'demo/test preset: 24 wells (A01-B12), 1 site, 256x256 fields; other options override it',
    )
    .option('--plate-format <wells>', 'plate format: 6, 24, 48, 96, 384 or 1536 wells (default 96)')
    .option(
      '--wells <list>',
      "wells to render, e.g. 'A01-B12,C05' (default: every well; A01-B12 with --small)",
    )
    .option('--sites <n>', 'sites (fields) per well (default 1)')
    .option('--size <px>', 'field width and height in pixels, 32-8192 (default 512; 256 with --small)')
    .option('--seed <n>', 'random seed: the same seed renders the same plate (default 1)')
    .option(
      '--cells-per-field <n>',
      'expected cells in an untreated field (default 120 per 512x512, scaled by area)',
    )
    .option('--nuclear-area <px>', 'expected area of an untreated nucleus in pixels (default 200)')
    .option('--bit-depth <bits>', 'camera bit depth: 8 (uint8 images), 12 or 16 (uint16 images) (default 16)')
    .option('--out-of-focus <fraction>', 'fraction of fields rendered out of focus (default 0.05)')
    .option('--saturated <fraction>', 'fraction of fields over-exposed with saturated pixels (default 0.03)')
    .option('--edge-effect <fraction>', 'fraction of cells lost in the outermost wells, e.g. 0.2 (default 0)')
    .option('--plate <name>', "plate name used in file names, letters, digits and '-' (default SIM001)")
    .option(
      '--plates <n>',
      'replicate plates with the same layout, named <plate>-1..<plate>-N when more than one (default 1)',
    )
    .option('--concentrations <n>', 'concentrations per dose series (default 8)')
    .option('--replicates <n>', 'replicate dose series per compound (default 2)')
    .option(
      '--top-concentration <uM>',
      'highest concentration in uM; half-log dilutions below it (default 10)',
    )
    .option('--no-progress', 'do not show the progress bar')
    .action(async (options: SimulateCliOptions) => {
      const { simulatePlate } = await import('../../simulate/plate.ts');
      const { resolveSimulateOptions } = await import('../../simulate/options.ts');
      const { SingleBar, Presets } = await import('cli-progress');
      const settings = {
        small: options.small ?? false,
        plateFormat: optionalNumber(options.plateFormat, '--plate-format'),
        wells: options.wells,
        sites: optionalNumber(options.sites, '--sites'),
        size: optionalNumber(options.size, '--size'),
        seed: optionalNumber(options.seed, '--seed'),
        cellsPerField: optionalNumber(options.cellsPerField, '--cells-per-field'),
        nuclearArea: optionalNumber(options.nuclearArea, '--nuclear-area'),
        bitDepth: optionalNumber(options.bitDepth, '--bit-depth'),
        outOfFocusFraction: optionalNumber(options.outOfFocus, '--out-of-focus'),
        saturatedFraction: optionalNumber(options.saturated, '--saturated'),
        edgeEffect: optionalNumber(options.edgeEffect, '--edge-effect'),
        plate: options.plate,
        plates: optionalNumber(options.plates, '--plates'),
        concentrations: optionalNumber(options.concentrations, '--concentrations'),
        replicates: optionalNumber(options.replicates, '--replicates'),
        topConcentration: optionalNumber(options.topConcentration, '--top-concentration'),
      };
      const defined = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
      try {
        resolveSimulateOptions(defined);
      } catch (error) {
        throw new UserError((error as Error).message, 2, { cause: error });
      }
      const bar = new SingleBar(
        {
          stream: process.stderr,
          hideCursor: true,
          format: 'simulate [{bar}] {value}/{total} fields | {eta}s left',
        },
        Presets.shades_classic,
      );
      let started = false;
      const t0 = performance.now();
      try {
        const result = await simulatePlate(options.out, {
          ...defined,
          onProgress: (done, total) => {
            if (!options.progress) return;
            if (!started) {
              bar.start(total, 0);
              started = true;
            }
            bar.update(done);
          },
        });
        if (started) bar.stop();
        const o = result.options;
        const f = result.fields;
        const compounds = new Set(result.curves.map((c) => c.compound));
        console.log(
          `wrote ${f.length} fields (${o.plates > 1 ? `${o.plates} plates x ` : ''}${o.wells.length} wells x ${o.sites} site(s), ` +
            `${o.size}x${o.size}, ${o.bitDepth}-bit, 3 channels) of plate ${o.plates > 1 ? `${o.plate}-1..${o.plates}` : o.plate} to ${options.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
        console.log(
          `  ${f.reduce((s, x) => s + x.cellCount, 0)} cells; ${f.filter((x) => x.outOfFocus).length} out-of-focus and ` +
            `${f.filter((x) => x.saturated).length} saturated field(s); ${compounds.size} compound(s) with planted curves ` +
            `(${[...compounds].join(', ')})`,
        );
        console.log('  images/  truth/  platemap.csv  planted.json  planted.csv  fields.csv');
      } catch (error) {
        if (started) bar.stop();
        if (error instanceof RangeError) throw new UserError(error.message, 2, { cause: error });
        throw new UserError(`simulate: cannot write to ${options.out}`, 1, { cause: error });
      }
    });
}
