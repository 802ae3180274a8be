// Gaussian smoothing, the definition of scipy.ndimage.gaussian_filter (kernel radius int(truncate * sigma + 0.5),
// weights exp(-x^2 / 2 sigma^2) normalised to sum 1, separable) as used by skimage.filters.gaussian.
// Hand-written: image-js blurs only 8/16-bit images with OpenCV-style kernels, not scipy's.
import type { Image } from '../image/image.ts';
import { type BorderMode, checkBorderMode } from './border.ts';
import { correlateSeparable } from './separable.ts';
import { checkImage, checkPositive, unitScale } from './util.ts';

export interface GaussianOptions {
  /** Standard deviation in pixels (> 0), the same along x and y, or `[sigmaY, sigmaX]` (scipy's axis order). */
  sigma: number | readonly [number, number];
  /** Kernel half-width in standard deviations: radius = int(truncate * sigma + 0.5). @default 4 */
  truncate?: number;
  /** Border handling, scipy.ndimage names. @default 'nearest' (skimage.filters.gaussian's default) */
  mode?: BorderMode;
  /** Value outside the image for `mode: 'constant'`, in output units. @default 0 */
  cval?: number;
  /**
   * Keep values in image units (a uint16 image smooths to values 0..65535). When false, integer images are
   * first divided by their type's maximum (255, 65535, ...) like skimage's `img_as_float`, so the result lies
   * in [0, 1]; float images are never rescaled. @default true
   */
  preserveRange?: boolean;
}

/** The normalised 1-D Gaussian of scipy's `_gaussian_kernel1d(sigma, order, radius)` for order 0 or 2. */
export function gaussianKernel1d(sigma: number, radius: number, order: 0 | 2 = 0): Float64Array {
  const k = new Float64Array(2 * radius + 1);
  const s2 = sigma * sigma;
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp((-0.5 / s2) * i * i);
    k[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  if (order === 2) {
    // phi'' = (x^2 / sigma^4 - 1 / sigma^2) phi, as scipy's polynomial recursion gives for order 2
    for (let i = -radius; i <= radius; i++) k[i + radius]! *= (i * i) / (s2 * s2) - 1 / s2;
  }
  return k;
}

/** scipy's kernel radius for `sigma` and `truncate`. */
export function gaussianRadius(sigma: number, truncate: number): number {
  return Math.trunc(truncate * sigma + 0.5);
}

/** Parse `sigma` (number or [sigmaY, sigmaX]) into [sigmaY, sigmaX], throwing on non-positive or NaN values. */
export function sigmaPair(sigma: unknown, what: string): [number, number] {
  if (Array.isArray(sigma)) {
    if (sigma.length !== 2) throw new RangeError(`${what}: sigma must be a number or [sigmaY, sigmaX]`);
    return [checkPositive(sigma[0], `${what}: sigma[0]`), checkPositive(sigma[1], `${what}: sigma[1]`)];
  }
  const s = checkPositive(sigma, `${what}: sigma`);
  return [s, s];
}

/**
 * Smooth every channel with a Gaussian; returns float32 with the same size and channels. Sums run in float64,
 * so results agree with scipy's float64 output to float32 rounding.
 */
export function gaussian(image: Image, options: GaussianOptions): Image<'float32'> {
  checkImage(image, 'gaussian');
  if (options === null || typeof options !== 'object') throw new TypeError('gaussian: options are required');
  const [sy, sx] = sigmaPair(options.sigma, 'gaussian');
  const truncate = checkPositive(options.truncate ?? 4, 'gaussian: truncate');
  const mode = checkBorderMode(options.mode ?? 'nearest', 'gaussian');
  const cval = options.cval ?? 0;
  if (!Number.isFinite(cval)) throw new RangeError(`gaussian: cval must be finite, got ${cval}`);
  const scale = (options.preserveRange ?? true) ? 1 : unitScale(image.dtype);
  const kx = gaussianKernel1d(sx, gaussianRadius(sx, truncate));
  const ky = gaussianKernel1d(sy, gaussianRadius(sy, truncate));
  if (scale !== 1) {
    // scale the kernel rather than the image: one multiply per tap instead of a converted copy
    for (let i = 0; i < kx.length; i++) kx[i]! *= scale;
  }
  const { width, height, channels } = image;
  const n = width * height;
  const out = new Float32Array(n * channels);
  for (let c = 0; c < channels; c++) {
    const plane = image.data.subarray(c * n, (c + 1) * n);
    // cval is given in output units; the column pass sees unscaled input, so divide it back
    correlateSeparable(plane, width, height, kx, ky, mode, cval / scale, out.subarray(c * n, (c + 1) * n));
  }
  return { ...image, dtype: 'float32', data: out };
}
