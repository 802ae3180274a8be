// Small checks and conversions shared by the filters in src/filter (no algorithm lives here).
import { type DType, type Image, maxValueOf } from '../image/image.ts';

/** True for the integer pixel types. */
export function isIntegerDType(dtype: DType): boolean {
  return dtype !== 'float32' && dtype !== 'float64';
}

/** Throw a TypeError/RangeError naming `what` unless `image` looks like a valid `Image`. */
export function checkImage(image: Image, what: string): void {
  if (image === null || typeof image !== 'object' || !ArrayBuffer.isView(image.data)) {
    throw new TypeError(`${what}: expected an Image with typed-array data, got ${String(image)}`);
  }
  const { width, height, channels } = image;
  if (
    !Number.isSafeInteger(width) ||
    !Number.isSafeInteger(height) ||
    !Number.isSafeInteger(channels) ||
    width < 1 ||
    height < 1 ||
    channels < 1 ||
    image.data.length !== width * height * channels
  ) {
    throw new RangeError(
      `${what}: image ${width}x${height}x${channels} does not match its ${image.data.length} samples`,
    );
  }
}

/** Throw a RangeError naming `what` unless `image` has exactly one channel. */
export function checkSingleChannel(image: Image, what: string): void {
  checkImage(image, what);
  if (image.channels !== 1) {
    throw new RangeError(
      `${what}: expects a single-channel image, got ${image.channels} channels (use channelOf(image, c))`,
    );
  }
}

/** Throw a RangeError unless `value` is a finite number > 0 (or >= 0 when `allowZero`). */
export function checkPositive(value: unknown, what: string, allowZero = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(
      `${what} must be a finite number ${allowZero ? '>= 0' : '> 0'}, got ${String(value)}`,
    );
  }
  return value;
}

/** Throw a RangeError unless `value` is a non-negative integer. */
export function checkRadius(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`${what} must be an integer >= 0, got ${String(value)}`);
  }
  return value;
}

/**
 * The factor that maps pixel values to [0, 1] (skimage `img_as_float`): 1 / dtype maximum for integer
 * types (the container's, not `bitDepth`), 1 for floats.
 */
export function unitScale(dtype: DType): number {
  return isIntegerDType(dtype) ? 1 / maxValueOf({ dtype, bitDepth: undefined }) : 1;
}
