// PNG encoder against an independent decoder: sharp (libvips with libspng), not this package's png_decode.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { encodePng } from './png_encode.ts';

function samples(n: number, max: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, (_, i) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return i % 7 === 0 ? max : s % (max + 1); // random, with runs of the maximum (saturation) mixed in
  });
}

for (const [channels, depth] of [
  [1, 8],
  [1, 16],
  [2, 8],
  [3, 8],
  [3, 16],
  [4, 8],
] as const) {
  test(`${channels}-channel ${depth}-bit PNG decodes (sharp/libspng) to the exact samples`, async () => {
    const [w, h] = [37, 23]; // odd sizes: no row is a multiple of anything
    const values = samples(w * h * channels, depth === 16 ? 65535 : 255, 7 * channels + depth);
    const data = depth === 16 ? Uint16Array.from(values) : Uint8Array.from(values);
    const png = encodePng(data, w, h, channels);
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.width, meta.height, meta.channels, meta.bitsPerSample], [w, h, channels, depth]);
    // keep the file's own interpretation (b-w, grey16, srgb, rgb16): sharp otherwise converts to 8-bit sRGB;
    // grey + alpha is read as sRGB + alpha (b-w would drop the alpha), so its R and A are compared
    let pipeline = sharp(png);
    if (channels !== 2) pipeline = pipeline.toColourspace(meta.space);
    const decoded = await pipeline.raw({ depth: depth === 16 ? 'ushort' : 'uchar' }).toBuffer();
    const all = Array.from(
      depth === 16 ? new Uint16Array(decoded.buffer, decoded.byteOffset, decoded.length / 2) : decoded,
    );
    const back = channels === 2 ? all.filter((_, i) => i % 4 === 0 || i % 4 === 3) : all;
    assert.deepEqual(back, values);
  });
}

test('pHYs: 100,000 pixels per metre reads as 2540 dots per inch', async () => {
  const png = encodePng(new Uint8Array(4), 2, 2, 1, { pixelsPerMetre: { x: 100_000, y: 100_000 } });
  assert.equal((await sharp(png).metadata()).density, 2540);
});

test('bad arguments are refused with the reason', () => {
  assert.throws(() => encodePng(new Uint8Array(5), 2, 2, 1), /expected 2x2x1 samples, got 5/);
  assert.throws(() => encodePng(new Uint8Array(0), 0, 2, 1), /positive integers, got 0x2/);
  assert.throws(() => encodePng(new Uint8Array(20), 2, 2, 5), /1 to 4 channels, got 5/);
});
