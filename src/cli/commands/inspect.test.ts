import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../main.ts';

const FIXTURES = join('test', 'fixtures', 'io');

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const log = console.log;
  const err = process.stderr.write.bind(process.stderr);
  let stdout = '';
  let stderr = '';
  // capture console.log, not process.stdout: the test runner reports on stdout
  console.log = (...parts: unknown[]) => {
    stdout += `${parts.join(' ')}\n`;
  };
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'phenoscope', ...args]);
    return { code, stdout, stderr };
  } finally {
    console.log = log;
    process.stderr.write = err;
  }
}

test('phenoscope inspect: OME-TIFF channels, pixel size and min/max (values from the tifffile fixture)', async () => {
  const { code, stdout } = await run('inspect', join(FIXTURES, 'ome_zc.ome.tif'));
  assert.equal(code, 0);
  assert.match(stdout, /format {6}OME-TIFF \(6 page\(s\), compression none, 16 bits\/sample\)/);
  assert.match(stdout, /size {8}53 x 37, 3 channel\(s\), z 2, t 1/);
  assert.match(stdout, /channels {4}DAPI, GFP, Actin/);
  assert.match(stdout, /pixel size {2}0\.65 x 0\.7 µm/);
  assert.match(stdout, /min \/ max {3}\d+ \/ \d+/);
});

test('phenoscope inspect --json: one object per file; OME-Zarr levels and labels', async () => {
  const { code, stdout } = await run(
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
  const { code, stdout, stderr } = await run('inspect', 'missing.tif', join(FIXTURES, 'tiff_uint8.tif'));
  assert.equal(code, 1);
  assert.match(stderr, /missing\.tif: file not found/);
  assert.match(stderr, /1 of 2 file\(s\) could not be read/);
  assert.match(stdout, /tiff_uint8\.tif/);
});
