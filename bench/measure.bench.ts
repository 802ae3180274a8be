// Per-object measurements on a 1024 x 1024 16-bit field with ~130 nuclei (CellProfiler's synthetic16 field 0 and
// its label image from ../shared/data when present, else a seeded synthetic field of ~150 ellipses), against
// scikit-image regionprops / scipy / numpy doing the same work (bench/peers/measure_regionprops.py).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convert, fromData, type Image, type LabelImage, toFloat32 } from '../src/image/image.ts';
import { readImage } from '../src/io/index.ts';
import { writeNpy } from '../src/io/npy.ts';
import { measureAreaShape } from '../src/measure/areaShape.ts';
import { measureIntensity } from '../src/measure/intensity.ts';
import { measureObjects } from '../src/measure/measureObjects.ts';
import { indexObjects } from '../src/measure/objects.ts';
import { sharedPath } from '../src/testing/shared.ts';
import type { Benchmark } from './harness.ts';

interface Context {
  labels: LabelImage;
  raw: Image<'uint16'>;
  image: Image<'float32'>;
  labelsPath: string;
  imagePath: string;
  source: string;
}

/** ~150 non-overlapping ellipses with textured intensities on a 1024 x 1024 uint16 field (seeded). */
function syntheticField(): { labels: LabelImage; raw: Image<'uint16'> } {
  const size = 1024;
  let seed = 99;
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const labels = new Uint32Array(size * size);
  const raw = new Uint16Array(size * size);
  for (let i = 0; i < raw.length; i++) raw[i] = 800 + Math.floor(rand() * 200);
  let placed = 0;
  for (let attempt = 0; attempt < 2000 && placed < 150; attempt++) {
    const cx = 40 + rand() * (size - 80);
    const cy = 40 + rand() * (size - 80);
    const a = 8 + rand() * 14;
    const b = 6 + rand() * 10;
    const t = rand() * Math.PI;
    const R = Math.ceil(Math.max(a, b)) + 1;
    let free = true;
    for (let y = Math.floor(cy - R); y <= cy + R && free; y++) {
      for (let x = Math.floor(cx - R); x <= cx + R; x++) if (labels[y * size + x]) free = false;
    }
    if (!free) continue;
    placed++;
    for (let y = Math.floor(cy - R); y <= cy + R; y++) {
      for (let x = Math.floor(cx - R); x <= cx + R; x++) {
        const u = ((x - cx) * Math.cos(t) + (y - cy) * Math.sin(t)) / a;
        const v = (-(x - cx) * Math.sin(t) + (y - cy) * Math.cos(t)) / b;
        if (u * u + v * v <= 1) {
          labels[y * size + x] = placed;
          raw[y * size + x] = 8000 + Math.floor(rand() * 20000 * (1 - 0.5 * (u * u + v * v)));
        }
      }
    }
  }
  return { labels: fromData(labels, size, size), raw: fromData(raw, size, size) };
}

let shared: Promise<Context> | undefined;
function setup(): Promise<Context> {
  shared ??= (async () => {
    const root = sharedPath('reference/cellprofiler/synthetic16');
    let labels: LabelImage;
    let raw: Image<'uint16'>;
    let source: string;
    if (root) {
      labels = convert(await readImage(join(root, 'labels', 'nuclei_00_labels.tiff')), 'uint32');
      raw = (await readImage(join(root, 'images', 'nuclei_00.tif'))) as Image<'uint16'>;
      source = 'synthetic16 field 0';
    } else {
      ({ labels, raw } = syntheticField());
      source = 'seeded synthetic field';
    }
    const dir = mkdtempSync(join(tmpdir(), 'phenoscope-bench-measure-'));
    const labelsPath = join(dir, 'labels.npy');
    const imagePath = join(dir, 'image.npy');
    await writeNpy(labelsPath, labels.data, [labels.height, labels.width]);
    await writeNpy(imagePath, raw.data, [raw.height, raw.width]);
    return { labels, raw, image: toFloat32(raw), labelsPath, imagePath, source };
  })();
  return shared;
}

function peer(mode: string, label: string) {
  return (c: Context) => ({
    name: label,
    script: 'bench/peers/measure_regionprops.py',
    args: [mode, c.labelsPath, c.imagePath],
  });
}

export const benchmarks: Benchmark<Context>[] = [
  {
    name: 'measure AreaShape without Zernike, 1024x1024 field, ~130 nuclei',
    setup,
    run: (c) => measureAreaShape(c.labels, { zernike: false }),
    peer: peer('areashape', 'skimage regionprops + scipy EDT radii + Feret'),
  },
  {
    name: 'measure AreaShape with Zernike (order 9), 1024x1024 field, ~130 nuclei',
    setup,
    run: (c) => measureAreaShape(c.labels),
    peer: peer('areashape_zernike', 'regionprops + radii + Feret + numpy Zernike'),
  },
  {
    name: 'measure Intensity, 1024x1024 field, ~130 nuclei',
    setup,
    run: (c) => measureIntensity(c.labels, c.image, { channelName: 'DNA' }, indexObjects(c.labels)),
    peer: peer('intensity', 'scipy.ndimage stats + quartiles + find_boundaries'),
  },
  {
    name: 'measureObjects AreaShape+Zernike+Intensity from uint16, 1024x1024 field, ~130 nuclei',
    setup,
    run: (c) =>
      measureObjects([{ name: 'Nuclei', labels: c.labels }], [{ name: 'DNA', image: c.raw }], {
        families: ['location', 'areashape', 'intensity'],
      }),
    peer: peer('all', 'regionprops + numpy Zernike + scipy intensity'),
  },
];
