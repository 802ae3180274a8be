// `phenoscope fit TABLE --out PARAMS.csv`: 4PL dose-response fit per compound of a long-format table.
import type { Command } from 'commander';
import { UserError } from '../errors.ts';
import { optionalNumber } from '../parse.ts';

interface FitCliOptions {
  out: string;
  compoundCol: string;
  concCol: string;
  responseCol: string;
  viabilityCol?: string;
  toxicThreshold: string;
  logConc?: boolean;
  fixTop?: string;
  fixBottom?: string;
  robust?: string | boolean;
  fScale?: string;
  profile: boolean;
  bootstrap: string;
  seed: string;
}

export function register(program: Command): void {
  program
    .command('fit')
    .description(
      'fit a 4-parameter logistic (Hill) curve per compound of a long-format table (CSV or Parquet) and write ' +
        'one row per compound: top, bottom, log10 IC50, Hill slope, standard errors, 95% intervals, R², flags',
    )
    .argument('<table>', 'long-format table: one row per well/replicate (.csv or .parquet)')
    .requiredOption('-o, --out <params>', 'output table of fitted parameters (.csv or .parquet)')
    .option('--compound-col <name>', 'column naming the compound (one curve each)', 'compound')
    .option('--conc-col <name>', 'column of concentrations', 'concentration')
    .option('--response-col <name>', 'column of responses', 'response')
    .option('--log-conc', 'concentrations are already log10 values (otherwise they must be > 0)')
    .option('--viability-col <name>', 'viability column (fraction of control) for cell-loss gating')
    .option('--toxic-threshold <v>', 'gate out concentrations whose mean viability is below this', '0.5')
    .option('--fix-top <v>', 'fix the top plateau at this value')
    .option('--fix-bottom <v>', 'fix the bottom plateau at this value')
    .option(
      '--robust [loss]',
      'robust loss: soft_l1 (default when given) or huber; plain least squares without',
    )
    .option('--f-scale <v>', 'residual scale of the robust loss (default 1.4826 x MAD of LS residuals)')
    .option('--no-profile', 'skip the profile-likelihood interval of log10 IC50 (faster)')
    .option('--bootstrap <n>', 'also a residual-bootstrap 95% interval of log10 IC50 with n resamples', '0')
    .option('--seed <s>', 'seed of the bootstrap', '1')
    .action(async (tablePath: string, options: FitCliOptions) => {
      const { readTable, writeTable } = await import('../../table/index.ts');
      const { fitCurves, curveFitsTable } = await import('../../assay/fitCurves.ts');
      const { SingleBar, Presets } = await import('cli-progress');
      const loss =
        options.robust === undefined ? 'linear' : options.robust === true ? 'soft_l1' : options.robust;
      if (loss !== 'linear' && loss !== 'soft_l1' && loss !== 'huber') {
        throw new UserError(`--robust: expected soft_l1 or huber, got '${loss}'`, 2);
      }
      let table: Awaited<ReturnType<typeof readTable>>;
      try {
        table = await readTable(tablePath);
      } catch (error) {
        throw new UserError(`cannot read ${tablePath}`, 1, { cause: error });
      }
      const bar = new SingleBar({ stream: process.stderr, hideCursor: true }, Presets.shades_classic);
      let started = false;
      let fits: ReturnType<typeof fitCurves>;
      try {
        fits = fitCurves(table, {
          source: tablePath,
          compoundColumn: options.compoundCol,
          concentrationColumn: options.concCol,
          responseColumn: options.responseCol,
          logConcentration: options.logConc ?? false,
          viabilityColumn: options.viabilityCol,
          toxicThreshold: optionalNumber(options.toxicThreshold, '--toxic-threshold'),
          fixTop: optionalNumber(options.fixTop, '--fix-top'),
          fixBottom: optionalNumber(options.fixBottom, '--fix-bottom'),
          loss,
          fScale: optionalNumber(options.fScale, '--f-scale'),
          profile: options.profile,
          bootstrap: optionalNumber(options.bootstrap, '--bootstrap'),
          seed: optionalNumber(options.seed, '--seed'),
          onProgress: (done, total) => {
            if (total < 50 || !process.stderr.isTTY) return;
            if (!started) {
              bar.start(total, 0);
              started = true;
            }
            bar.update(done);
          },
        });
      } catch (error) {
        throw new UserError(error instanceof Error ? error.message : String(error), 1, { cause: error });
      } finally {
        if (started) bar.stop();
      }
      await writeTable(options.out, curveFitsTable(fits));
      const flagged = fits.filter((f) => f.fit.flags.length > 0).length;
      console.log(
        `fitted ${fits.length} curve(s) from ${tablePath}; ${flagged} flagged; wrote ${options.out}`,
      );
    });
}
