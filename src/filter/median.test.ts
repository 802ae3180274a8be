import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromData, type Image } from '../image/image.ts';
import type { BorderMode } from './border.ts';
import { median, quickselect } from './median.ts';
import { loadFixtureImage } from './testing.ts';

// Reference: skimage.filters.median 0.19 (= scipy.ndimage.median_filter, mode 'nearest' unless stated) with
// skimage disk/square footprints (scripts/fixtures/filter_make.py). A median selects an input value, so the
// comparison is exact.
function spec(name: string) {
  const m = /^(disk|square)(\d+)$/.exec(name)!;
  return { shape: m[1] as 'disk' | 'square', radius: Number(m[2]) };
}

async function check(input: string, fp: string, mode?: BorderMode, suffix = ''): Promise<void> {
  const image = (await loadFixtureImage('filter', `in_${input}`)) as Image;
  const expected = await loadFixtureImage('filter', `median_${input}_${fp}${suffix}`);
  const out = median(image, { footprint: spec(fp), ...(mode ? { mode, cval: 7 } : {}) });
  assert.equal(out.dtype, image.dtype);
  assert.deepEqual(Array.from(out.data), Array.from(expected.data), `median ${input} ${fp} ${mode ?? ''}`);
}

describe('median vs skimage.filters.median (exact)', () => {
  for (const fp of ['disk1', 'disk2', 'disk3', 'square1', 'square2']) {
    test(`uint8 ${fp}`, () => check('u8', fp));
  }
  for (const mode of ['reflect', 'mirror', 'constant', 'wrap'] as const) {
    test(`uint8 disk2 mode ${mode}`, () => check('u8', 'disk2', mode, `_${mode}`));
  }
  test('uint16 (12-bit blobs and full-range noise)', async () => {
    await check('blobs', 'disk2');
    await check('u16', 'disk3');
  });
  test('float32 (quickselect path)', () => check('f32', 'disk1'));
  test('footprint larger than the image, and a 1xN image', async () => {
    await check('tiny', 'disk3');
    await check('row', 'square2');
  });
});

describe('median invariants and bad input', () => {
  test('the rank path (int32) equals the histogram path (uint16)', async () => {
    const u16 = (await loadFixtureImage('filter', 'in_blobs')) as Image<'uint16'>;
    const asInt32 = fromData(Int32Array.from(u16.data), u16.width, u16.height);
    for (const mode of ['nearest', 'reflect', 'constant'] as const) {
      const a = median(u16, { footprint: { radius: 3 }, mode, cval: 100 });
      const b = median(asInt32, { footprint: { radius: 3 }, mode, cval: 100 });
      assert.deepEqual(Array.from(a.data), Array.from(b.data));
    }
  });
  test('more than 65,536 distinct values use quickselect; checked against sorting each window', () => {
    const w = 260;
    const h = 260;
    let seed = 7;
    const data = Float32Array.from({ length: w * h }, () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    });
    const out = median(fromData(data, w, h), { footprint: { radius: 1 }, mode: 'reflect' });
    const at = (x: number, y: number) => {
      const rx = x < 0 ? -x - 1 : x >= w ? 2 * w - x - 1 : x;
      const ry = y < 0 ? -y - 1 : y >= h ? 2 * h - y - 1 : y;
      return data[ry * w + rx]!;
    };
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const win = [at(x, y - 1), at(x - 1, y), at(x, y), at(x + 1, y), at(x, y + 1)].sort((a, b) => a - b);
        if (out.data[y * w + x] !== win[2])
          assert.fail(`pixel (${x}, ${y}): ${out.data[y * w + x]} vs ${win[2]}`);
      }
    }
  });
  test('constant and 1x1 images', () => {
    assert.ok(
      median(fromData(new Uint16Array(30).fill(9), 6, 5), { footprint: { radius: 2 } }).data.every(
        (v) => v === 9,
      ),
    );
    assert.deepEqual(Array.from(median(fromData(new Float32Array([2.5]), 1, 1)).data), [2.5]);
  });
  test('quickselect', () => {
    const values = [5, 3, 9, 1, 7, 3, 3, 8, 0, 2, 6, 4, 11, 10, 12];
    const sorted = [...values].sort((a, b) => a - b);
    for (let k = 0; k < values.length; k++)
      assert.equal(quickselect(Float64Array.from(values), k), sorted[k]);
  });
  test('bad input', () => {
    const img = fromData(new Uint8Array(4), 2, 2);
    assert.throws(() => median(img, { footprint: { radius: -1 } }), /radius must be an integer >= 0, got -1/);
    assert.throws(() => median(img, { mode: 'edge' as BorderMode }), /mode must be one of/);
    assert.throws(() => median(img, { cval: Number.NaN }), /cval must be finite/);
  });
});
