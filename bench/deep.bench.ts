// CNN nuclei segmentation on a 1024 x 1024 16-bit field (CellProfiler's synthetic16 field when ../shared/data is
// present, else a simulated field): the whole `segmentNucleiCnn` call, the ONNX model alone on the same
// tiles, and hence the share of pre/post-processing (normalisation, tiling, blending, watershed). No Python peer:
// CellProfiler's recorded ~1.4 s per field (reference/cellprofiler/README.md) is the anchor.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_NUCLEI_MODEL, normalizeForNucleiModel, segmentNucleiCnn } from '../src/deep/nucleiModel.ts';
import { openSession, runNCHW } from '../src/deep/onnxSession.ts';
import { fromData, type Image } from '../src/image/image.ts';
import { readImage } from '../src/io/index.ts';
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
  session: Awaited<ReturnType<typeof openSession>>['session'];
  input: Float32Array;
}

export const benchmarks: Benchmark<Context>[] = [
  {
    name: 'CNN nuclei segmentation, 1024x1024 field, end to end (segmentNucleiCnn)',
    repeats: 3,
    setup: async () => {
      const image = await field();
      const { session } = await openSession(DEFAULT_NUCLEI_MODEL);
      return { image, session, input: new Float32Array(0) };
    },
    run: async (c) => (await segmentNucleiCnn(c.image)).count,
  },
  {
    name: 'CNN nuclei model alone, one 1024x1024 tile (ONNX Runtime, CPU)',
    repeats: 3,
    setup: async () => {
      const image = await field();
      const { session } = await openSession(DEFAULT_NUCLEI_MODEL);
      return { image, session, input: normalizeForNucleiModel(image) };
    },
    run: async (c) => (await runNCHW(c.session, c.input, [1, 1, 1024, 1024])).dims,
  },
];
