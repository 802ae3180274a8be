// `npm run bench [filter]`: runs every bench/*.bench.ts (each exports `benchmarks: Benchmark[]`) and its Python
// peer in the same run, prints medians and ratios, and appends a dated section to docs/benchmarks.md.
import { execSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Benchmark, type BenchResult, runBenchmark } from './harness.ts';

const filter = process.argv[2];
execSync('sh scripts/ensure-python.sh', { stdio: 'inherit' });

const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const results: BenchResult[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(join(process.cwd(), 'bench', file)).href)) as {
    benchmarks: Benchmark<unknown>[];
  };
  for (const bench of mod.benchmarks) {
    if (filter && !bench.name.includes(filter) && !file.includes(filter)) continue;
    process.stdout.write(`${bench.name} ... `);
    try {
      const r = await runBenchmark(bench);
      results.push(r);
      const peer =
        r.peerMs === undefined
          ? ''
          : `  ${r.peerName} ${r.peerMs.toFixed(1)} ms  ratio ${r.ratio!.toFixed(2)}`;
      console.log(`ours ${r.oursMs.toFixed(1)} ms${peer}`);
    } catch (error) {
      console.log(`FAILED: ${error instanceof Error ? error.message : error}`);
      results.push({ name: bench.name, oursMs: Number.NaN, note: `failed: ${error}` });
    }
  }
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} threads, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}`;
const date = new Date().toISOString().slice(0, 10);
const path = 'docs/benchmarks.md';
if (!existsSync(path)) {
  writeFileSync(
    path,
    '# Benchmarks\n\nAppended by `npm run bench`. Ratio = ours / peer (below 1: Phenoscope is faster).\n',
  );
}
const rows = results.map(
  (r) =>
    `| ${r.name} | ${r.oursMs.toFixed(1)} | ${r.peerName ?? ''} | ${r.peerMs?.toFixed(1) ?? ''} | ${r.ratio?.toFixed(2) ?? ''} |`,
);
appendFileSync(
  path,
  `\n## ${date} — ${machine}\n\n| benchmark | ours (ms, median) | peer | peer (ms, median) | ratio |\n|---|---|---|---|---|\n${rows.join('\n')}\n`,
);
console.log(`appended ${results.length} result(s) to ${path}`);
