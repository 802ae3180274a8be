// `phenoscope run PIPELINE`: process every field of a plate with a pipeline in a worker-thread pool, streaming
// results into the DuckDB store; resumable (a rerun skips stored fields) and stopped cleanly by Ctrl-C.
import type { Command } from 'commander';
import { UserError } from '../errors.ts';

interface RunCliOptions {
  store?: string;
  workers?: string;
  export?: string;
  format: string;
  stopAfter?: string;
  log?: boolean;
  verifyInputs?: boolean;
  progress: boolean;
}

export function register(program: Command): void {
  program
    .command('run')
    .description(
      'run a pipeline file on its plate: all fields in parallel, results streamed into a DuckDB store with ' +
        'provenance; rerunning continues where a run stopped (see docs/pipelines.md)',
    )
    .argument('<pipeline>', 'pipeline file (YAML or JSON)')
    .option(
      '--store <path>',
      "DuckDB store (default: the pipeline's outputs.store, relative to the pipeline file)",
    )
    .option('--workers <n>', 'worker threads; 0 runs in the main thread (default: cores - 1)')
    .option('--export <folder>', 'after the run, export every table of the store to this folder')
    .option('--format <format>', 'export format: parquet or csv', 'parquet')
    .option('--stop-after <n>', 'stop cleanly after storing n fields (testing resumption)')
    .option('--verify-inputs', 'reprocess stored fields whose input files changed (sha256 differs)')
    .option('--log', 'print one line per stored field (on stdout)')
    .option('--no-progress', 'do not show the progress bar')
    .action(async (file: string, options: RunCliOptions) => {
      const { loadPipeline, PipelineError } = await import('../../pipeline/load.ts');
      const { runLoadedPipeline } = await import('../../pipeline/runner.ts');
      const workers = options.workers === undefined ? undefined : Number(options.workers);
      if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0)) {
        throw new UserError(`--workers: expected a whole number >= 0, got '${options.workers}'`, 2);
      }
      const stopAfter = options.stopAfter === undefined ? undefined : Number(options.stopAfter);
      if (stopAfter !== undefined && !(Number.isInteger(stopAfter) && stopAfter >= 0)) {
        throw new UserError(`--stop-after: expected a whole number >= 0, got '${options.stopAfter}'`, 2);
      }
      if (options.format !== 'parquet' && options.format !== 'csv') {
        throw new UserError(`--format: expected parquet or csv, got '${options.format}'`, 2);
      }
      let loaded: Awaited<ReturnType<typeof loadPipeline>>;
      try {
        loaded = await loadPipeline(file);
      } catch (error) {
        throw new UserError((error as Error).message, 1, {
          cause: error instanceof PipelineError ? undefined : error,
        });
      }
      // `phenoscope run ... | head` closes stdout early: stop printing, keep running and storing
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
      });
      const controller = new AbortController();
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(130);
        process.stderr.write('\nstopping after the fields in flight (Ctrl-C again to quit now)\n');
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      const { SingleBar, Presets } = await import('cli-progress');
      const bar = new SingleBar(
        {
          format:
            'fields {bar} {value}/{total} | {rate} fields/s | ETA {eta_formatted} | {failed} failed, {excluded} excluded',
          stream: process.stderr,
          hideCursor: true,
        },
        Presets.shades_classic,
      );
      const showBar = options.progress && process.stderr.isTTY === true;
      const started = performance.now();
      let failed = 0;
      let excluded = 0;
      try {
        const summary = await runLoadedPipeline(loaded, file, {
          store: options.store,
          workers,
          stopAfter,
          verifyInputs: options.verifyInputs,
          signal: controller.signal,
          version: program.version() ?? '0.0.0',
          onStart: (todo, skipped) => {
            if (skipped > 0)
              process.stderr.write(`resuming: ${skipped} field(s) already stored, ${todo} to do\n`);
            if (showBar) bar.start(todo, 0, { rate: '0.00', failed: 0, excluded: 0 });
          },
          onField: (outcome, done) => {
            if (outcome.status === 'failed') failed++;
            if (outcome.status === 'excluded') excluded++;
            const rate = done / ((performance.now() - started) / 1000);
            if (showBar) bar.update(done, { rate: rate.toFixed(2), failed, excluded });
            if (options.log) {
              console.log(`${outcome.key} ${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ''}`);
            }
          },
        });
        if (showBar) bar.stop();
        console.log(
          `${summary.interrupted ? 'stopped' : 'finished'}: ${summary.done} done, ${summary.excluded} excluded, ` +
            `${summary.failed} failed, ${summary.skipped} already stored, of ${summary.total} fields in ` +
            `${summary.seconds.toFixed(1)} s; store ${summary.store} (run ${summary.runId})`,
        );
        await printSummary(summary.store, summary.pipelineHash, loaded.pipeline.objects[0]?.name);
        if (options.export) {
          const { openStore } = await import('../../store/store.ts');
          const store = await openStore(summary.store);
          try {
            const files = await store.export(options.export, options.format as 'parquet' | 'csv');
            console.log(`exported ${files.length} table(s) to ${options.export}`);
          } finally {
            store.close();
          }
        }
      } catch (error) {
        if (showBar) bar.stop();
        throw new UserError((error as Error).message, 1, { cause: error });
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}

/** Objects per well (range and mean) and the fields QC excluded or that failed, with their reasons. */
async function printSummary(storePath: string, hash: string, objectSet: string | undefined): Promise<void> {
  const { openStore } = await import('../../store/store.ts');
  const { plateSummary } = await import('../../pipeline/plateSummary.ts');
  const store = await openStore(storePath);
  try {
    const summary = await plateSummary(store, hash, objectSet ?? '');
    const per = Array.from(summary.wells.columns.objects as Float64Array).filter((v) => !Number.isNaN(v));
    if (objectSet && per.length > 0) {
      const mean = per.reduce((a, v) => a + v, 0) / per.length;
      console.log(
        `${objectSet} per well: ${Math.min(...per)}-${Math.max(...per)} (mean ${mean.toFixed(1)}) over ${per.length} well(s)`,
      );
    }
    const t = summary.meanTimings;
    if (t.total !== undefined) {
      console.log(
        `per field (mean ms): ${Object.entries(t)
          .map(([k, v]) => `${k} ${v.toFixed(0)}`)
          .join(', ')}`,
      );
    }
    const shown = summary.problems.slice(0, 20);
    for (const p of shown) console.log(`  ${p.status} ${p.field}: ${p.reason}`);
    if (summary.problems.length > shown.length)
      console.log(`  ... and ${summary.problems.length - shown.length} more`);
  } finally {
    store.close();
  }
}
