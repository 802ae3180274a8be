import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { secondaryObjects } from './objects.ts';

const W = 7;
// 7 x 1 strip, 8-bit: the cell stain is bright everywhere but under the nucleus in the middle
const stain = () => fromData(Uint8Array.from([200, 200, 200, 100, 200, 200, 200]), W, 1);

test('secondaryObjects competitors: a border object discarded by the primary step claims territory, left empty', () => {
  // 7 x 3, every row alike: stain bright in columns 0-5 (the foreground), dim in column 6; the primary step kept
  // nucleus 1 at (4, 1), and its unedited objects (numbered 1, 2) also had one at (0, 1), touching the border
  const rows = (row: number[]) => [...row, ...row, ...row];
  const image = fromData(Uint8Array.from(rows([200, 200, 200, 200, 200, 200, 10])), W, 3);
  const seeds = fromData(Uint32Array.from(rows([0, 0, 0, 0, 0, 0, 0])), W, 3);
  seeds.data[W + 4] = 1;
  const unedited = fromData(Uint32Array.from(seeds.data), W, 3);
  unedited.data[W + 4] = 2;
  unedited.data[W] = 1;
  const opts = { threshold: 'otsu' as const, thresholdSmoothing: 0, regularization: 1 };
  const alone = secondaryObjects(image, seeds, opts).labels.data;
  assert.deepEqual(Array.from(alone), rows([1, 1, 1, 1, 1, 1, 0]));
  // with the competitor, columns 0-1 are nearer to it (cost 1 per step on the flat stain) and column 2 is a
  // tie that it takes (pushed first, and the smaller label): those stay empty
  for (const style of ['default', 'cellprofiler'] as const) {
    const withIt = secondaryObjects(image, seeds, { ...opts, style, competitors: unedited }).labels.data;
    assert.deepEqual(Array.from(withIt), rows([0, 0, 0, 1, 1, 1, 0]), style);
  }
  // an unedited object that does not touch the border was dropped for its size: it does not compete
  const inner = fromData(Uint32Array.from(unedited.data), W, 3);
  inner.data[W] = 0;
  inner.data[W + 1] = 1;
  const dropped = secondaryObjects(image, seeds, { ...opts, competitors: inner }).labels.data;
  assert.deepEqual(Array.from(dropped), rows([1, 1, 1, 1, 1, 1, 0]));
  assert.throws(
    () => secondaryObjects(image, seeds, { ...opts, competitors: fromData(new Uint32Array(3), 3, 1) }),
    /competitors are 3x1/,
  );
});

test("secondaryObjects style 'cellprofiler': nucleus pixels below the cell threshold keep their label, do not grow", () => {
  const opts = { threshold: 'otsu' as const, thresholdSmoothing: 0 };
  const seeds = fromData(Uint32Array.from([0, 0, 0, 1, 0, 0, 0]), W, 1);
  const r = secondaryObjects(stain(), seeds, opts);
  // default: the mask is the thresholded stain or a seed, so the nucleus grows both ways
  assert.deepEqual(Array.from(r.labels.data), [1, 1, 1, 1, 1, 1, 1]);
  const cp = secondaryObjects(stain(), seeds, { ...opts, style: 'cellprofiler' });
  assert.equal(cp.threshold, r.threshold);
  // CellProfiler: the nucleus pixel is below the cell threshold, so it keeps its label and nothing grows
  assert.deepEqual(Array.from(cp.labels.data), [0, 0, 0, 1, 0, 0, 0]);
  assert.throws(() => secondaryObjects(stain(), seeds, { style: 'x' as 'cellprofiler' }), /style/);
});
