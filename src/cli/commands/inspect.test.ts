import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../testing.ts';

const FIXTURES = join('test', 'fixtures', 'io');

test('phenoscope inspect: OME-TIFF channels, pixel size and min/max (values from the tifffile fixture)', async () => {
  const { code, stdout } = await runCli('inspect', join(FIXTURES, 'ome_zc.ome.tif'));
  assert.equal(code, 0);
  assert.match(stdout, /format {6}OME-TIFF \(6 page\(s\), compression none, 16 bits\/sample\)/);
  assert.match(stdout, /size {8}53 x 37, 3 channel\(s\), z 2, t 1/);
  assert.match(stdout, /channels {4}DAPI, GFP, Actin/);
  assert.match(stdout, /pixel size {2}0\.65 x 0\.7 µm/);
  assert.match(stdout, /min \/ max {3}\d+ \/ \d+/);
});

test('phenoscope inspect --json: one object per file; OME-Zarr levels and labels', async () => {
  const { code, stdout } = await runCli(
    'inspect',
    '--json',
    join(FIXTURES, 'zarr', 'v04.zarr'),
    join(FIXTURES, 'png_grey16.png'),
  );
  assert.equal(code, 0);
  const [zarr, png] = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(zarr.format, 'OME-Zarr');
  assert.deepEqual(zarr.levels, [
    [2, 37, 53],
    [2, 19, 27],
  ]);
  assert.deepEqual(zarr.labels, ['nuclei']);
  assert.equal(png.dtype, 'uint16');
  assert.equal(png.bitDepth, 16);
});

test('phenoscope inspect: unreadable files are reported on stderr and the exit code is 1', async () => {
  const { code, stdout, stderr } = await runCli('inspect', 'missing.tif', join(FIXTURES, 'tiff_uint8.tif'));
  assert.equal(code, 1);
  assert.match(stderr, /missing\.tif: file not found/);
  assert.match(stderr, /1 of 2 file\(s\) could not be read/);
  assert.match(stdout, /tiff_uint8\.tif/);
});
