import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromData, type Image } from '../image/image.ts';
import { footprintMask, makeFootprint } from './footprint.ts';
import { blackTopHat, close, dilate, erode, open, whiteTopHat } from './morphology.ts';
import { loadFixtureImage } from './testing.ts';

// Reference: skimage.morphology.{erosion, dilation, opening, closing, white_tophat, black_tophat} 0.19 with
// skimage.morphology.disk/square footprints (scripts/fixtures/filter_make.py). Min/max only select input values,
// so results must be identical (no tolerance), including at the borders and for footprints larger than the image.
const OPS = { erode, dilate, open, close, whiteTopHat, blackTopHat } as const;
type Op = keyof typeof OPS;

function spec(name: string) {
  const m = /^(disk|square)(\d+)$/.exec(name)!;
  return { shape: m[1] as 'disk' | 'square', radius: Number(m[2]) };
}

async function check(op: Op, input: string, fp: string): Promise<void> {
  const image = await loadFixtureImage('filter', `in_${input}`);
  const expected = await loadFixtureImage('filter', `${op}_${input}_${fp}`);
  const out = OPS[op](image as Image, spec(fp));
  assert.equal(out.dtype, image.dtype);
  assert.deepEqual(Array.from(out.data), Array.from(expected.data), `${op} ${input} ${fp}`);
}

describe('morphology vs skimage.morphology (exact)', () => {
  for (const fp of ['disk0', 'disk1', 'disk2', 'disk3', 'disk5', 'square1', 'square2']) {
    for (const op of ['erode', 'dilate'] as const) {
      test(`${op} ${fp} on u8, 5x7 and 1x9 images`, async () => {
        await check(op, 'u8', fp);
        await check(op, 'tiny', fp);
        await check(op, 'row', fp);
      });
    }
  }
  for (const op of Object.keys(OPS) as Op[]) {
    test(`${op} u8 disk2, uint16 blobs disk3 and square2`, async () => {
      await check(op, 'u8', 'disk2');
      await check(op, 'blobs', 'disk3');
      await check(op, 'blobs', 'square2');
    });
  }
  test('float32 erosion and full-range uint16 dilation', async () => {
    await check('erode', 'f32', 'disk2');
    await check('dilate', 'u16', 'disk1');
  });
});

describe('footprints', () => {
  test('disk and square masks equal skimage.morphology.disk/square', () => {
    // skimage.morphology.disk(2)
    const disk2 = [0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0];
    assert.deepEqual(Array.from(footprintMask(makeFootprint({ radius: 2 }))), disk2);
    assert.equal(makeFootprint({ shape: 'square', radius: 2 }).size, 25);
    assert.equal(makeFootprint({ radius: 3 }).size, 29);
    assert.equal(makeFootprint({ radius: 0 }).size, 1);
  });
  test('bad footprints', () => {
    const img = fromData(new Uint8Array(4), 2, 2);
    assert.throws(() => erode(img, { radius: -1 }), /radius must be an integer >= 0, got -1/);
    assert.throws(() => erode(img, { radius: 1.5 }), /radius must be an integer >= 0, got 1.5/);
    assert.throws(() => erode(img, { radius: Number.NaN }), /got NaN/);
    assert.throws(
      () => dilate(img, { shape: 'ball' as 'disk', radius: 1 }),
      /shape must be 'disk' or 'square'/,
    );
  });
});

describe('morphology invariants', () => {
  test('constant image is unchanged; top-hats are zero', () => {
    const img = fromData(new Uint16Array(20).fill(500), 5, 4);
    for (const fn of [erode, dilate, open, close])
      assert.ok(fn(img, { radius: 2 }).data.every((v) => v === 500));
    assert.ok(whiteTopHat(img, { radius: 2 }).data.every((v) => v === 0));
    assert.ok(blackTopHat(img, { shape: 'square', radius: 1 }).data.every((v) => v === 0));
  });
  test('1x1 image and multi-channel images', () => {
    assert.deepEqual(Array.from(dilate(fromData(new Int32Array([-3]), 1, 1), { radius: 4 }).data), [-3]);
    const two = fromData(new Uint8Array([1, 9, 1, 1, 5, 1]), 3, 1, { channels: 2 });
    assert.deepEqual(Array.from(dilate(two, { shape: 'square', radius: 1 }).data), [9, 9, 9, 5, 5, 5]);
  });
  test('a NaN pixel makes every window that holds it NaN', () => {
    const img = fromData(Float32Array.of(1, 2, Number.NaN, 4, 5, 6, 7), 7, 1);
    const e = Array.from(erode(img, { shape: 'square', radius: 1 }).data);
    assert.deepEqual(e, [1, Number.NaN, Number.NaN, Number.NaN, 4, 5, 6]);
  });
  test('opening is anti-extensive, closing extensive', async () => {
    const image = await loadFixtureImage('filter', 'in_u16');
    const o = open(image, { radius: 2 });
    const c = close(image, { radius: 2 });
    for (let i = 0; i < image.data.length; i++) {
      assert.ok(o.data[i]! <= image.data[i]! && c.data[i]! >= image.data[i]!);
    }
  });
});
