// Filters and thresholds on a 2048 x 2048 uint16 fluorescence-like field (12-bit blobs on a noisy background),
// each against its scipy/scikit-image peer on the same pixels (written once to a temporary .npy file).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gaussian } from '../src/filter/gaussian.ts';
import { median } from '../src/filter/median.ts';
import { dilate, erode } from '../src/filter/morphology.ts';
import { fromData, type Image } from '../src/image/image.ts';
import { writeNpy } from '../src/io/npy.ts';
import { thresholdLi } from '../src/threshold/li.ts';
import { thresholdOtsu } from '../src/threshold/otsu.ts';
import type { Benchmark } from './harness.ts';

const SIZE = 2048;

/** Deterministic synthetic field: background 200 + noise, ~600 Gaussian nuclei of 500-3000 counts, clipped to 4095. */
function makeField(): Image<'uint16'> {
  let seed = 12345;
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const f = new Float32Array(SIZE * SIZE);
  for (let i = 0; i < f.length; i++) f[i] = 200 + (rand() + rand() + rand() - 1.5) * 60;
  for (let b = 0; b < 600; b++) {
    const cx = rand() * SIZE;
    const cy = rand() * SIZE;
    const r = 6 + rand() * 10;
    const a = 500 + rand() * 2500;
    const R = Math.ceil(3 * r);
    for (let y = Math.max(0, Math.floor(cy - R)); y < Math.min(SIZE, cy + R); y++) {
      for (let x = Math.max(0, Math.floor(cx - R)); x < Math.min(SIZE, cx + R); x++) {
        f[y * SIZE + x]! += a * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r));
      }
    }
  }
  const data = new Uint16Array(f.length);
  for (let i = 0; i < f.length; i++) data[i] = Math.max(0, Math.min(4095, Math.round(f[i]!)));
  return fromData(data, SIZE, SIZE);
}

interface Context {
  image: Image<'uint16'>;
  path: string;
}

let shared: Promise<Context> | undefined;
function setup(): Promise<Context> {
  shared ??= (async () => {
    const image = makeField();
    const path = join(mkdtempSync(join(tmpdir(), 'phenoscope-bench-')), 'field_2048_u16.npy');
    await writeNpy(path, image.data, [SIZE, SIZE]);
    return { image, path };
  })();
  return shared;
}

function peer(op: string, label: string, repeats = 7) {
  return (c: Context) => ({
    name: label,
    script: 'bench/peers/filter_skimage.py',
    args: [op, c.path, String(repeats)],
  });
}

export const benchmarks: Benchmark<Context>[] = [
  {
    name: 'gaussian sigma 2, 2048x2048 uint16',
    setup,
    run: (c) => gaussian(c.image, { sigma: 2 }),
    peer: peer('gaussian', 'skimage.filters.gaussian (scipy)'),
  },
  {
    name: 'median disk radius 2, 2048x2048 uint16',
    setup,
    run: (c) => median(c.image, { footprint: { shape: 'disk', radius: 2 } }),
    peer: peer('median', 'skimage.filters.median (scipy)'),
  },
  {
    name: 'Otsu threshold, 2048x2048 uint16',
    setup,
    run: (c) => thresholdOtsu(c.image),
    peer: peer('otsu', 'skimage.filters.threshold_otsu'),
  },
  {
    name: 'Li threshold, 2048x2048 uint16',
    setup,
    run: (c) => thresholdLi(c.image),
    peer: peer('li', 'skimage.filters.threshold_li'),
  },
  {
    name: 'dilation disk radius 3, 2048x2048 uint16',
    setup,
    run: (c) => dilate(c.image, { shape: 'disk', radius: 3 }),
    peer: peer('dilate', 'skimage.morphology.dilation (scipy)'),
  },
  {
    name: 'dilation disk radius 10, 2048x2048 uint16',
    setup,
    run: (c) => dilate(c.image, { shape: 'disk', radius: 10 }),
    peer: peer('dilate10', 'skimage.morphology.dilation (scipy)', 3),
    repeats: 3,
  },
  {
    name: 'erosion disk radius 3, 2048x2048 uint16',
    setup,
    run: (c) => erode(c.image, { shape: 'disk', radius: 3 }),
    peer: peer('erode', 'skimage.morphology.erosion (scipy)'),
  },
];
