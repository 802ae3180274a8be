// Laplacian of Gaussian, scipy.ndimage.gaussian_laplace's definition: d2/dy2 + d2/dx2 of the Gaussian-smoothed
// image, each a separable correlation with scipy's order-2 Gaussian kernel (x^2 / s^4 - 1 / s^2) g(x) along one
// axis and the order-0 kernel along the other. Bright spots of radius ~ sigma * sqrt(2) give strong negative
// responses. Hand-written: no npm package computes it with scipy's kernels and border modes.
import type { Image } from '../image/image.ts';
import { type BorderMode, checkBorderMode } from './border.ts';
import { gaussianKernel1d, gaussianRadius, sigmaPair } from './gaussian.ts';
import { correlateSeparable } from './separable.ts';
import { checkImage, checkPositive } from './util.ts';

export interface LaplacianOfGaussianOptions {
  /** Standard deviation in pixels (> 0), or `[sigmaY, sigmaX]`. */
  sigma: number | readonly [number, number];
  /** Kernel half-width in standard deviations. @default 4 */
  truncate?: number;
  /** Border handling, scipy.ndimage names. @default 'reflect' (scipy's default) */
  mode?: BorderMode;
  /** Value outside the image for `mode: 'constant'`. @default 0 */
  cval?: number;
  /** Multiply by -sigma^2 (sigma = mean of the two) so bright blobs give positive, scale-comparable peaks. @default false */
  normalize?: boolean;
}

/** LoG of every channel, float32 in image units (per pixel^2). */
export function laplacianOfGaussian(image: Image, options: LaplacianOfGaussianOptions): Image<'float32'> {
  checkImage(image, 'laplacianOfGaussian');
  if (options === null || typeof options !== 'object') {
    throw new TypeError('laplacianOfGaussian: options with sigma are required');
  }
  const [sy, sx] = sigmaPair(options.sigma, 'laplacianOfGaussian');
  const truncate = checkPositive(options.truncate ?? 4, 'laplacianOfGaussian: truncate');
  const mode = checkBorderMode(options.mode ?? 'reflect', 'laplacianOfGaussian');
  const cval = options.cval ?? 0;
  if (!Number.isFinite(cval)) throw new RangeError(`laplacianOfGaussian: cval must be finite, got ${cval}`);
  const rx = gaussianRadius(sx, truncate);
  const ry = gaussianRadius(sy, truncate);
  const kx0 = gaussianKernel1d(sx, rx);
  const kx2 = gaussianKernel1d(sx, rx, 2);
  const ky0 = gaussianKernel1d(sy, ry);
  const ky2 = gaussianKernel1d(sy, ry, 2);
  const factor = options.normalize ? -(((sx + sy) / 2) ** 2) : 1;
  const { width, height, channels } = image;
  const n = width * height;
  const out = new Float32Array(n * channels);
  const dyy = new Float64Array(n);
  const dxx = new Float64Array(n);
  for (let c = 0; c < channels; c++) {
    const plane = image.data.subarray(c * n, (c + 1) * n);
    correlateSeparable(plane, width, height, kx0, ky2, mode, cval, dyy);
    correlateSeparable(plane, width, height, kx2, ky0, mode, cval, dxx);
    const o = c * n;
    for (let i = 0; i < n; i++) out[o + i] = (dyy[i]! + dxx[i]!) * factor;
  }
  return { ...image, dtype: 'float32', data: out };
}
