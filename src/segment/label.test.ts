import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { label } from './label.ts';
import { fixture } from './testFixtures.ts';

test('label equals skimage.measure.label on random noise, 4- and 8-connected (exact)', async () => {
  const noise = await fixture('label_noise');
  for (const c of [4, 8] as const) {
    const expected = await fixture(`label_noise_${c}`);
    assert.deepEqual(Array.from(label(noise, { connectivity: c }).data), Array.from(expected.data));
  }
});

test('label: diagonal pixels join only with 8-connectivity; raster numbering', () => {
  const img = fromData(Uint8Array.from([1, 0, 1, 0, 1, 0, 0, 0, 1]), 3, 3);
  assert.deepEqual(Array.from(label(img, { connectivity: 8 }).data), [1, 0, 1, 0, 1, 0, 0, 0, 1]);
  assert.deepEqual(Array.from(label(img, { connectivity: 4 }).data), [1, 0, 2, 0, 3, 0, 0, 0, 4]);
});

test('label: U shape merges two provisional labels into the first', () => {
  const img = fromData(Uint8Array.from([1, 0, 1, 1, 0, 1, 1, 1, 1]), 3, 3);
  assert.deepEqual(Array.from(label(img, { connectivity: 4 }).data), [1, 0, 1, 1, 0, 1, 1, 1, 1]);
});

test('label: empty, full, NaN and bad options', () => {
  assert.equal(Math.max(...label(fromData(new Float32Array(6), 3, 2)).data), 0);
  assert.deepEqual(Array.from(label(fromData(new Uint16Array(4).fill(7), 2, 2)).data), [1, 1, 1, 1]);
  const nan = fromData(Float32Array.from([Number.NaN, 1, Number.NaN, 0]), 2, 2);
  assert.deepEqual(Array.from(label(nan).data), [0, 1, 0, 0]);
  assert.throws(() => label(fromData(new Uint8Array(4), 2, 2), { connectivity: 6 as 4 }), /connectivity/);
  assert.throws(() => label(fromData(new Uint8Array(8), 2, 2, { channels: 2 })), /single-channel/);
});
