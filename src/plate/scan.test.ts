import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { channelsOf, groupFields } from './fields.ts';
import { parseImageFileName } from './layout.ts';
import { scanPlate } from './scan.ts';

async function folder(names: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'scan-'));
  for (const n of names) {
    await mkdir(join(dir, n, '..'), { recursive: true });
    await writeFile(join(dir, n), '');
  }
  return dir;
}

test('scan detects the layout, groups fields, lists unmatched and thumbnails', async () => {
  const dir = await folder([
    'P1_A01_s1_w1.tif',
    'P1_A01_s1_w2.tif',
    'P1_A01_s2_w1.tif',
    'P1_A01_s2_w2.tif',
    'P1_B03_s1_w1.tif',
    'P1_B03_s1_w1_thumb1234ABCD-0000-0000-0000-000000000000.tif',
    'sub/P1_C05_s1_w1.tif',
    'random.tif',
    'platemap.csv',
  ]);
  const scan = await scanPlate(dir);
  assert.equal(scan.layout.name, 'imagexpress');
  assert.equal(scan.files.length, 6);
  assert.deepEqual(scan.unmatched, ['random.tif']);
  assert.equal(scan.thumbnails.length, 1);
  assert.deepEqual(
    scan.fields.map((f) => [f.well, f.site, Object.keys(f.channels).join('+')]),
    [
      ['A01', 1, 'w1+w2'],
      ['A01', 2, 'w1+w2'],
      ['B03', 1, 'w1'],
      ['C05', 1, 'w1'],
    ],
  );
  assert.deepEqual(channelsOf(scan.fields), ['w1', 'w2']);
});

test('auto scan falls back to other layouts for files the main one misses; folders keep fields apart', async () => {
  const dir = await folder([
    'a/AS_1_A01f00d0.tif',
    'a/AS_1_A01f00d1.tif',
    'b/AS_1_A01f00d0.tif',
    'X_B02_w2247376DD-6ADD-442D-AE47-F54A05F3EA94.tif',
    '--W00001--P00001--Z00000--T00000--cherry.tif',
    '0_1_N_G.png',
  ]);
  const scan = await scanPlate(dir);
  assert.equal(scan.layout.name, 'cellomics');
  assert.deepEqual(scan.layoutCounts, { cellomics: 3, imagexpress: 1, scanr: 1 });
  assert.deepEqual(scan.unmatched, ['0_1_N_G.png']);
  assert.deepEqual(
    scan.fields.map((f) => [f.folder, f.well, Object.keys(f.channels).join('+')]),
    [
      ['.', 'A01', 'cherry'],
      ['a', 'A01', 'd0+d1'],
      ['b', 'A01', 'd0'],
      ['.', 'B02', 'w2'],
    ],
  );
});

test('scan with an explicit pattern and a missing folder', async () => {
  const dir = await folder(['AS_1_A01f00d0.tif', 'AS_1_A01f00d1.tif']);
  const scan = await scanPlate(dir, { pattern: 'imagexpress' });
  assert.equal(scan.files.length, 0);
  assert.equal(scan.unmatched.length, 2);
  await assert.rejects(scanPlate(join(dir, 'nope')), /cannot list plate folder/);
  const empty = await folder(['readme.md']);
  await assert.rejects(scanPlate(empty), /no image files/);
});

test('two files for the same channel of a field is an error naming both', () => {
  const a = parseImageFileName('x/P_A01_s1_w1.tif');
  const b = parseImageFileName('x/P_A01_s1_w1.png');
  assert.throws(
    () => groupFields([a, b]),
    /'P_A01_s1_w1\.tif' and 'P_A01_s1_w1\.png' are both channel 'w1' of plate P well A01 site 1/,
  );
});
