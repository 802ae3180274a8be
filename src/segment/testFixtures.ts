// Test helper: read a .npy fixture of test/fixtures/segment/ as a single-channel image.
import { fromData, type Image } from '../image/image.ts';
import { readNpy } from '../io/npy.ts';

/** Load `test/fixtures/segment/<name>.npy` (2-D) as an image, or a 1-D array as its raw data. */
export async function fixture(name: string): Promise<Image> {
  const npy = await readNpy(`test/fixtures/segment/${name}.npy`);
  const [h, w] = npy.shape.length === 2 ? npy.shape : [1, npy.shape[0] ?? 0];
  return fromData(npy.data as Float64Array, w!, h!);
}

/** Load a 1-D integer .npy fixture as a plain number array. */
export async function fixtureList(name: string): Promise<number[]> {
  const npy = await readNpy(`test/fixtures/segment/${name}.npy`);
  return Array.from(npy.data as Int32Array);
}
