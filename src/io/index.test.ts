import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fromData, type Image } from '../image/image.ts';
import { readImage, readImagePlanes, writeImage } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'phenoscope-io-'));

function ramp<A extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array>(
  data: A,
  width: number,
  height: number,
  channels = 1,
): Image {
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 65_521;
  return fromData(data, width, height, { channels });
}

for (const [label, make] of [
  ['uint8', () => ramp(new Uint8Array(37 * 23), 37, 23)],
  ['uint16', () => ramp(new Uint16Array(37 * 23 * 2), 37, 23, 2)],
  ['uint32', () => ramp(new Uint32Array(37 * 23), 37, 23)],
  ['int32', () => ramp(new Int32Array(37 * 23), 37, 23)],
  ['float32', () => ramp(new Float32Array(37 * 23), 37, 23)],
  ['float64', () => ramp(new Float64Array(37 * 23), 37, 23)],
] as const) {
  for (const compression of ['none', 'deflate'] as const) {
    test(`TIFF round trip ${label} ${compression}`, async () => {
      const image = make();
      const path = join(dir, `rt-${label}-${compression}.tif`);
      await writeImage(path, image, { compression });
      const planes = await readImagePlanes(path);
      assert.equal(planes.length, image.channels);
      const back = await readImage(path, { pages: planes.map((_, i) => i) });
      assert.equal(back.dtype, image.dtype);
      // a multi-channel TIFF is written with OME-XML, so the default read gives every channel back
      assert.deepEqual((await readImage(path)).data, image.data);
      assert.equal(back.channels, image.channels);
      assert.deepEqual(back.data, image.data);
    });
  }
}

test('PNG round trip uint16 and uint8, grey and RGB', async () => {
  for (const image of [
    ramp(new Uint16Array(31 * 17), 31, 17),
    ramp(new Uint8Array(31 * 17), 31, 17),
    ramp(new Uint8Array(31 * 17 * 3), 31, 17, 3),
  ]) {
    const path = join(dir, `rt-${image.dtype}-${image.channels}.png`);
    await writeImage(path, image);
    const back = await readImage(path, { color: 'all' });
    assert.equal(back.dtype, image.dtype);
    assert.deepEqual(back.data, image.data);
  }
});

test('label images: uint32 by default, uint16 when compact and small', async () => {
  const labels = fromData(new Uint32Array([0, 1, 2, 70_000, 0, 3]), 3, 2);
  const path = join(dir, 'labels.tif');
  await writeImage(path, labels, { labels: true });
  const back = await readImage(path);
  assert.equal(back.dtype, 'uint32');
  assert.deepEqual(Array.from(back.data), [0, 1, 2, 70_000, 0, 3]);
  const small = fromData(new Uint32Array([0, 1, 2, 65_535, 0, 3]), 3, 2);
  await writeImage(path, small, { labels: 'compact' });
  const back16 = await readImage(path);
  assert.equal(back16.dtype, 'uint16');
  assert.deepEqual(Array.from(back16.data), [0, 1, 2, 65_535, 0, 3]);
  await assert.rejects(
    writeImage(path, fromData(new Float32Array([0, 1.5]), 2, 1), { labels: true }),
    /labels\.tif: label image must hold non-negative integers/,
  );
});

test('OME-TIFF round trip: .ome.tif keeps channel names and pixel size', async () => {
  const data = new Uint16Array(21 * 13 * 3).map((_, i) => (i * 40_503) % 65_536);
  const image = fromData(data, 21, 13, {
    channels: 3,
    channelNames: ['DNA & "dye"', 'ER', 'Mito'],
    pixelSize: { x: 0.325, y: 0.325, unit: 'µm' },
  });
  const path = join(dir, 'three.ome.tif');
  await writeImage(path, image, { compression: 'deflate' });
  const back = await readImage(path);
  assert.deepEqual(back.channelNames, ['DNA & "dye"', 'ER', 'Mito']);
  assert.deepEqual(back.pixelSize, { x: 0.325, y: 0.325, unit: 'µm' });
  assert.deepEqual(back.data, data);
  const mito = await readImage(path, { channel: 'Mito' });
  assert.deepEqual(mito.data, data.subarray(2 * 21 * 13));
});

test('pixel size survives a plain TIFF (ImageJ header) and a float64 TIFF (resolution tags in cm)', async () => {
  const pixelSize = { x: 0.65, y: 0.65, unit: 'µm' };
  const path = join(dir, 'ps.tif');
  await writeImage(path, fromData(new Uint16Array(6), 3, 2, { pixelSize }));
  const back = await readImage(path);
  assert.equal(back.pixelSize?.unit, 'µm');
  // RATIONAL tags hold 1/0.65 as an integer fraction (denominator 10^6): 1e-6 relative
  assert.ok(Math.abs(back.pixelSize!.x - 0.65) < 1e-6, String(back.pixelSize?.x));
  await writeImage(path, fromData(new Float64Array(6), 3, 2, { pixelSize }));
  const back64 = await readImage(path);
  assert.ok(Math.abs(back64.pixelSize!.x - 0.65) < 1e-6, String(back64.pixelSize?.x));
});
