// Every image file in ../shared/data loads with sensible size and type (TIFF: all 199 files, every page; PNG:
// the non-DSB images and a deterministic sample of 300 of the ~23,700 DSB nucleus masks; the DSB images
// themselves are in real_data_dsb.test.ts). Skips when the shared data is absent.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { minMax } from '../image/image.ts';
import { SHARED_DATA, sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { readImage, readImagePlanes } from './index.ts';
import { manifest } from './real_data_manifest.ts';

function findFiles(dir: string, pattern: RegExp, skipDir = /^$/, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipDir.test(entry.name)) findFiles(path, pattern, skipDir, out);
    } else if (pattern.test(entry.name)) out.push(path);
  }
  return out.sort();
}

const skip = skipUnlessShared('');

test('every TIFF in the shared data loads, every page', { skip }, async () => {
  const files = findFiles(SHARED_DATA, /\.tiff?$/i);
  assert.ok(files.length >= 199, `expected at least 199 TIFF files, found ${files.length}`);
  for (const file of files) {
    const planes = await readImagePlanes(file, { color: 'all' });
    for (const image of planes) {
      const name = relative(SHARED_DATA, file);
      assert.ok(image.width >= 100 && image.width <= 4096, `${name}: width ${image.width}`);
      assert.ok(image.height >= 100 && image.height <= 4096, `${name}: height ${image.height}`);
      assert.ok(image.dtype === 'uint8' || image.dtype === 'uint16', `${name}: dtype ${image.dtype}`);
      assert.ok(image.channels === 1 || image.channels === 3, `${name}: ${image.channels} channels`);
      const { min, max } = minMax(image);
      assert.ok(max > min, `${name}: constant image (${min})`);
    }
  }
});

test('a sample of 300 DSB nucleus masks: binary uint8 the size of their image', { skip }, async () => {
  const masks: string[] = [];
  for (const set of ['dsb2018_nuclei_dev', 'dsb2018_nuclei_train']) {
    const root = sharedPath(join(set, 'stage1_train'));
    if (root) masks.push(...findFiles(root, /\.png$/i).filter((f) => f.includes('/masks/')));
  }
  assert.ok(masks.length > 20_000, `found only ${masks.length} masks`);
  const step = Math.floor(masks.length / 300);
  const manifests = new Map(
    ['dsb2018_nuclei_dev', 'dsb2018_nuclei_train'].map((set) => [set, manifest(set)]),
  );
  for (let i = 0; i < 300; i++) {
    const file = masks[i * step]!;
    const mask = await readImage(file);
    const set = file.includes('dsb2018_nuclei_dev') ? 'dsb2018_nuclei_dev' : 'dsb2018_nuclei_train';
    const row = manifests.get(set)!.get(file.split('/').at(-3)!)!;
    assert.deepEqual(
      [mask.width, mask.height, mask.dtype],
      [Number(row.width), Number(row.height), 'uint8'],
      file,
    );
    let on = 0;
    let other = 0;
    for (let k = 0; k < mask.data.length; k++) {
      const v = mask.data[k]!;
      if (v === 255) on++;
      else if (v !== 0) other++;
    }
    assert.equal(other, 0, `${file}: ${other} pixels neither 0 nor 255`);
    assert.ok(on > 0, `${file}: empty mask`);
  }
});

test('the other PNGs in the shared data load (CellProfiler examples, bioimage.io model images)', {
  skip,
}, async () => {
  const files = findFiles(SHARED_DATA, /\.png$/i, /^dsb2018_/);
  assert.ok(files.length >= 7, `found ${files.length}`);
  for (const file of files) {
    const image = await readImage(file);
    assert.ok(image.width >= 64 && image.height >= 64, `${file}: ${image.width} x ${image.height}`);
    assert.equal(image.channels, 1);
  }
});
