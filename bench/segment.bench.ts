// Nuclei segmentation (primaryObjects, default settings) on real-size 16-bit fields: CellProfiler's synthetic
// reference fields (1024 x 1024, ~150 nuclei; ../shared/data/reference/cellprofiler/synthetic16) and a 2048 x
// 2048 mosaic of four of them, against scikit-image's classical pipeline on the same pixels (one thread each).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromData, type Image } from '../src/image/image.ts';
import { readImage } from '../src/io/index.ts';
import { writeNpy } from '../src/io/npy.ts';
import { primaryObjects } from '../src/segment/primaryObjects.ts';
import { sharedPath } from '../src/testing/shared.ts';
import type { Benchmark } from './harness.ts';

interface Context {
  image: Image;
  path: string;
}

const FIELDS = 'reference/cellprofiler/synthetic16/images';

async function field(k: number): Promise<Image> {
  const dir = sharedPath(FIELDS);
  if (!dir) throw new Error(`shared data ${FIELDS} is absent`);
  return readImage(join(dir, `nuclei_0${k}.tif`));
}

async function setup(size: 1024 | 2048): Promise<Context> {
  let image: Image;
  if (size === 1024) {
    image = await field(0);
  } else {
    const tiles = await Promise.all([0, 1, 2, 3].map(field));
    const data = new Uint16Array(2048 * 2048);
    tiles.forEach((t, k) => {
      const ox = (k % 2) * 1024;
      const oy = Math.floor(k / 2) * 1024;
      for (let y = 0; y < 1024; y++) {
        data.set((t.data as Uint16Array).subarray(y * 1024, (y + 1) * 1024), (oy + y) * 2048 + ox);
      }
    });
    image = fromData(data, 2048, 2048);
  }
  const path = join(mkdtempSync(join(tmpdir(), 'phenoscope-bench-')), `field_${size}.npy`);
  await writeNpy(path, image.data as Uint16Array, [image.height, image.width]);
  return { image, path };
}

function bench(size: 1024 | 2048): Benchmark<Context> {
  return {
    name: `segment nuclei ${size}x${size} uint16 (primaryObjects defaults)`,
    setup: () => setup(size),
    run: (c) => primaryObjects(c.image),
    repeats: 5,
    peer: (c) => ({
      name: 'skimage 0.19 Otsu+EDT+peak_local_max+watershed',
      script: 'bench/peers/segment_skimage.py',
      args: [c.path, '5'],
    }),
    check: (result) => {
      const count = (result as { count: number }).count;
      if (!(count > 50)) throw new Error(`only ${count} nuclei found`);
    },
  };
}

export const benchmarks: Benchmark<Context>[] = [bench(1024), bench(2048)];
