// OME-TIFF against files written by tifffile with OME-XML metadata (scripts/fixtures/io_make.py).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { readImage, readImagePlanes } from './index.ts';
import { readNpy } from './npy.ts';
import { parseOmeXml, planeKey } from './ome_xml.ts';

const FIXTURES = join('test', 'fixtures', 'io');
const PATH = join(FIXTURES, 'ome_zc.ome.tif');
const N = 37 * 53;

test('OME-TIFF: all channels of z = 0 with names and pixel size', async () => {
  const expected = (await readNpy(join(FIXTURES, 'ome_zc.npy'))).data as Uint16Array; // Z C Y X
  const image = await readImage(PATH);
  assert.equal(image.channels, 3);
  assert.deepEqual(image.channelNames, ['DAPI', 'GFP', 'Actin']);
  assert.deepEqual(image.pixelSize, { x: 0.65, y: 0.7, unit: 'µm' });
  assert.deepEqual(image.data, expected.subarray(0, 3 * N));
});

test('OME-TIFF: one channel by name or index at another z', async () => {
  const expected = (await readNpy(join(FIXTURES, 'ome_zc.npy'))).data as Uint16Array;
  const gfp = await readImage(PATH, { channel: 'GFP', z: 1 });
  assert.equal(gfp.channels, 1);
  assert.deepEqual(gfp.channelNames, ['GFP']);
  assert.deepEqual(gfp.data, expected.subarray((3 + 1) * N, (3 + 2) * N));
  const actin = await readImage(PATH, { channel: 2, z: 1 });
  assert.deepEqual(actin.data, expected.subarray(5 * N, 6 * N));
  // raw pages stay available and follow the file's IFD order
  const planes = await readImagePlanes(PATH);
  assert.equal(planes.length, 6);
});

test('OME-TIFF: errors name the file and the bad value', async () => {
  await assert.rejects(
    readImage(PATH, { z: 2 }),
    /ome_zc\.ome\.tif: z 2 is out of range: the OME image has 2/,
  );
  await assert.rejects(
    readImage(PATH, { channel: 'Tubulin' }),
    /no channel named 'Tubulin'; channels: DAPI, GFP, Actin/,
  );
});

test('OME-XML units other than µm convert to µm', async () => {
  const image = await readImage(join(FIXTURES, 'ome_nm.ome.tif'));
  assert.deepEqual(image.pixelSize, { x: 0.25, y: 0.25, unit: 'µm' });
});

test('OME-XML: TiffData IFD/FirstC/PlaneCount mapping and schema errors', () => {
  const xml = `<OME><Image ID="Image:0"><Pixels DimensionOrder="XYCZT" Type="uint8" SizeX="4" SizeY="3" SizeZ="2"
    SizeC="2" SizeT="1"><Channel Name="a"/><Channel Name="b"/>
    <TiffData IFD="5" FirstC="0" FirstZ="1" PlaneCount="2"/><TiffData IFD="9" FirstC="1" FirstZ="0"/></Pixels></Image></OME>`;
  const ome = parseOmeXml(xml, 'x.ome.tif');
  const planes = ome.images[0]!.planes;
  assert.equal(planes.get(planeKey(0, 1, 0)), 5);
  assert.equal(planes.get(planeKey(1, 1, 0)), 6);
  assert.equal(planes.get(planeKey(1, 0, 0)), 9);
  assert.equal(planes.get(planeKey(0, 0, 0)), undefined);
  assert.throws(
    () => parseOmeXml(xml.replace('SizeX="4"', 'SizeX="-4"'), 'x.ome.tif'),
    /x\.ome\.tif: invalid OME-XML at OME\.Image\.0\.Pixels\.SizeX: .*\(got "-4"\)/,
  );
  assert.throws(
    () => parseOmeXml('<OME><Image>', 'y.ome.tif'),
    /y\.ome\.tif: (OME-XML is not well-formed|invalid OME-XML)/,
  );
});
