// OME-Zarr reader against stores written by hand with numpy (scripts/fixtures/io_zarr.py; zarr-python is not
// installed): bit-exact pixels, metadata, levels, regions, labels and HCS plates; writer round trips.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { readImage, writeImage } from './index.ts';
import { readNpy } from './npy.ts';
import { inspectOmeZarr, readOmeZarr, readOmeZarrPlate } from './ome_zarr.ts';
import { downsample2, writeOmeZarr } from './ome_zarr_write.ts';

const Z = join('test', 'fixtures', 'io', 'zarr');
const tmp = mkdtempSync(join(tmpdir(), 'phenoscope-zarr-'));

async function npy(name: string) {
  return readNpy(join(Z, name));
}

test('v0.4 (Zarr v2, zlib and raw chunks, / and . separators): levels, channels, names, pixel size', async () => {
  const level0 = (await npy('v04_0.npy')).data as Uint16Array;
  const image = await readImage(join(Z, 'v04.zarr'));
  assert.equal(image.dtype, 'uint16');
  assert.deepEqual([image.channels, image.height, image.width], [2, 37, 53]);
  assert.deepEqual(image.channelNames, ['DAPI', 'GFP']);
  assert.deepEqual(image.pixelSize, { x: 0.5, y: 0.5, unit: 'µm' });
  assert.deepEqual(image.data, level0);
  const level1 = await readOmeZarr(join(Z, 'v04.zarr'), { level: 1 });
  assert.deepEqual(level1.data, (await npy('v04_1.npy')).data);
  assert.deepEqual(level1.pixelSize, { x: 1, y: 1, unit: 'µm' });
  const gfp = await readOmeZarr(join(Z, 'v04.zarr'), {
    channel: 'GFP',
    region: { x: 10, y: 20, width: 30, height: 9 },
  });
  const expected = new Uint16Array(30 * 9);
  for (let r = 0; r < 9; r++)
    for (let q = 0; q < 30; q++) expected[r * 30 + q] = level0[37 * 53 + (20 + r) * 53 + 10 + q]!;
  assert.deepEqual(gfp.data, expected);
  assert.deepEqual(gfp.channelNames, ['GFP']);
});

test('v0.4 label image under labels/ reads as uint32 with its values', async () => {
  const labels = await readImage(join(Z, 'v04.zarr'), { label: 'nuclei' });
  assert.equal(labels.dtype, 'uint32');
  assert.deepEqual(labels.data, (await npy('v04_labels.npy')).data);
  const info = await inspectOmeZarr(join(Z, 'v04.zarr'));
  assert.deepEqual(info.labels, ['nuclei']);
  assert.deepEqual(info.levels, [
    [2, 37, 53],
    [2, 19, 27],
  ]);
});

test('v0.5 (Zarr v3, gzip): t, c, z, y, x float32 with a region and plane selection', async () => {
  const all = (await npy('v05_0.npy')).data as Float32Array; // (2, 2, 3, 20, 24)
  const image = await readImage(join(Z, 'v05.zarr'), {
    t: 1,
    z: 2,
    region: { x: 3, y: 4, width: 10, height: 7 },
  });
  assert.equal(image.dtype, 'float32');
  assert.deepEqual([image.channels, image.height, image.width], [2, 7, 10]);
  assert.deepEqual(image.channelNames, ['a', 'b']);
  assert.deepEqual(image.pixelSize, { x: 0.25, y: 0.25, unit: 'µm' });
  const idx = (t: number, c: number, z: number, y: number, x: number) =>
    (((t * 2 + c) * 3 + z) * 20 + y) * 24 + x;
  const expected = new Float32Array(2 * 7 * 10);
  for (let c = 0; c < 2; c++)
    for (let r = 0; r < 7; r++)
      for (let q = 0; q < 10; q++) expected[(c * 7 + r) * 10 + q] = all[idx(1, c, 2, 4 + r, 3 + q)]!;
  assert.deepEqual(image.data, expected);
});

test('HCS plate: rows, columns, wells and fields; a field reads as an image', async () => {
  const plate = await readOmeZarrPlate(join(Z, 'plate.zarr'));
  assert.equal(plate.name, 'test plate');
  assert.deepEqual(
    plate.wells.map((w) => [w.path, w.row, w.column, w.fields]),
    [
      ['A/1', 'A', '1', ['A/1/0', 'A/1/1']],
      ['B/3', 'B', '3', ['B/3/0', 'B/3/1']],
    ],
  );
  const field = await readImage(join(Z, 'plate.zarr', 'B/3/1'));
  assert.deepEqual(field.data, (await npy('plate_B3_1.npy')).data);
  await assert.rejects(
    readImage(join(Z, 'plate.zarr')),
    /plate\.zarr: is an OME-Zarr HCS plate, not an image/,
  );
});

test('bad OME-Zarr input: errors name the store and the problem', async () => {
  await assert.rejects(
    readOmeZarr(join(Z, 'v04.zarr'), { level: 2 }),
    /v04\.zarr: level 2 does not exist: the image has 2 level/,
  );
  await assert.rejects(
    readOmeZarr(join(Z, 'v04.zarr'), { region: { x: 50, y: 0, width: 10, height: 10 } }),
    /v04\.zarr: region \(50, 0, 10 x 10\) is outside level 0 \(53 x 37\)/,
  );
  await assert.rejects(
    readOmeZarr(join(Z, 'v04.zarr'), { channel: 'RFP' }),
    /no channel named 'RFP'; channels: DAPI, GFP/,
  );
  await assert.rejects(readOmeZarr(join(Z, 'v04.zarr'), { label: 'cells' }), /v04\.zarr: .*no Zarr group/);
  const bad = join(tmp, 'bad.zarr');
  mkdirSync(bad);
  writeFileSync(join(bad, '.zgroup'), '{"zarr_format": 2}');
  writeFileSync(
    join(bad, '.zattrs'),
    JSON.stringify({ multiscales: [{ version: '0.4', axes: 'cyx', datasets: [] }] }),
  );
  await assert.rejects(
    readImage(bad),
    /bad\.zarr: invalid OME-NGFF 0\.4 image metadata at multiscales\.0\.axes/,
  );
});

test('pyramid downsampling matches the numpy 2x2 block mean (partial edge blocks, round half up)', async () => {
  const src = await npy('down_in.npy');
  const image = fromData(src.data as Uint16Array, 9, 7, { channels: 2 });
  assert.deepEqual(downsample2(image, false).data, (await npy('down_out.npy')).data);
});

for (const version of ['0.4', '0.5'] as const) {
  test(`OME-Zarr ${version} writer round trip: levels, channel names, pixel size, labels`, async () => {
    const width = 70;
    const height = 45;
    const data = new Uint16Array(width * height * 3).map((_, i) => (i * 2654435761) % 65_536);
    const image = fromData(data, width, height, {
      channels: 3,
      channelNames: ['DNA', 'ER', 'Mito'],
      pixelSize: { x: 0.65, y: 0.65, unit: 'µm' },
    });
    const labels = fromData(
      new Uint32Array(width * height).map((_, i) => (i % 97 === 0 ? 100_000 + i : i % 5)),
      width,
      height,
    );
    const path = join(tmp, `out-${version}.ome.zarr`);
    await writeOmeZarr(path, image, { version, levels: 3, chunkSize: 32, labels: { nuclei: labels } });
    const back = await readImage(path);
    assert.deepEqual(back.data, data);
    assert.deepEqual(back.channelNames, ['DNA', 'ER', 'Mito']);
    assert.deepEqual(back.pixelSize, { x: 0.65, y: 0.65, unit: 'µm' });
    const info = await inspectOmeZarr(path);
    assert.equal(info.version, version);
    assert.deepEqual(info.levels, [
      [3, 45, 70],
      [3, 23, 35],
      [3, 12, 18],
    ]);
    const level1 = await readImage(path, { level: 1 });
    assert.deepEqual(level1.data, downsample2(image, false).data);
    const labelBack = await readImage(path, { label: 'nuclei' });
    assert.equal(labelBack.dtype, 'uint32');
    assert.deepEqual(labelBack.data, labels.data);
    await assert.rejects(writeOmeZarr(path, image), /directory exists and is not empty/);
  });
}

test('writeImage to a .zarr path writes OME-Zarr 0.4', async () => {
  const image = fromData(new Uint8Array([1, 2, 3, 4, 5, 6]), 3, 2);
  const path = join(tmp, 'simple.zarr');
  await writeImage(path, image);
  assert.deepEqual((await readImage(path)).data, image.data);
});
