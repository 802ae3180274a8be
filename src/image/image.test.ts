import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  channelByName,
  channelOf,
  convert,
  createImage,
  crop,
  fromData,
  getPixel,
  maxValueOf,
  stackChannels,
  toFloat32,
} from './image.ts';

test('fromData wraps without copying and checks length', () => {
  const data = new Uint16Array([1, 2, 3, 4, 5, 6]);
  const img = fromData(data, 3, 2);
  assert.equal(img.dtype, 'uint16');
  assert.equal(img.data, data);
  assert.equal(getPixel(img, 2, 1), 6);
  assert.throws(() => fromData(data, 4, 2), /needs 8/);
});

test('channelOf is a view sharing memory', () => {
  const img = createImage('uint8', 2, 2, { channels: 2, channelNames: ['DNA', 'Actin'] });
  const actin = channelByName(img, 'Actin');
  actin.data[3] = 9;
  assert.equal(img.data[7], 9);
  assert.deepEqual(actin.channelNames, ['Actin']);
  assert.throws(() => channelOf(img, 2), /out of range/);
  assert.throws(() => channelByName(img, 'GFP'), /available: DNA, Actin/);
});

test('absurd dimensions are refused before allocating', () => {
  assert.throws(() => createImage('uint16', 1_000_000, 1_000_000), /exceeds the limit/);
  assert.throws(() => createImage('uint16', 0, 5), /positive integer/);
});

test('toFloat32 scales integers as CellProfiler does (value / (2^bits - 1))', () => {
  const img = fromData(new Uint16Array([0, 65535, 4095]), 3, 1, { bitDepth: 12 });
  assert.deepEqual([...toFloat32(img).data], [0, 1, Math.fround(4095 / 65535)]);
  assert.deepEqual([...toFloat32(img, { useBitDepth: true }).data], [0, Math.fround(65535 / 4095), 1]);
  assert.equal(maxValueOf({ dtype: 'uint8' }), 255);
});

test('convert clamps and rounds; crop copies a rectangle of every channel', () => {
  const f = fromData(new Float32Array([-3, 0.4, 0.6, 70000]), 2, 2);
  assert.deepEqual([...convert(f, 'uint16').data], [0, 0, 1, 65535]);
  const img = stackChannels([
    fromData(new Uint8Array([1, 2, 3, 4]), 2, 2),
    fromData(new Uint8Array([5, 6, 7, 8]), 2, 2),
  ]);
  const c = crop(img, 1, 0, 1, 2);
  assert.deepEqual([...c.data], [2, 4, 6, 8]);
  assert.throws(() => crop(img, 1, 1, 2, 2), /outside/);
});
