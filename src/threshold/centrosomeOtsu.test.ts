import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { crop } from '../image/image.ts';
import { readImage } from '../io/index.ts';
import { sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { thresholdCentrosomeOtsu } from './centrosomeOtsu.ts';

test('edge cases: constant input, no usable pixel, bad options', () => {
  assert.equal(thresholdCentrosomeOtsu([0.3, 0.3, 0.3]), 0.3);
  // centrosome returns 1 when no pixel is >= 0
  assert.equal(thresholdCentrosomeOtsu([-1, Number.NaN]), 1);
  assert.throws(() => thresholdCentrosomeOtsu([1, 2], { classes: 4 as 3 }), /classes must be 2 or 3, got 4/);
  assert.throws(
    () => thresholdCentrosomeOtsu([1, 2], { middleClass: 'middle' as 'foreground' }),
    /middleClass must be 'foreground' or 'background', got 'middle'/,
  );
});

test('two classes split a bimodal sample between its modes; three classes return two input values', () => {
  const values = [...Array(50).fill(0.1), ...Array(50).fill(0.5), ...Array(50).fill(0.9)];
  const t2 = thresholdCentrosomeOtsu(values);
  assert.ok(t2 > 0.1 && t2 < 0.9, `two-class ${t2}`);
  const lower = thresholdCentrosomeOtsu(values, { classes: 3 });
  const upper = thresholdCentrosomeOtsu(values, { classes: 3, middleClass: 'background' });
  // thresholds are input values (exp(log(x)) round trip: to 1e-12), lower <= upper
  for (const t of [lower, upper])
    assert.ok(
      [0.1, 0.5, 0.9].some((v) => Math.abs(t - v) < 1e-12),
      `${t}`,
    );
  assert.ok(lower <= upper && lower > 0.1, `${lower}, ${upper}`);
});

test("ExampleFly: three-class thresholds equal CellProfiler's Threshold_FinalThreshold_Nuclei", {
  skip: skipUnlessShared('cp_examplefly_with_cp_output/ExampleFly'),
}, async () => {
  const root = sharedPath('cp_examplefly_with_cp_output/ExampleFly')!;
  const lines = readFileSync(join(root, 'output', 'Image.csv'), 'utf8')
    .trim()
    .split('\n');
  const names = lines[0]!.split(',');
  for (const line of lines.slice(1)) {
    const row = line.split(',');
    const file = row[names.indexOf('FileName_OrigBlue')]!;
    const expected = Number(row[names.indexOf('Threshold_FinalThreshold_Nuclei')]);
    const image = crop(await readImage(join(root, 'images', file)), 501, 251, 199, 199);
    const unit = Float64Array.from(image.data as Uint8Array, (v) => v / 255);
    const t = thresholdCentrosomeOtsu(unit, { classes: 3, middleClass: 'background' });
    // CellProfiler wrote the value after a float32 round trip: agreement to 1e-7 relative
    assert.ok(Math.abs(t - expected) <= 1e-7 * expected, `${file}: ${t} vs CellProfiler ${expected}`);
  }
});
