// `phenoscope report RUN_OR_TABLE --out report.html`: the self-contained HTML screening report.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UserError } from '../errors.ts';

interface ReportCliOptions {
  out: string;
  platemap?: string;
  readout?: string;
  features?: string;
  heatmaps?: string;
  viability?: string;
  toxicThreshold: string;
  title?: string;
  zThreshold: string;
}

export function register(program: Command): void {
  program
    .command('report')
    .description(
      'write a self-contained HTML report (plate QC, heatmaps, dose-response curves with 95% bands, hits, ' +
        'profile similarity) from a RUN folder (wells.csv + platemap.csv) or a wells table',
    )
    .argument(
      '<run>',
      'RUN folder with wells.csv and platemap.csv, or a wells table (.csv/.parquet) with map columns',
    )
    .requiredOption('-o, --out <html>', 'output HTML file')
    .option('--platemap <table>', 'plate map to join (default: <run>/platemap.csv for a folder)')
    .option(
      '--readout <feature>',
      'feature used for QC, heatmaps, dose-response and robust z (default: first feature)',
    )
    .option(
      '--features <list>',
      'comma-separated features for profiles and hits (default: all numeric columns)',
    )
    .option('--heatmaps <list>', 'comma-separated further features to draw as plate heatmaps')
    .option(
      '--viability <feature>',
      'cell-count feature for cell-loss gating (fraction of the plate negative-control median)',
    )
    .option('--toxic-threshold <v>', 'gate out concentrations whose mean viability is below this', '0.5')
    .option('--title <text>', 'page title', 'Phenoscope screening report')
    .option('--z-threshold <v>', 'robust z threshold of readout hits', '3')
    .action(async (run: string, options: ReportCliOptions) => {
      const { readRun } = await import('../../report/run.ts');
      const { buildReport } = await import('../../report/buildReport.ts');
      const z = Number(options.zThreshold);
      if (!(z > 0))
        throw new UserError(`--z-threshold: expected a positive number, got '${options.zThreshold}'`, 2);
      let result: ReturnType<typeof buildReport>;
      try {
        const table = await readRun(run, options.platemap);
        result = buildReport(table, {
          readout: options.readout,
          features: options.features?.split(',').map((f) => f.trim()),
          heatmapFeatures: options.heatmaps?.split(',').map((f) => f.trim()),
          viability: options.viability,
          toxicThreshold: Number(options.toxicThreshold),
          title: options.title,
          zThreshold: z,
          source: run,
        });
      } catch (error) {
        throw new UserError(error instanceof Error ? error.message : String(error), 1, { cause: error });
      }
      await writeFile(options.out, result.html);
      const hits = result.hits.filter((h) => h.distanceHit || h.zHit).length;
      console.log(
        `report: ${result.qc.length} plate(s), ${result.fits.length} curve(s), ${hits} hit treatment(s); wrote ${options.out}`,
      );
    });
}
