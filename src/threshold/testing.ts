// Test-only helpers: the expected thresholds and input images written by scripts/fixtures/threshold_make.py.
import { readFileSync } from 'node:fs';
import { loadFixtureImage } from '../filter/testing.ts';
import type { Image } from '../image/image.ts';

/** skimage's thresholds keyed by case name (test/fixtures/threshold/expected.json). */
export const EXPECTED = JSON.parse(readFileSync('test/fixtures/threshold/expected.json', 'utf8')) as Record<
  string,
  number | number[]
>;

export function expected(name: string): number {
  const v = EXPECTED[name];
  if (typeof v !== 'number') throw new Error(`no expected threshold '${name}' in expected.json`);
  return v;
}

export function expectedList(name: string): number[] {
  const v = EXPECTED[name];
  if (!Array.isArray(v)) throw new Error(`no expected threshold list '${name}' in expected.json`);
  return v;
}

export const INPUTS = ['u8', 'u16', 'u16rand', 'f32', 'f64', 'tri_u8', 'tri_f64'] as const;

export function loadInput(name: string): Promise<Image> {
  return loadFixtureImage('threshold', `in_${name}`);
}

export async function loadMask(): Promise<Uint8Array> {
  return (await loadFixtureImage('threshold', 'mask')).data as Uint8Array;
}

/** Width of one float histogram bin (skimage: (max - min) / bins), used as the float tolerance. */
export function binWidth(image: Image, bins = 256, mask?: Uint8Array): number {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  image.data.forEach((v, i) => {
    if (mask && mask[i] === 0) return;
    min = Math.min(min, v);
    max = Math.max(max, v);
  });
  return (max - min) / bins;
}
