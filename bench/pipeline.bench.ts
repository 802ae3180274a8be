// Fields per second of the classical nuclei pipeline (Otsu + shape declumping; size/shape with Zernike,
// intensity, texture at scale 3: the synthetic16 CellProfiler pipeline imported) on the 10 synthetic16 fields,
// one core (workers 0), end to end through the runner and the DuckDB store; peak RSS sampled. The peer is
// CellProfiler's recorded time per field on the same images (it is not installed here; see the peer script).
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCppipe } from '../src/pipeline/cppipe.ts';
import { importCellProfiler } from '../src/pipeline/importCppipe.ts';
import { runPipeline } from '../src/pipeline/runner.ts';
import { simulatePlate } from '../src/simulate/plate.ts';
import { sharedPath } from '../src/testing/shared.ts';
import type { Benchmark } from './harness.ts';

interface Context {
  dir: string;
  fields: number;
  run: number;
}

let peakRss = 0;

export const benchmarks: Benchmark<Context>[] = [];

const images = sharedPath('reference/cellprofiler/synthetic16/images');
if (images) {
  benchmarks.push({
    name: 'pipeline: synthetic16 nuclei pipeline, 10 x 1024x1024 fields, 1 core, per field',
    repeats: 3,
    setup: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'phenoscope-bench-pipeline-'));
      await mkdir(join(dir, 'images'));
      const names = (await readdir(images)).filter((n) => n.endsWith('.tif')).sort();
      // ImageXpress names so the plate scanner sees one well per field
      for (const [i, n] of names.entries()) {
        await copyFile(
          join(images, n),
          join(dir, 'images', `SYN_A${String(i + 1).padStart(2, '0')}_s1_w1.tif`),
        );
      }
      const cppipe = sharedPath('reference/cellprofiler/synthetic16/pipeline.cppipe')!;
      const { yaml } = importCellProfiler(parseCppipe(await readFile(cppipe, 'utf8'), cppipe));
      await writeFile(join(dir, 'p.yaml'), yaml.replace('DNA: "1"', 'DNA: w1'));
      return { dir, fields: names.length, run: 0 };
    },
    run: async (ctx) => {
      const timer = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 20);
      try {
        const summary = await runPipeline(join(ctx.dir, 'p.yaml'), {
          store: join(ctx.dir, `run${ctx.run++}.duckdb`),
          workers: 0,
        });
        if (summary.done !== ctx.fields) throw new Error(`only ${summary.done} of ${ctx.fields} fields done`);
        return summary;
      } finally {
        clearInterval(timer);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
    },
    // the harness times the whole plate; the peer is per field, so the check prints the per-field numbers
    check: (result, ctx) => {
      const s = result as { seconds: number };
      process.stdout.write(
        `  ${(s.seconds / ctx.fields).toFixed(3)} s per field (${(ctx.fields / s.seconds).toFixed(2)} fields/s/core), peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB\n`,
      );
      void rm(ctx.dir, { recursive: true, force: true });
    },
    peer: {
      name: 'CellProfiler 4 (recorded: 1.38-1.47 s/field, x10 fields)',
      script: 'bench/peers/pipeline_cellprofiler_recorded.py',
      args: ['10'],
    },
  });
}

/**
 * The end-to-end plate: simulated 1024x1024 3-channel fields, illumination correction, QC, nuclei +
 * cells + cytoplasm, size/shape, intensity and texture, all cores. $PHENOSCOPE_BENCH_WELLS (default 'A01-A06'),
 * $PHENOSCOPE_BENCH_SITES (default 2) and $PHENOSCOPE_BENCH_FORMAT (plate format, default 96) scale it up (the
 * issue's 96 wells x 4 sites: 'A01-H12' and 4; a 384-well plate: 'A01-P24' and format 384). No peer:
 * CellProfiler's recorded time is for the one-channel nuclei pipeline above, not this one.
 */
const plateWells = process.env.PHENOSCOPE_BENCH_WELLS ?? 'A01-A06';
const plateSites = Number(process.env.PHENOSCOPE_BENCH_SITES ?? 2);
const plateFormat = Number(process.env.PHENOSCOPE_BENCH_FORMAT ?? 96);
interface PlateContext {
  dir: string;
  fields: number;
  workers: number;
  run: number;
}

const plateBench: Benchmark<PlateContext> = {
  name: `pipeline: simulated 1024x1024x3 plate end to end (${plateWells} of ${plateFormat} wells x ${plateSites} sites), ${Math.max(1, availableParallelism() - 1)} worker(s)`,
  repeats: 1,
  setup: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phenoscope-bench-plate-'));
    const sim = await simulatePlate(join(dir, 'plate'), {
      wells: plateWells,
      sites: plateSites,
      plateFormat,
      size: 1024,
      seed: 1,
    });
    await writeFile(
      join(dir, 'p.yaml'),
      `version: 1
input: { path: plate, pattern: imagexpress, channels: { DNA: w1, CellBody: w2, Marker: w3 } }
illumination: [{ channel: DNA, size: 100, maxFields: 16 }, { channel: CellBody, size: 100, maxFields: 16 }]
qc: { channel: DNA, minFocus: 0.05, maxSaturated: 0.001 }
objects:
  - { name: Nuclei, type: primary, channel: DNA, options: { diameter: [8, 40] } }
  - { name: Cells, type: secondary, primary: Nuclei, channel: CellBody }
  - { name: Cytoplasm, type: tertiary, larger: Cells, smaller: Nuclei }
measurements:
  - { objects: Nuclei, families: [location, areashape, intensity, texture], channels: [DNA, Marker] }
  - { objects: Cells, families: [areashape, intensity], channels: [Marker], zernike: false }
  - { objects: Cytoplasm, families: [intensity], channels: [Marker] }
`,
    );
    return { dir, fields: sim.fields.length, workers: Math.max(1, availableParallelism() - 1), run: 0 };
  },
  run: async (ctx) => {
    peakRss = 0;
    const timer = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    try {
      return await runPipeline(join(ctx.dir, 'p.yaml'), {
        store: join(ctx.dir, `run${ctx.run++}.duckdb`),
        workers: ctx.workers,
      });
    } finally {
      clearInterval(timer);
    }
  },
  check: (result, ctx) => {
    const s = result as { seconds: number; done: number; excluded: number; failed: number };
    process.stdout.write(
      `  ${ctx.fields} fields (${s.done} done, ${s.excluded} excluded, ${s.failed} failed) in ${s.seconds.toFixed(1)} s: ` +
        `${(ctx.fields / s.seconds / ctx.workers).toFixed(3)} fields/s per core (${ctx.workers} workers), ` +
        `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB\n`,
    );
    void rm(ctx.dir, { recursive: true, force: true });
  },
};
benchmarks.push(plateBench as unknown as Benchmark<Context>);
