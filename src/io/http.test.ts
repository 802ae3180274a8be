// Reading over http(s): OME-Zarr through zarrita's FetchStore and whole TIFF/PNG files through fetch, from a
// local static file server over the fixtures (no network needed).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import { readImage } from './index.ts';
import { readNpy } from './npy.ts';
import { readOmeZarrPlate } from './ome_zarr.ts';

const ROOT = join('test', 'fixtures', 'io');
let base = '';
const server = createServer(async (request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
  try {
    const body = await readFile(join(ROOT, path));
    response.writeHead(200, { 'content-length': body.length }).end(body);
  } catch {
    response.writeHead(404).end();
  }
});

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

test('OME-Zarr image, region and labels over HTTP', async () => {
  const level0 = (await readNpy(join(ROOT, 'zarr', 'v04_0.npy'))).data as Uint16Array;
  const image = await readImage(`${base}/zarr/v04.zarr`);
  assert.deepEqual(image.channelNames, ['DAPI', 'GFP']);
  assert.deepEqual(image.data, level0);
  const five = await readImage(`${base}/zarr/v05.zarr/`, { t: 1, z: 2, channel: 'b' });
  assert.equal(five.dtype, 'float32');
  const labels = await readImage(`${base}/zarr/v04.zarr`, { label: 'nuclei' });
  assert.deepEqual(labels.data, (await readNpy(join(ROOT, 'zarr', 'v04_labels.npy'))).data);
  const plate = await readOmeZarrPlate(`${base}/zarr/plate.zarr`);
  assert.equal(plate.wells.length, 2);
});

test('TIFF and PNG files over HTTP; a missing URL is a clear error', async () => {
  const tiff = await readImage(`${base}/tiff_deflate.tif`);
  assert.deepEqual(tiff.data, (await readNpy(join(ROOT, 'tiff_deflate.npy'))).data);
  const png = await readImage(`${base}/png_grey16.png`);
  assert.deepEqual(png.data, (await readNpy(join(ROOT, 'png_grey16.npy'))).data);
  await assert.rejects(readImage(`${base}/nope.tif`), /127\.0\.0\.1:\d+\/nope\.tif: HTTP 404/);
});
