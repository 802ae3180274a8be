// Test-only helpers: load the reference fixtures written by scripts/fixtures/filter_make.py and
// threshold_make.py (.npy) as images. Not used by library code.
import { join } from 'node:path';
import { fromData, type Image } from '../image/image.ts';
import { readNpy } from '../io/npy.ts';

/** Load `test/fixtures/<area>/<name>.npy` (a 2-D array) as a single-channel image. */
export async function loadFixtureImage(area: string, name: string): Promise<Image> {
  const npy = await readNpy(join('test', 'fixtures', area, `${name}.npy`));
  const [height, width] = npy.shape.length === 2 ? npy.shape : [1, npy.shape[0]];
  const data = npy.data;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    return fromData(Float64Array.from(data, Number), width!, height!) as Image;
  }
  if (data instanceof Int8Array || data instanceof Int16Array) {
    return fromData(Int32Array.from(data), width!, height!) as Image;
  }
  return fromData(data, width!, height!) as Image;
}

/** Load `test/fixtures/<area>/<name>.npy` as a flat array of numbers. */
export async function loadFixtureArray(area: string, name: string): Promise<number[]> {
  const npy = await readNpy(join('test', 'fixtures', area, `${name}.npy`));
  return Array.from(npy.data as ArrayLike<number | bigint>, Number);
}
