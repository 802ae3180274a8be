// PNG reader against files written by Pillow (and one 2-bit file built with zlib by scripts/fixtures/io_make.py).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { readImage } from './index.ts';
import { readNpy } from './npy.ts';
import { decodePngImage, encodePngImage } from './png.ts';

const FIXTURES = join('test', 'fixtures', 'io');

async function expectSame(file: string, npy: string, dtype: string, options = {}) {
  const image = await readImage(join(FIXTURES, file), options);
  const expected = await readNpy(join(FIXTURES, npy));
  assert.equal(image.dtype, dtype, `${file} dtype`);
  assert.equal(image.width, expected.shape.at(-1));
  assert.equal(image.height, expected.shape.at(-2));
  assert.equal(image.channels, expected.shape.length === 3 ? expected.shape[0] : 1);
  assert.deepEqual(Array.from(image.data), Array.from(expected.data as ArrayLike<number>), file);
  return image;
}

test('8-bit, 16-bit, 2-bit and 1-bit grey PNG', async () => {
  await expectSame('png_grey8.png', 'png_grey8.npy', 'uint8');
  await expectSame('png_grey16.png', 'png_grey16.npy', 'uint16');
  await expectSame('png_grey2.png', 'png_grey2.npy', 'uint8');
  await expectSame('png_1bit.png', 'png_1bit.npy', 'uint8');
});

test('RGB and RGBA PNG: all channels, or grey as the rounded mean of R, G, B', async () => {
  const rgb = await expectSame('png_rgb.png', 'png_rgb.npy', 'uint8', { color: 'all' });
  // 2540 dots per inch = 100,000 per metre = 10 µm pixels (pHYs stores an integer count per metre)
  assert.deepEqual(rgb.pixelSize, { x: 10, y: 10, unit: 'µm' });
  await expectSame('png_rgb.png', 'png_rgb_grey.npy', 'uint8');
  await expectSame('png_rgba.png', 'png_rgba.npy', 'uint8', { color: 'all' });
  await expectSame('png_rgba.png', 'png_rgba_grey.npy', 'uint8');
});

test('DSB-style grey stored as RGBA (R = G = B) reads back as the exact grey values', async () => {
  await expectSame('png_dsb_rgba.png', 'png_grey8.npy', 'uint8');
});

test('palette PNG expands to the palette colours', async () => {
  await expectSame('png_palette.png', 'png_palette.npy', 'uint8', { color: 'all' });
});

test('16-bit RGB, Adam7-interlaced PNG', async () => {
  await expectSame('png_rgb16_adam7.png', 'png_rgb16_adam7.npy', 'uint16', { color: 'all' });
});

test('a pixel size in µm is written as pHYs and reads back (to pHYs integer rounding)', () => {
  const image = fromData(new Uint8Array([1, 2, 3, 4]), 2, 2, { pixelSize: { x: 0.65, y: 1.3, unit: 'µm' } });
  const back = decodePngImage(encodePngImage(image, 'p.png'), 'p.png').image.pixelSize!;
  // 1e6 / 0.65 = 1,538,461.5 pixels per metre is stored as 1,538,462: 0.65 µm comes back within 1e-6 relative
  assert.equal(back.unit, 'µm');
  assert.ok(
    Math.abs(back.x - 0.65) / 0.65 < 1e-6 && Math.abs(back.y - 1.3) / 1.3 < 1e-6,
    JSON.stringify(back),
  );
  const none = decodePngImage(encodePngImage(fromData(new Uint8Array(4), 2, 2), 'q.png'), 'q.png').image;
  assert.equal(none.pixelSize, undefined);
});
