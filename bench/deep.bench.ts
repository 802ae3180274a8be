// CNN nuclei segmentation on a 1024 x 1024 16-bit field (CellProfiler's synthetic16 field when ../shared/data is
// present, else a simulated field): the whole `segmentNucleiCnn` call, the ONNX model alone on the same
// tiles, hence the share of pre/post-processing (normalisation, tiling, blending, watershed), and the
// `phenoscope segment --method cnn` command as a user runs it (a fresh process of the build: start-up, model
// load, labels and overlay written). No Python peer: CellProfiler's recorded ~1.4 s per field (reference/cellprofiler/README.md)
// is the anchor.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_CNN_TILE,
  DEFAULT_NUCLEI_MODEL,
  normalizeForNucleiModel,
  segmentNucleiCnn,
} from '../src/deep/nucleiModel.ts';
import { openSession, runNCHW } from '../src/deep/onnxSession.ts';
import { predictTiled } from '../src/deep/tiledInference.ts';
import { fromData, type Image } from '../src/image/image.ts';
import { readImage, writeImage } from '../src/io/index.ts';
import { sharedPath } from '../src/testing/shared.ts';
import type { Benchmark } from './harness.ts';

async function field(): Promise<Image> {
  const dir = sharedPath('reference/cellprofiler/synthetic16/images');
  if (dir) {
    const first = readdirSync(dir)
      .filter((f) => /\.tiff?$/i.test(f))
      .sort()[0];
    if (first) return readImage(join(dir, first));
  }
  // fallback: seeded Gaussian blobs on a 1024 x 1024 uint16 field (run time hardly depends on content)
  let seed = 7;
  const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const data = new Uint16Array(1024 * 1024).fill(500);
  for (let k = 0; k < 150; k++) {
    const cx = rand() * 1024;
    const cy = rand() * 1024;
    for (let y = Math.max(0, Math.floor(cy - 12)); y < Math.min(1024, cy + 12); y++) {
      for (let x = Math.max(0, Math.floor(cx - 12)); x < Math.min(1024, cx + 12); x++) {
        data[y * 1024 + x] =
          data[y * 1024 + x]! + Math.round(3000 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 60));
      }
    }
  }
  return fromData(data, 1024, 1024);
}

interface Context {
  image: Image;
  /** Model-alone benchmark only: its session and the model inputs `segmentNucleiCnn` feeds for this field. */
  session?: Awaited<ReturnType<typeof openSession>>['session'];
  tiles: { data: Float32Array; dims: readonly [number, number, number, number] }[];
  /** Command benchmark only: the folder holding field.tif and the outputs. */
  dir?: string;
}

async function modelContext(): Promise<Context> {
  const image = await field();
  const { session } = await openSession(DEFAULT_NUCLEI_MODEL);
  const tiles: Context['tiles'] = [];
  // the default tiling of segmentNucleiCnn (multiples of 8), recorded once
  await predictTiled(
    normalizeForNucleiModel(image),
    image.width,
    image.height,
    (data, dims) => {
      tiles.push({ data: Float32Array.from(data), dims });
      return runNCHW(session, data, dims);
    },
    { divisor: 8, ...DEFAULT_CNN_TILE },
  );
  return { image, session, tiles };
}

export const benchmarks: Benchmark<Context>[] = [
  {
    name: 'CNN nuclei segmentation, 1024x1024 field, end to end (segmentNucleiCnn)',
    repeats: 9,
    setup: async () => ({ image: await field(), tiles: [] }),
    run: async (c) => (await segmentNucleiCnn(c.image)).count,
  },
  {
    name: `CNN nuclei model alone, the default tiles of a 1024x1024 field (${DEFAULT_CNN_TILE.tileSize}x${DEFAULT_CNN_TILE.tileSize}, ONNX Runtime, CPU)`,
    repeats: 9,
    setup: modelContext,
    run: async (c) => {
      for (const t of c.tiles) await runNCHW(c.session!, t.data, t.dims);
      return c.tiles.length;
    },
  },
  {
    name: 'phenoscope segment --method cnn, one 1024x1024 field, fresh process (wall)',
    repeats: 3,
    setup: async () => {
      // the command as users run it, from the build (`npm run demo` and `npm test` build dist/ first); rebuilt here
      const build = spawnSync('npm', ['run', 'build', '--silent'], { encoding: 'utf8' });
      if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
      const image = await field();
      const dir = mkdtempSync(join(tmpdir(), 'phenoscope-bench-cnn-'));
      await writeImage(join(dir, 'field.tif'), image);
      return { image, tiles: [], dir };
    },
    run: (c) => {
      const r = spawnSync(
        process.execPath,
        [
          'bin/phenoscope.js',
          'segment',
          join(c.dir!, 'field.tif'),
          '--method',
          'cnn',
          '--out',
          join(c.dir!, 'out'),
        ],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`segment --method cnn failed: ${r.stderr}`);
      return r.stdout;
    },
    check: (_result, c) => rmSync(c.dir!, { recursive: true, force: true }),
  },
];
