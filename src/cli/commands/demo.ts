// `phenoscope demo`: the README's main job on the embedded default data set — simulate a small 16-bit plate, run
// the example pipeline on it into a DuckDB store (with Parquet export), compare what was found with what was
// planted, fit dose-response curves, and write the HTML report. A face over the other commands and the library.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { UserError } from '../errors.ts';

const EXAMPLE = fileURLToPath(new URL('../../../examples/pipelines/simulated.yaml', import.meta.url));

interface DemoOptions {
  out: string;
  workers?: string;
  seed: string;
  progress: boolean;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'simulate a small plate, analyse it end to end (QC, segmentation, measurements, DuckDB store, Parquet), ' +
        'compare with the planted truth, fit dose-response curves and write an HTML report',
    )
    .option('--out <dir>', 'output folder', 'demo-output')
    .option('--seed <n>', 'simulator seed', '1')
    .option('--workers <n>', 'worker threads for the pipeline run (default: cores - 1)')
    .option('--no-progress', 'no progress bars')
    .action(async (options: DemoOptions) => {
      const { main } = await import('../main.ts');
      const out = resolve(options.out);
      const plateDir = join(out, 'plate');
      const resultsDir = join(out, 'results');
      const tablesDir = join(resultsDir, 'tables');
      mkdirSync(resultsDir, { recursive: true });
      const quiet = options.progress ? [] : ['--no-progress'];
      const step = async (title: string, args: string[]) => {
        console.log(`\n== ${title}\n$ phenoscope ${args.join(' ')}`);
        const code = await main(['node', 'phenoscope', ...args]);
        if (code !== 0) throw new UserError(`demo: step '${title}' failed (exit ${code})`, code);
      };

      await step('1/4 simulate a 24-well plate (3 channels, 16-bit, planted dose-response effects)', [
        'simulate',
        '--small',
        '--seed',
        options.seed,
        '--out',
        plateDir,
        ...quiet,
      ]);

      const pipeline = readFileSync(EXAMPLE, 'utf8')
        .replace('path: ../../sim', `path: ${JSON.stringify(plateDir)}`)
        .replace(
          'plateMap: ../../sim/platemap.csv',
          `plateMap: ${JSON.stringify(join(plateDir, 'platemap.csv'))}`,
        )
        .replace(
          'store: ../../sim/results.duckdb',
          `store: ${JSON.stringify(join(resultsDir, 'results.duckdb'))}`,
        );
      const pipelineFile = join(out, 'pipeline.yaml');
      writeFileSync(pipelineFile, pipeline);
      await step(
        '2/4 run the pipeline (illumination, QC, nuclei, cells, cytoplasm, measurements) into DuckDB',
        [
          'run',
          pipelineFile,
          '--export',
          tablesDir,
          ...(options.workers ? ['--workers', options.workers] : []),
          ...quiet,
        ],
      );

      console.log('\n== 3/4 planted vs recovered');
      const { readTable, numericColumn, stringColumn, tableFromColumns, writeCsv } = await import(
        '../../table/index.ts'
      );
      const wells = await readTable(join(tablesDir, 'well_medians_Nuclei.parquet'));
      const truth = await readTable(join(plateDir, 'fields.csv'));
      const trueCount = new Map<string, number>();
      const tWell = stringColumn(truth, 'well');
      const tCount = numericColumn(truth, 'cell_count');
      tWell.forEach((w, i) => {
        trueCount.set(w, (trueCount.get(w) ?? 0) + tCount[i]!);
      });
      const found = numericColumn(wells, 'objects');
      const wWell = stringColumn(wells, 'well');
      let sumTrue = 0;
      let sumFound = 0;
      const lines = wWell.map((w, i) => {
        const t = trueCount.get(w) ?? Number.NaN;
        sumTrue += t;
        sumFound += found[i]!;
        return `${w}  planted ${String(t).padStart(4)}  found ${String(found[i]).padStart(4)}`;
      });
      console.log(lines.join('\n'));
      console.log(
        `nuclei in ${wWell.length} analysed well(s): planted ${sumTrue}, found ${sumFound} ` +
          `(${((100 * (sumFound - sumTrue)) / sumTrue).toFixed(1)}%)`,
      );
      const platemap = await readTable(join(plateDir, 'platemap.csv'));
      const pmWell = stringColumn(platemap, 'well');
      const byWell = new Map(pmWell.map((w, i) => [w, i]));
      const compounds: string[] = [];
      const concentration: number[] = [];
      const response: number[] = [];
      wWell.forEach((w, i) => {
        const k = byWell.get(w);
        if (k === undefined || stringColumn(platemap, 'role')[k] !== 'treatment') return;
        compounds.push(stringColumn(platemap, 'compound')[k]!);
        concentration.push(numericColumn(platemap, 'concentration')[k]!);
        response.push(found[i]!);
      });
      const { fitCurves } = await import('../../assay/fitCurves.ts');
      const fits = fitCurves(
        tableFromColumns({
          compound: compounds,
          concentration: Float64Array.from(concentration),
          response: Float64Array.from(response),
        }),
        { source: 'demo wells' },
      );
      const planted = await readTable(join(plateDir, 'planted.csv'));
      const pCompound = stringColumn(planted, 'compound');
      const pEffect = stringColumn(planted, 'effect');
      const pLog = numericColumn(planted, 'logIC50');
      const pActive = numericColumn(planted, 'active');
      for (const f of fits) {
        const k = pCompound.findIndex((c, i) => c === f.compound && pEffect[i] === 'cell_count');
        const plantedText =
          k < 0 || pActive[k] === 0
            ? 'planted: no cell loss (flat)'
            : `planted log10 IC50 ${pLog[k]!.toFixed(2)}`;
        const fitted = f.fit.flags.includes('flat')
          ? 'fit: flat'
          : `fit log10 IC50 ${f.fit.params.logIC50.toFixed(2)} (95% CI ${f.fit.lower.logIC50.toFixed(2)} to ${f.fit.upper.logIC50.toFixed(2)})`;
        const flags = f.fit.flags.length ? `; flags: ${f.fit.flags.join(', ')}` : '';
        console.log(`${f.compound} cell count: ${fitted}; ${plantedText}${flags}`);
      }
      console.log(
        '(one 256x256 field per well: a demonstration, not a precise assay; see docs/validation/assay.md)',
      );

      const runDir = join(resultsDir, 'report-input');
      mkdirSync(runDir, { recursive: true });
      await writeCsv(join(runDir, 'wells.csv'), wells);
      copyFileSync(join(plateDir, 'platemap.csv'), join(runDir, 'platemap.csv'));
      await step('4/4 HTML report (plate QC, heatmaps, dose-response, hits, profile similarity)', [
        'report',
        runDir,
        '--out',
        join(resultsDir, 'report.html'),
        '--readout',
        'objects',
        '--heatmaps',
        'AreaShape_Area',
      ]);
      console.log(
        `\ndone: images ${plateDir}, store ${join(resultsDir, 'results.duckdb')}, Parquet ${tablesDir}, ` +
          `report ${join(resultsDir, 'report.html')}`,
      );
    });
}
