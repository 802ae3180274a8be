// `phenoscope pipeline check FILE` and `phenoscope pipeline import FILE.cppipe`: validate a pipeline file with
// line-precise errors, and convert a CellProfiler pipeline (src/pipeline). Thin: parse options, call, print.
import type { Command } from 'commander';
import { UserError } from '../errors.ts';

export function register(program: Command): void {
  const pipeline = program
    .command('pipeline')
    .description('check Phenoscope pipeline files and import CellProfiler pipelines (see docs/pipelines.md)');
  pipeline
    .command('check')
    .description('validate a pipeline file (YAML or JSON): every problem with line:column, then a summary')
    .argument('<file>', 'pipeline file (.yaml, .yml or .json)')
    .option('--scan', 'also list the input: fields, plates, wells, and fields missing a channel file')
    .action(async (file: string, options: { scan?: boolean }) => {
      const { loadPipeline, PipelineError, summarizePipeline } = await import('../../pipeline/load.ts');
      try {
        const loaded = await loadPipeline(file);
        for (const step of loaded.upgraded) console.log(`upgraded ${step}`);
        console.log(
          `${summarizePipeline(loaded.pipeline)}\n${file}: OK (sha256 ${loaded.hash.slice(0, 12)})`,
        );
        if (options.scan) {
          const { dirname, resolve } = await import('node:path');
          const { planFields } = await import('../../pipeline/runner.ts');
          const planned = await planFields(loaded.pipeline, dirname(resolve(file)));
          const plates = new Set(planned.map((p) => p.job.plate));
          const wells = new Set(planned.map((p) => `${p.job.plate}/${p.job.well}`));
          const missing = planned.filter((p) => p.missing !== undefined);
          console.log(
            `input: ${planned.length} field(s) in ${wells.size} well(s) of ${plates.size} plate(s)`,
          );
          for (const p of missing.slice(0, 10)) console.log(`  ${p.job.key}: ${p.missing}`);
          if (missing.length > 10)
            console.log(`  ... and ${missing.length - 10} more field(s) missing channels`);
          if (missing.length > 0)
            throw new Error(`${missing.length} field(s) lack a channel file (they would fail)`);
        }
      } catch (error) {
        if (error instanceof PipelineError) throw new UserError(error.message, 1);
        throw new UserError((error as Error).message, 1, { cause: error });
      }
    });
  pipeline
    .command('import')
    .description(
      'convert a CellProfiler pipeline (.cppipe, format versions 3-6) into a Phenoscope pipeline; lists every ' +
        'module or setting not carried over (also as comments in the YAML)',
    )
    .argument('<file>', 'CellProfiler .cppipe file')
    .option('--out <file>', 'write the YAML here (default: print it to stdout)')
    .option('--input <path>', "input.path of the result, relative to the output file (default 'images')")
    .option('--name <name>', "pipeline name (default 'imported')")
    .action(async (file: string, options: { out?: string; input?: string; name?: string }) => {
      const { readFile, writeFile } = await import('node:fs/promises');
      const { parseCppipe } = await import('../../pipeline/cppipe.ts');
      const { importCellProfiler } = await import('../../pipeline/importCppipe.ts');
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new UserError(`cannot read '${file}'`, 1, { cause: error });
      }
      let result: ReturnType<typeof importCellProfiler>;
      try {
        result = importCellProfiler(parseCppipe(text, file), {
          ...(options.input ? { inputPath: options.input } : {}),
          ...(options.name ? { name: options.name } : {}),
        });
      } catch (error) {
        throw new UserError((error as Error).message, 1, { cause: error });
      }
      if (options.out) {
        await writeFile(options.out, result.yaml);
        console.log(`wrote ${options.out}`);
      } else console.log(result.yaml.trimEnd());
      const report = result.notes.filter((n) => n.kind !== 'info');
      process.stderr.write(
        report.length === 0
          ? 'every module was carried over\n'
          : `not carried over or changed (${report.length}):\n${report.map((n) => `  [${n.kind}] ${n.module}: ${n.message}`).join('\n')}\n`,
      );
    });
}
