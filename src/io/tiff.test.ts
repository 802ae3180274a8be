// TIFF reader against files written by tifffile and by Pillow + libtiff (scripts/fixtures/io_make.py), compared
// bit-exactly with the arrays those tools were given (saved as .npy beside them).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { readImage, readImagePlanes } from './index.ts';
import { readNpy } from './npy.ts';

const FIXTURES = join('test', 'fixtures', 'io');

async function expectSame(file: string, npy: string, dtype: string, options = {}) {
  const image = await readImage(join(FIXTURES, file), options);
  const expected = await readNpy(join(FIXTURES, npy));
  const shape = expected.shape;
  assert.equal(image.dtype, dtype, `${file} dtype`);
  assert.equal(image.width, shape.at(-1), `${file} width`);
  assert.equal(image.height, shape.at(-2), `${file} height`);
  assert.equal(image.channels, shape.length === 3 ? shape[0] : 1, `${file} channels`);
  // bit-exact: same values in the same (C, Y, X) order; int16 widens to int32 without change
  assert.deepEqual(Array.from(image.data), Array.from(expected.data as ArrayLike<number>), file);
  return image;
}

const CASES: [string, string, string][] = [
  ['tiff_uint8.tif', 'tiff_uint8.npy', 'uint8'],
  ['tiff_uint16.tif', 'tiff_uint16.npy', 'uint16'],
  ['tiff_uint32.tif', 'tiff_uint32.npy', 'uint32'],
  ['tiff_int8.tif', 'tiff_int8.npy', 'int32'],
  ['tiff_int16.tif', 'tiff_int16.npy', 'int32'],
  ['tiff_int32.tif', 'tiff_int32.npy', 'int32'],
  ['tiff_float16.tif', 'tiff_float16.npy', 'float32'],
  ['tiff_float32.tif', 'tiff_float32.npy', 'float32'],
  ['tiff_bigendian_pred.tif', 'tiff_bigendian_pred.npy', 'uint16'],
  ['tiff_bigendian_f32.tif', 'tiff_bigendian_f32.npy', 'float32'],
  ['tiff_float64.tif', 'tiff_float64.npy', 'float64'],
  ['tiff_deflate.tif', 'tiff_deflate.npy', 'uint16'],
  ['tiff_deflate_pred.tif', 'tiff_deflate_pred.npy', 'uint16'],
  ['tiff_bigendian.tif', 'tiff_bigendian.npy', 'uint16'],
  ['tiff_bigtiff.tif', 'tiff_bigtiff.npy', 'uint16'],
  ['tiff_tiled.tif', 'tiff_tiled.npy', 'uint16'],
  ['tiff_tiled_deflate.tif', 'tiff_tiled_deflate.npy', 'uint16'],
  ['tiff_strips.tif', 'tiff_strips.npy', 'uint16'],
  ['tiff_lzw_u8.tif', 'tiff_lzw_u8.npy', 'uint8'],
  ['tiff_lzw_u16.tif', 'tiff_lzw_u16.npy', 'uint16'],
  ['tiff_lzw_pred_u16.tif', 'tiff_lzw_pred_u16.npy', 'uint16'],
  ['tiff_lzw_large.tif', 'tiff_lzw_large.npy', 'uint8'],
  ['tiff_packbits_u8.tif', 'tiff_packbits_u8.npy', 'uint8'],
  ['tiff_packbits_u16.tif', 'tiff_packbits_u16.npy', 'uint16'],
  ['tiff_lzw_f32_pred3.tif', 'tiff_lzw_f32_pred3.npy', 'float32'],
  ['tiff_deflate_f32_pred3.tif', 'tiff_deflate_f32_pred3.npy', 'float32'],
  ['tiff_1bit.tif', 'tiff_1bit.npy', 'uint8'],
  ['tiff_5samples.tif', 'tiff_5samples.npy', 'uint16'],
];

for (const [file, npy, dtype] of CASES) {
  test(`TIFF ${file} matches the array its writer was given`, async () => {
    await expectSame(file, npy, dtype);
  });
}

test('RGB TIFF: chunky, planar and tiled give the same channels; grey by the mean rule', async () => {
  for (const file of [
    'tiff_rgb.tif',
    'tiff_rgb_planar.tif',
    'tiff_rgb_tiled.tif',
    'tiff_rgb_tiled_planar.tif',
  ]) {
    await expectSame(file, 'tiff_rgb.npy', 'uint8', { color: 'all' });
    await expectSame(file, 'tiff_rgb_grey.npy', 'uint8');
  }
});

test('multi-page TIFF: page, pages and readImagePlanes', async () => {
  const path = join(FIXTURES, 'tiff_multipage.tif');
  const expected = (await readNpy(join(FIXTURES, 'tiff_multipage.npy'))).data as Uint16Array;
  const n = 37 * 53;
  const first = await readImage(path);
  assert.deepEqual(first.data, expected.subarray(0, n));
  const third = await readImage(path, { page: 2 });
  assert.deepEqual(third.data, expected.subarray(2 * n, 3 * n));
  const picked = await readImage(path, { pages: [3, 1] });
  assert.equal(picked.channels, 2);
  assert.deepEqual(picked.data.subarray(0, n), expected.subarray(3 * n, 4 * n));
  assert.deepEqual(picked.data.subarray(n), expected.subarray(n, 2 * n));
  const planes = await readImagePlanes(path);
  assert.equal(planes.length, 4);
  assert.deepEqual(planes[1]!.data, expected.subarray(n, 2 * n));
  await assert.rejects(
    readImage(path, { page: 4 }),
    /tiff_multipage\.tif: page 4 does not exist: the TIFF has 4 page/,
  );
});

test('pixel size from resolution tags (cm) and from an ImageJ header (micron)', async () => {
  const res = await readImage(join(FIXTURES, 'tiff_resolution.tif'));
  assert.equal(res.pixelSize?.unit, 'µm');
  // RATIONAL tags store 1e4/0.65 as a fraction: 1e-6 relative is the rounding of that fraction
  assert.ok(Math.abs(res.pixelSize!.x - 0.65) < 1e-6 && Math.abs(res.pixelSize!.y - 0.65) < 1e-6);
  const ij = await readImage(join(FIXTURES, 'tiff_imagej.tif'));
  assert.equal(ij.pixelSize?.unit, 'µm');
  assert.ok(Math.abs(ij.pixelSize!.x - 0.325) < 1e-6);
  const none = await readImage(join(FIXTURES, 'tiff_uint16.tif'));
  assert.equal(none.pixelSize, undefined);
});

test('ImageJ hyperstack (tifffile imagej=True, 3 channels): all channels by default, one by index', async () => {
  const path = join(FIXTURES, 'tiff_imagej.tif');
  const expected = (await readNpy(join(FIXTURES, 'tiff_multipage.npy'))).data as Uint16Array; // first 3 pages
  const n = 37 * 53;
  const all = await readImage(path);
  assert.equal(all.channels, 3);
  assert.deepEqual(all.data, expected.subarray(0, 3 * n));
  const second = await readImage(path, { channel: 1 });
  assert.deepEqual(second.data, expected.subarray(n, 2 * n));
  await assert.rejects(
    readImage(path, { channel: 3 }),
    /tiff_imagej\.tif: channel 3 is out of range: the ImageJ hyperstack has 3/,
  );
  await assert.rejects(readImage(path, { channel: 'DAPI' }), /ImageJ TIFFs have no channel names/);
});

test('region reads equal the same rectangle of the full array (strips, tiles, planar, 1-bit, PNG, OME)', async () => {
  const region = { x: 7, y: 5, width: 30, height: 21 }; // crosses strip and 16-pixel tile boundaries
  for (const [file, npy, options] of [
    ['tiff_strips.tif', 'tiff_strips.npy', {}],
    ['tiff_uint16.tif', 'tiff_uint16.npy', {}],
    ['tiff_tiled.tif', 'tiff_tiled.npy', {}],
    ['tiff_tiled_deflate.tif', 'tiff_tiled_deflate.npy', {}],
    ['tiff_bigendian_f32.tif', 'tiff_bigendian_f32.npy', {}],
    ['tiff_lzw_pred_u16.tif', 'tiff_lzw_pred_u16.npy', {}],
    ['tiff_1bit.tif', 'tiff_1bit.npy', {}],
    ['tiff_5samples.tif', 'tiff_5samples.npy', {}],
    ['tiff_rgb_tiled.tif', 'tiff_rgb.npy', { color: 'all' }],
    ['tiff_rgb_tiled_planar.tif', 'tiff_rgb.npy', { color: 'all' }],
    ['png_rgb16_adam7.png', 'png_rgb16_adam7.npy', { color: 'all' }],
    ['ome_zc.ome.tif', 'ome_zc.npy', {}],
  ] as const) {
    const image = await readImage(join(FIXTURES, file), { ...options, region });
    const full = await readNpy(join(FIXTURES, npy));
    const [w, h] = [full.shape.at(-1)!, full.shape.at(-2)!];
    const channels = image.channels;
    const expected: number[] = [];
    const data = full.data as ArrayLike<number>;
    for (let c = 0; c < channels; c++) {
      for (let y = region.y; y < region.y + region.height; y++) {
        for (let x = region.x; x < region.x + region.width; x++) expected.push(data[c * w * h + y * w + x]!);
      }
    }
    assert.deepEqual([image.width, image.height], [region.width, region.height], file);
    assert.deepEqual(Array.from(image.data), expected, file);
  }
  await assert.rejects(
    readImage(join(FIXTURES, 'tiff_tiled.tif'), { region: { x: 40, y: 0, width: 20, height: 5 } }),
    /tiff_tiled\.tif: region \(40, 0, 20 x 5\) is outside page 0 \(53 x 37\)/,
  );
});
