import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData, type Image } from '../image/image.ts';
import { SECONDARY_METHODS, secondaryObjects } from './secondaryObjects.ts';
import { spots } from './spots.ts';
import { tertiaryObjects } from './tertiaryObjects.ts';

/** Two cells (bright squares 20 px, 2 px apart) each with a nucleus at its centre. */
function scene(): { cells: Image<'uint16'>; nuclei: Image<'uint32'> } {
  const w = 50;
  const h = 30;
  const cells = new Uint16Array(w * h).fill(200);
  const nuclei = new Uint32Array(w * h);
  for (let y = 5; y < 25; y++) {
    for (let x = 2; x < 22; x++) cells[y * w + x] = 3000;
    for (let x = 24; x < 44; x++) cells[y * w + x] = 2600;
  }
  for (let y = 12; y < 18; y++) {
    for (let x = 9; x < 15; x++) nuclei[y * w + x] = 1;
    for (let x = 31; x < 37; x++) nuclei[y * w + x] = 2;
  }
  return { cells: fromData(cells, w, h), nuclei: fromData(nuclei, w, h) };
}

test('secondaryObjects: every method grows each nucleus into its own square', () => {
  const { cells, nuclei } = scene();
  for (const method of SECONDARY_METHODS) {
    const r = secondaryObjects(cells, nuclei, { method, distance: 12 });
    const at = (x: number, y: number) => r.labels.data[y * 50 + x];
    assert.equal(at(12, 15), 1, method);
    assert.equal(at(34, 15), 2, method);
    assert.equal(at(4, 7), 1, `${method} corner of cell 1`);
    assert.equal(at(42, 23), 2, `${method} corner of cell 2`);
    if (method !== 'distance-b') assert.equal(at(0, 0), 0, `${method} background`);
  }
  const area1 = secondaryObjects(cells, nuclei, { thresholdSmoothing: 0 }).labels.data.filter(
    (v) => v === 1,
  ).length;
  assert.equal(area1, 400); // propagation fills exactly the 20x20 square
});

test('tertiaryObjects: cytoplasm = cell minus nucleus, with or without shrinking', () => {
  const { cells, nuclei } = scene();
  const cellLabels = secondaryObjects(cells, nuclei, { thresholdSmoothing: 0 }).labels;
  const cyto = tertiaryObjects(cellLabels, nuclei, { shrinkPrimary: false });
  assert.equal(cyto.data.filter((v) => v === 1).length, 400 - 36);
  const shrunk = tertiaryObjects(cellLabels, nuclei);
  assert.equal(shrunk.data.filter((v) => v === 1).length, 400 - 16); // 6x6 nucleus keeps its 20-pixel outline
  assert.throws(() => tertiaryObjects(cellLabels, fromData(new Uint32Array(4), 2, 2)), /size/);
});

test('tertiaryObjects: the kept outline is 8-connected, as centrosome.outline (CellProfiler)', () => {
  // 6x6 cell; nucleus the 4x4 block at rows/columns 1-4 without its corner (1, 1): pixel (2, 2) has all four
  // 4-neighbours inside the nucleus but its diagonal (1, 1) outside, so it stays; (2, 3), (3, 2), (3, 3) go
  const cell = fromData(new Uint32Array(36).fill(1), 6, 6);
  const nucleus = new Uint32Array(36);
  for (let y = 1; y <= 4; y++) for (let x = 1; x <= 4; x++) nucleus[y * 6 + x] = 1;
  nucleus[6 + 1] = 0;
  const cyto = tertiaryObjects(cell, fromData(nucleus, 6, 6)).data;
  assert.equal(cyto[2 * 6 + 2], 1);
  assert.deepEqual(
    [2 * 6 + 3, 3 * 6 + 2, 3 * 6 + 3].map((i) => cyto[i]),
    [0, 0, 0],
  );
  assert.equal(cyto.filter((v) => v === 1).length, 33);
});

test('spots: top-hat and LoG find bright dots and relate them to their cell', () => {
  const { cells, nuclei } = scene();
  const cellLabels = secondaryObjects(cells, nuclei).labels;
  const img = new Uint16Array(50 * 30).fill(300);
  for (const [x, y] of [
    [5, 8],
    [18, 20],
    [40, 10],
    [47, 2], // outside every cell
  ]) {
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) img[(y! + dy) * 50 + x! + dx] = 5000;
  }
  for (const method of ['tophat', 'log'] as const) {
    const r = spots(fromData(img, 50, 30), cellLabels, { method, diameter: 3 });
    assert.equal(r.parent.length, 3, method);
    assert.deepEqual(Array.from(r.parent).sort(), [1, 1, 2], method);
    const all = spots(fromData(img, 50, 30), cellLabels, { method, diameter: 3, insideCellsOnly: false });
    assert.equal(all.parent.length, 4);
    assert.equal(Math.min(...all.parent), 0);
  }
  const none = spots(fromData(new Uint16Array(50 * 30), 50, 30), cellLabels);
  assert.equal(none.parent.length, 0);
  assert.throws(() => spots(fromData(img, 50, 30), cellLabels, { diameter: 0 }), /diameter/);
});

test('secondaryObjects: bad method and mismatched nuclei throw', () => {
  const { cells, nuclei } = scene();
  assert.throws(() => secondaryObjects(cells, nuclei, { method: 'x' as 'propagation' }), /method/);
  assert.throws(() => secondaryObjects(cells, fromData(new Uint32Array(4), 2, 2)), /size/);
});
