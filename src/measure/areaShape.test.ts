import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { convert, fromData } from '../image/image.ts';
import { readImage } from '../io/index.ts';
import { readNpy } from '../io/npy.ts';
import { numericColumn, readTable } from '../table/index.ts';
import { assertClose } from '../testing/assert.ts';
import { sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { areaShapeSchema, measureAreaShape } from './areaShape.ts';
import { indexObjects } from './objects.ts';

const FIXTURES = 'test/fixtures/measure';

async function fixtureLabels() {
  const npy = await readNpy(`${FIXTURES}/objects_labels.npy`);
  return fromData(Uint32Array.from(npy.data as Uint32Array), npy.shape[1]!, npy.shape[0]!);
}

test('areaShape: regionprops, radii and Feret of awkward objects match scikit-image/scipy (scripts/fixtures/measure_objects.py)', async () => {
  const labels = await fixtureLabels();
  const shape = await readNpy(`${FIXTURES}/objects_shape.npy`);
  const ids = (await readNpy(`${FIXTURES}/objects_ids.npy`)).data as Float64Array;
  const names = readFileSync(`${FIXTURES}/objects_columns.txt`, 'utf8').split('\n')[0]!.slice(6).split(',');
  const fs = measureAreaShape(labels, { zernike: false });
  assert.deepEqual(Array.from(fs.objectNumbers), Array.from(ids));
  const data = shape.data as Float64Array;
  names.forEach((name, j) => {
    const column = fs.features.find((f) => f.spec.name === `AreaShape_${name}`);
    assert.ok(column, `missing AreaShape_${name}`);
    const expected = Array.from({ length: ids.length }, (_, i) => data[i * names.length + j]!);
    // Float64 sums in a different order than numpy's: 1e-9 relative; integer features come out exact.
    assertClose(column.values, expected, { rtol: 1e-9, atol: 1e-12 }, `AreaShape_${name}`);
  });
});

test('areaShape: schema lists 25 features plus 30 Zernike moments, as CellProfiler declares them', () => {
  const names = areaShapeSchema().map((s) => s.name);
  assert.equal(names.length, 55);
  assert.ok(names.includes('AreaShape_Zernike_9_9') && names.includes('AreaShape_MinFeretDiameter'));
  assert.equal(areaShapeSchema({ zernike: false }).length, 25);
  assert.equal(areaShapeSchema({ zernikeOrder: 4 }).length, 25 + 9);
  assert.throws(() => areaShapeSchema({ zernikeOrder: -1 }), RangeError);
});

test('areaShape: empty label image gives empty columns; one-pixel objects are defined', () => {
  const empty = measureAreaShape(fromData(new Uint32Array(16), 4, 4));
  assert.equal(empty.objectNumbers.length, 0);
  assert.ok(empty.features.every((f) => f.values.length === 0));
  const one = measureAreaShape(fromData(Uint32Array.of(0, 0, 0, 0, 7, 0, 0, 0, 0), 3, 3));
  const get = (n: string) => one.features.find((f) => f.spec.name === `AreaShape_${n}`)!.values[0];
  assert.equal(get('Area'), 1);
  assert.equal(get('Perimeter'), 0);
  assert.equal(get('FormFactor'), Number.POSITIVE_INFINITY); // 4 pi A / 0, as CellProfiler
  assert.equal(get('MaxFeretDiameter'), 0);
  assert.ok(Number.isNaN(get('Zernike_0_0')!)); // CellProfiler's 0 / 0 for a zero-radius circle
});

test('areaShape: rejects an object index built for another image', () => {
  const a = fromData(new Uint32Array(16), 4, 4);
  const b = fromData(new Uint32Array(25), 5, 5);
  assert.throws(() => measureAreaShape(a, {}, indexObjects(b)), /object index/);
});

test("areaShape: agrees with CellProfiler 5's own numbers on its own objects (synthetic16 field 0, 129 nuclei)", {
  skip: skipUnlessShared('reference/cellprofiler/synthetic16'),
}, async () => {
  const root = sharedPath('reference/cellprofiler/synthetic16')!;
  const labels = convert(await readImage(`${root}/labels/nuclei_00_labels.tiff`), 'uint32');
  const cp = await readTable(`${root}/csv/Nuclei.csv`);
  const imageNumber = numericColumn(cp, 'ImageNumber');
  const rows = Array.from({ length: cp.rows }, (_, i) => i).filter((i) => imageNumber[i] === 1);
  const fs = measureAreaShape(labels);
  const objectNumber = numericColumn(cp, 'ObjectNumber');
  assert.deepEqual(
    Array.from(fs.objectNumbers),
    rows.map((r) => objectNumber[r]),
  );
  for (const f of fs.features) {
    const ref = numericColumn(cp, f.spec.name);
    // Same definitions and the same enclosing-circle arithmetic: agreement to rounding (1e-9 relative).
    assertClose(
      f.values,
      rows.map((r) => ref[r]!),
      { rtol: 1e-9, atol: 1e-12 },
      f.spec.name,
    );
  }
});
