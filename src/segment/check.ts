// Input checks shared by the segmentation functions: single-channel images, matching sizes, known options.
import type { Image } from '../image/image.ts';

/** Throw a RangeError unless `image` has exactly one channel. */
export function checkSingleChannel(image: Image, what: string): void {
  if (image.channels !== 1) {
    throw new RangeError(`${what}: expected a single-channel image, got ${image.channels} channels`);
  }
}

/** Throw a RangeError unless `other` has the width and height of `image`. */
export function checkSameSize(image: Image, other: Image, what: string): void {
  if (other.width !== image.width || other.height !== image.height) {
    throw new RangeError(
      `${what}: size ${other.width}x${other.height} differs from the image's ${image.width}x${image.height}`,
    );
  }
  checkSingleChannel(other, what);
}

/** Throw a RangeError unless `connectivity` is 4 or 8. */
export function checkConnectivity(connectivity: number, what: string): void {
  if (connectivity !== 4 && connectivity !== 8) {
    throw new RangeError(`${what}: connectivity must be 4 or 8, got ${connectivity}`);
  }
}

/** Throw a TypeError unless `image` is an integer label image (uint8/16/32 or int32) without negative values. */
export function checkLabels(labels: Image, what: string): void {
  if (labels.dtype === 'float32' || labels.dtype === 'float64') {
    throw new TypeError(`${what}: labels must be an integer image, got dtype ${labels.dtype}`);
  }
  checkSingleChannel(labels, what);
  if (labels.dtype === 'int32') {
    const d = labels.data;
    for (let i = 0; i < d.length; i++) {
      if (d[i]! < 0) throw new RangeError(`${what}: negative label ${d[i]} at pixel ${i}`);
    }
  }
}

/** Largest label value (0 for an empty label image). */
export function maxLabel(labels: Image): number {
  let m = 0;
  const d = labels.data;
  for (let i = 0; i < d.length; i++) if (d[i]! > m) m = d[i]!;
  return m;
}
