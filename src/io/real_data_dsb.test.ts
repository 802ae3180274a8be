// Every DSB 2018 image (dev and train sets in ../shared/data) loads as one uint8 grey channel with the size,
// nucleus (mask file) count and mean intensity of its manifest.csv. Skips when the data is absent.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { colourToGrey } from './colour.ts';
import { readImage } from './index.ts';
import { manifest } from './real_data_manifest.ts';

for (const set of ['dsb2018_nuclei_dev', 'dsb2018_nuclei_train']) {
  test(`${set}: every image matches its manifest (size, nucleus count, mean)`, {
    skip: skipUnlessShared(set),
  }, async () => {
    const rows = manifest(set);
    const root = join(sharedPath(set)!, 'stage1_train');
    const ids = readdirSync(root).sort();
    assert.equal(ids.length, rows.size);
    for (const id of ids) {
      const row = rows.get(id);
      assert.ok(row, `${id} is not in ${set}/manifest.csv`);
      // read once with every channel (decoding dominates the time); the grey rule is applied to the same pixels
      const rgba = await readImage(join(root, id, 'images', `${id}.png`), { color: 'all' });
      const image = colourToGrey(rgba, rgba.channels >= 3 ? 3 : 1);
      assert.equal(image.channels, 1);
      assert.equal(image.dtype, 'uint8');
      assert.equal(row.png_mode, { 1: 'L', 2: 'LA', 3: 'RGB', 4: 'RGBA' }[rgba.channels], `${id} PNG mode`);
      assert.equal(image.width, Number(row.width), `${id} width`);
      assert.equal(image.height, Number(row.height), `${id} height`);
      assert.equal(readdirSync(join(root, id, 'masks')).length, Number(row.n_nuclei), `${id} masks`);
      // manifest mean_intensity, rounded to one decimal, is the mean over R, G, B in the dev set and the mean of
      // R in the train set (found by comparing with Pillow; the two manifests were made differently)
      const n = rgba.width * rgba.height;
      const used = set === 'dsb2018_nuclei_dev' ? Math.min(3, rgba.channels) : 1;
      let sum = 0;
      for (let i = 0; i < n * used; i++) sum += rgba.data[i]!;
      sum /= used;
      assert.ok(
        Math.abs(sum / n - Number(row.mean_intensity)) <= 0.05 + 1e-9,
        `${id}: mean ${sum / n} vs manifest ${row.mean_intensity}`,
      );
    }
  });
}
