import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { numericColumn } from '../table/index.ts';
import { measureLocation } from './location.ts';
import {
  FEATURE_FAMILIES,
  measureImageSchema,
  measureObjects,
  measureObjectsSchema,
  toLabelImage,
} from './measureObjects.ts';

const labels = fromData(Uint16Array.of(0, 1, 1, 0, 0, 1, 0, 3, 3, 0, 0, 3), 4, 3);
const image = fromData(Uint16Array.of(0, 100, 200, 0, 0, 300, 0, 65535, 0, 0, 0, 65535), 4, 3);

test('measureObjects: one row per label value, CellProfiler column names, per-image counts', () => {
  const { objects, image: imageTable } = measureObjects(
    [{ name: 'Nuclei', labels }],
    [{ name: 'DNA', image }],
    {
      families: ['location', 'areashape', 'intensity'],
      imageNumber: 4,
    },
  );
  const nuclei = objects.Nuclei!;
  assert.deepEqual(Array.from(numericColumn(nuclei, 'ObjectNumber')), [1, 3]);
  assert.deepEqual(Array.from(numericColumn(nuclei, 'ImageNumber')), [4, 4]);
  assert.deepEqual(Array.from(numericColumn(nuclei, 'AreaShape_Area')), [3, 3]);
  // uint16 scaled by 1/65535 as CellProfiler does: object 1 sums 600 / 65535.
  assert.ok(Math.abs(numericColumn(nuclei, 'Intensity_IntegratedIntensity_DNA')[0]! - 600 / 65535) < 1e-9);
  assert.equal(numericColumn(nuclei, 'Intensity_MaxIntensity_DNA')[1], 1);
  assert.deepEqual(nuclei.names.slice(0, 2), ['ImageNumber', 'ObjectNumber']);
  const rest = nuclei.names.slice(2);
  assert.deepEqual(rest, [...rest].sort());
  assert.deepEqual(
    rest,
    measureObjectsSchema(['DNA'], { families: ['location', 'areashape', 'intensity'] }).map((s) => s.name),
  );
  assert.deepEqual(Array.from(numericColumn(imageTable, 'Count_Nuclei')), [2]);
});

test('measureObjects: bad input gives clear errors', () => {
  const small = fromData(new Uint16Array(4), 2, 2);
  assert.throws(
    () => measureObjects([{ name: 'N', labels }], [{ name: 'DNA', image: small }]),
    /2x2 but the first input is 4x3/,
  );
  assert.throws(
    () =>
      measureObjects([{ name: 'N', labels }], [{ name: 'DNA', image }], {
        families: ['shape' as 'areashape'],
      }),
    /unknown feature family 'shape'/,
  );
  assert.throws(
    () =>
      measureObjects(
        [{ name: 'N', labels }],
        [
          { name: 'DNA', image },
          { name: 'DNA', image },
        ],
      ),
    /given twice/,
  );
  assert.throws(() => toLabelImage(fromData(Float32Array.of(0, 1.5, 0, 0), 2, 2)), /integer values, got 1.5/);
});

test('measureObjects: an empty label image gives an empty table and a count of 0', () => {
  const empty = fromData(new Uint16Array(12), 4, 3);
  const { objects, image: imageTable } = measureObjects(
    [{ name: 'Cells', labels: empty }],
    [{ name: 'DNA', image }],
  );
  assert.equal(objects.Cells!.rows, 0);
  assert.ok(objects.Cells!.names.includes('Texture_Contrast_DNA_3_00_256'));
  assert.deepEqual(Array.from(numericColumn(imageTable, 'Count_Cells')), [0]);
});

test('location: centres are the mean pixel coordinates', () => {
  const fs = measureLocation(toLabelImage(labels));
  assert.deepEqual(Array.from(fs.features[0]!.values), [(1 + 2 + 1) / 3, (3 + 0 + 3) / 3]);
  assert.deepEqual(Array.from(fs.features[1]!.values), [(0 + 0 + 1) / 3, (1 + 2 + 2) / 3]);
  assert.deepEqual(Array.from(fs.features[3]!.values), [1, 3]);
});

test('measureObjects: every family on two channels; tables match the declared schemas', () => {
  const green = fromData(Uint16Array.of(5, 10, 20, 0, 0, 30, 0, 900, 800, 0, 0, 700), 4, 3);
  const families = [...FEATURE_FAMILIES];
  const channels = [
    { name: 'DNA', image },
    { name: 'GFP', image: green },
  ];
  const { objects, image: imageTable } = measureObjects([{ name: 'Nuclei', labels }], channels, { families });
  const nuclei = objects.Nuclei!;
  assert.deepEqual(
    nuclei.names.slice(2),
    measureObjectsSchema(['DNA', 'GFP'], { families }).map((s) => s.name),
  );
  assert.ok(nuclei.names.includes('Correlation_Correlation_DNA_GFP'));
  assert.ok(nuclei.names.includes('Neighbors_NumberOfNeighbors_Adjacent'));
  assert.deepEqual(
    imageTable.names.slice(1),
    measureImageSchema(['Nuclei'], ['DNA', 'GFP'], { families }).map((s) => s.name),
  );
});

test('measureObjects: 8/16/32-bit integer images are divided by their type maximum, float images kept as they are', () => {
  const lab = fromData(Uint8Array.of(1, 1, 0, 0), 2, 2);
  const mean = (image: Parameters<typeof measureObjects>[1][number]['image']) =>
    numericColumn(
      measureObjects([{ name: 'N', labels: lab }], [{ name: 'C', image }], { families: ['intensity'] })
        .objects.N!,
      'Intensity_MeanIntensity_C',
    )[0]!;
  assert.ok(Math.abs(mean(fromData(Uint8Array.of(51, 51, 0, 0), 2, 2)) - 51 / 255) < 1e-7);
  assert.ok(Math.abs(mean(fromData(Uint16Array.of(6553, 6553, 0, 0), 2, 2)) - 6553 / 65535) < 1e-7);
  assert.ok(
    Math.abs(mean(fromData(Uint32Array.of(2 ** 31, 2 ** 31, 0, 0), 2, 2)) - 2 ** 31 / (2 ** 32 - 1)) < 1e-7,
  );
  assert.ok(Math.abs(mean(fromData(Float32Array.of(0.25, 0.75, 0, 0), 2, 2)) - 0.5) < 1e-7);
  assert.ok(Math.abs(mean(fromData(Float64Array.of(3, 5, 0, 0), 2, 2)) - 4) < 1e-12);
});
