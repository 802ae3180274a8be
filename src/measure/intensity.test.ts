import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { convert, fromData, toFloat32 } from '../image/image.ts';
import { readImage } from '../io/index.ts';
import { readNpy } from '../io/npy.ts';
import { numericColumn, readTable } from '../table/index.ts';
import { assertClose } from '../testing/assert.ts';
import { sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { cellProfilerQuantile, intensitySchema, measureIntensity } from './intensity.ts';

const FIXTURES = 'test/fixtures/measure';

test('intensity: sums, moments, quantiles, MAD, edges and locations match numpy/scipy/skimage (scripts/fixtures/measure_objects.py)', async () => {
  const lab = await readNpy(`${FIXTURES}/objects_labels.npy`);
  const img = await readNpy(`${FIXTURES}/objects_image.npy`);
  const width = lab.shape[1]!;
  const height = lab.shape[0]!;
  const labels = fromData(Uint32Array.from(lab.data as Uint32Array), width, height);
  const image = toFloat32(fromData(Uint16Array.from(img.data as Uint16Array), width, height));
  const expected = (await readNpy(`${FIXTURES}/objects_intensity.npy`)).data as Float64Array;
  const names = readFileSync(`${FIXTURES}/objects_columns.txt`, 'utf8').split('\n')[1]!.slice(10).split(',');
  const fs = measureIntensity(labels, image, { channelName: 'DNA' });
  const n = fs.objectNumbers.length;
  names.forEach((name, j) => {
    const prefix =
      name.startsWith('CenterMass') || name.includes('_X') || name.includes('_Y') ? 'Location' : 'Intensity';
    const column = fs.features.find((f) => f.spec.name === `${prefix}_${name}_DNA`);
    assert.ok(column, `missing ${prefix}_${name}_DNA`);
    // Same float32 pixels, float64 sums in a different order: 1e-9 relative.
    assertClose(
      column.values,
      Array.from({ length: n }, (_, i) => expected[i * names.length + j]!),
      { rtol: 1e-9, atol: 1e-12 },
      name,
    );
  });
});

test("intensity: CellProfiler's quantile interpolation (the median of 4 values is the third)", () => {
  const v = [1, 2, 3, 4];
  assert.equal(cellProfilerQuantile(v, 4, 0.5), 3);
  assert.equal(cellProfilerQuantile(v, 4, 0.25), 2);
  assert.equal(cellProfilerQuantile([1, 2, 3, 4, 5], 5, 0.5), 3.5);
  assert.equal(cellProfilerQuantile([7], 1, 0.75), 7);
});

test('intensity: bad input names the problem', () => {
  const labels = fromData(new Uint32Array(4), 2, 2);
  assert.throws(
    () => measureIntensity(labels, fromData(new Float32Array(9), 3, 3), { channelName: 'DNA' }),
    /3x3 but the labels are 2x2/,
  );
  assert.throws(() => intensitySchema({ channelName: '' }), TypeError);
  assert.throws(() => intensitySchema({ channelName: 'a b' }), TypeError);
  assert.equal(intensitySchema({ channelName: 'DNA' }).length, 21);
});

test("intensity: agrees with CellProfiler 5's own numbers on its own objects (synthetic16 field 0)", {
  skip: skipUnlessShared('reference/cellprofiler/synthetic16'),
}, async () => {
  const root = sharedPath('reference/cellprofiler/synthetic16')!;
  const labels = convert(await readImage(`${root}/labels/nuclei_00_labels.tiff`), 'uint32');
  const image = toFloat32(await readImage(`${root}/images/nuclei_00.tif`));
  const cp = await readTable(`${root}/csv/Nuclei.csv`);
  const imageNumber = numericColumn(cp, 'ImageNumber');
  const rows = Array.from({ length: cp.rows }, (_, i) => i).filter((i) => imageNumber[i] === 1);
  const fs = measureIntensity(labels, image, { channelName: 'DNA' });
  for (const f of fs.features) {
    const ref = numericColumn(cp, f.spec.name);
    // Same float32 pixels (value / 65535) and definitions: agreement to rounding.
    assertClose(
      f.values,
      rows.map((r) => ref[r]!),
      { rtol: 1e-9, atol: 1e-12 },
      f.spec.name,
    );
  }
});
