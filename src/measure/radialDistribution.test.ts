import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { readNpy } from '../io/npy.ts';
import { assertClose } from '../testing/assert.ts';
import { measureRadialDistribution, radialDistributionSchema } from './radialDistribution.ts';

async function inputs() {
  const l = await readNpy('test/fixtures/measure2/radial_labels.npy');
  const im = await readNpy('test/fixtures/measure2/radial_image.npy');
  const [h, w] = l.shape as [number, number];
  return {
    labels: fromData(Int32Array.from(l.data as ArrayLike<number>), w, h),
    image: fromData(Float32Array.from(im.data as ArrayLike<number>), w, h),
  };
}

test('CellProfiler names: ring-major FracAtD, MeanFrac, RadialCV; Overflow when unscaled', () => {
  const names = radialDistributionSchema({ channelName: 'DNA' }).map((s) => s.name);
  assert.equal(names.length, 12);
  assert.deepEqual(names.slice(0, 3), [
    'RadialDistribution_FracAtD_DNA_1of4',
    'RadialDistribution_MeanFrac_DNA_1of4',
    'RadialDistribution_RadialCV_DNA_1of4',
  ]);
  const unscaled = radialDistributionSchema({ channelName: 'DNA', binCount: 3, scaled: false }).map(
    (s) => s.name,
  );
  assert.equal(unscaled.at(-1), 'RadialDistribution_RadialCV_DNA_Overflow');
});

for (const [name, options, cols] of [
  ['radial_scaled4', { binCount: 4 }, 12],
  ['radial_unscaled3', { binCount: 3, scaled: false, maximumRadius: 12 }, 12],
] as const) {
  test(`matches the NumPy/SciPy transcription of CellProfiler (${name})`, async () => {
    const { labels, image } = await inputs();
    const expected = (await readNpy(`test/fixtures/measure2/${name}.npy`)).data as Float64Array;
    const fs = measureRadialDistribution(labels, image, { channelName: 'DNA', ...options });
    assert.equal(fs.features.length, cols);
    const n = fs.objectNumbers.length;
    assert.equal(n, 5);
    fs.features.forEach((col, f) => {
      const want = Array.from({ length: n }, (_, i) => expected[i * cols + f]!);
      // Same bins (integer geometry); float64 sums in another order.
      assertClose(col.values, want, { rtol: 1e-9, atol: 1e-12 }, col.spec.name);
    });
  });
}

for (const [name, choice, bins] of [
  ['radial_centers4', 'centers', 4],
  ['radial_edges3', 'edges', 3],
] as const) {
  test(`centring objects ('${choice}') match the transcription of CellProfiler's "${choice} of other objects"`, async () => {
    const load = async (f: string) => readNpy(`test/fixtures/measure2/${f}.npy`);
    const cells = await load('radial_cells');
    const [h, w] = cells.shape as [number, number];
    const labels = fromData(Int32Array.from(cells.data as ArrayLike<number>), w, h);
    const centers = fromData(Int32Array.from((await load('radial_nuclei')).data as ArrayLike<number>), w, h);
    const image = fromData(
      Float32Array.from((await load('radial_cells_image')).data as ArrayLike<number>),
      w,
      h,
    );
    const expected = (await load(name)).data as Float64Array;
    const fs = measureRadialDistribution(labels, image, {
      channelName: 'DNA',
      binCount: bins,
      centers,
      centerChoice: choice,
    });
    const cols = 3 * bins;
    fs.features.forEach((col, f) => {
      const want = Array.from({ length: 4 }, (_, i) => expected[i * cols + f]!);
      assertClose(col.values, want, { rtol: 1e-9, atol: 1e-12 }, col.spec.name);
    });
  });
}

test('uniform disc: fractions follow the ring areas, MeanFrac 1, CV 0', () => {
  const w = 41;
  const data = new Uint32Array(w * w);
  for (let y = 0; y < w; y++)
    for (let x = 0; x < w; x++) data[y * w + x] = (y - 20) ** 2 + (x - 20) ** 2 <= 225 ? 1 : 0;
  const labels = fromData(data, w, w);
  const fs = measureRadialDistribution(labels, fromData(new Float32Array(w * w).fill(0.5), w, w), {
    channelName: 'X',
  });
  let sum = 0;
  for (let b = 0; b < 4; b++) {
    sum += fs.features[3 * b]!.values[0]!;
    assertClose(fs.features[3 * b + 1]!.values[0]!, 1, { rtol: 1e-12 }, 'MeanFrac');
    assertClose(fs.features[3 * b + 2]!.values[0]!, 0, { atol: 1e-12 }, 'RadialCV');
  }
  assertClose(sum, 1, { rtol: 1e-12 });
});

test('bad input', () => {
  const l = fromData(new Uint32Array(4), 2, 2);
  const img = fromData(new Float32Array(6), 3, 2);
  assert.throws(
    () => measureRadialDistribution(l, img, { channelName: 'X' }),
    /2x2 but the intensity image is 3x2/,
  );
  const ok = fromData(new Float32Array(4), 2, 2);
  assert.throws(
    () => measureRadialDistribution(l, ok, { channelName: 'X', binCount: 0 }),
    /binCount .* got 0/,
  );
  assert.throws(() => measureRadialDistribution(l, ok, { channelName: '' }), /channelName/);
  assert.equal(measureRadialDistribution(l, ok, { channelName: 'X' }).objectNumbers.length, 0);
  assert.throws(
    () => measureRadialDistribution(l, ok, { channelName: 'X', centers: fromData(new Uint32Array(6), 3, 2) }),
    /centring objects are 3x2x1 but the labels are 2x2x1/,
  );
});
