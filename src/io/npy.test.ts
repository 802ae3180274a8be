import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeNpy, parseNpy, readNpy } from './npy.ts';

const dir = 'test/fixtures/npy';

test('reads float32 written by NumPy (bit-exact)', async () => {
  const a = await readNpy(`${dir}/f4_2x3.npy`);
  assert.deepEqual(a.shape, [2, 3]);
  assert.deepEqual(
    [...a.data],
    [0, 1, 2, 3, 4, 5].map((v) => Math.fround(Math.fround(v) / 7)),
  );
});

test('transposes Fortran order to C order; reads booleans', async () => {
  const a = await readNpy(`${dir}/u2_fortran.npy`);
  assert.deepEqual(a.shape, [3, 4]);
  assert.deepEqual([...a.data], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual([...(await readNpy(`${dir}/b1.npy`)).data], [1, 0, 1]);
});

test('round-trips and rejects bad input', () => {
  const bytes = encodeNpy(new Int32Array([1, -2, 3, 4]), [2, 2]);
  assert.deepEqual([...parseNpy(bytes).data], [1, -2, 3, 4]);
  assert.throws(() => parseNpy(new Uint8Array(20), 'x.npy'), /x.npy: not a .npy file/);
  assert.throws(
    () => parseNpy(bytes.subarray(0, bytes.length - 2), 'y.npy'),
    /y.npy: .npy data is truncated/,
  );
});
