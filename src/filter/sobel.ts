// Sobel gradient magnitude, skimage.filters.sobel's definition (v0.19): sqrt((Gx^2 + Gy^2) / 2) with
// Gy = [-1, 0, 1] along y x [1, 2, 1] / 4 along x (and Gx transposed), correlated with scipy border modes;
// an optional mask is eroded by a 3x3 square (outside = 0) and zeroes the result outside it, as skimage does.
// Hand-written: image-js's Sobel uses unnormalised 8/16-bit kernels without border modes.
import type { Image } from '../image/image.ts';
import { type BorderMode, checkBorderMode } from './border.ts';
import { correlateSeparable } from './separable.ts';
import { checkSingleChannel, unitScale } from './util.ts';

export interface SobelOptions {
  /** Border handling, scipy.ndimage names. @default 'reflect' (skimage's default) */
  mode?: BorderMode;
  /** Value outside the image for `mode: 'constant'` (skimage 0.19 ignores its cval; we honour it). @default 0 */
  cval?: number;
  /**
   * Gradient in image units. When false, integer images are divided by their type's maximum first, which is
   * what skimage.filters.sobel returns. @default true
   */
  preserveRange?: boolean;
  /** Only pixels whose whole 3x3 neighbourhood lies in the mask get a value; others are 0. @default undefined */
  mask?: Uint8Array;
}

const SMOOTH = Float64Array.of(0.25, 0.5, 0.25);
const EDGE = Float64Array.of(-1, 0, 1);

/** Sobel gradient magnitude of a single-channel image, float32. */
export function sobel(image: Image, options: SobelOptions = {}): Image<'float32'> {
  checkSingleChannel(image, 'sobel');
  const mode = checkBorderMode(options.mode ?? 'reflect', 'sobel');
  const cval = options.cval ?? 0;
  if (!Number.isFinite(cval)) throw new RangeError(`sobel: cval must be finite, got ${cval}`);
  const { width, height } = image;
  const n = width * height;
  const mask = options.mask;
  if (mask !== undefined && mask.length !== n) {
    throw new RangeError(`sobel: mask has ${mask.length} elements but the image has ${n}`);
  }
  const scale = (options.preserveRange ?? true) ? 1 : unitScale(image.dtype);
  const gy = new Float64Array(n);
  const gx = new Float64Array(n);
  correlateSeparable(image.data, width, height, SMOOTH, EDGE, mode, cval, gy);
  correlateSeparable(image.data, width, height, EDGE, SMOOTH, mode, cval, gx);
  const out = new Float32Array(n);
  const k = Math.SQRT1_2 * scale;
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(gx[i]! * gx[i]! + gy[i]! * gy[i]!) * k;
  if (mask !== undefined) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let inside = y > 0 && x > 0 && y < height - 1 && x < width - 1;
        for (let dy = -1; inside && dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            if (mask[(y + dy) * width + x + dx] === 0) {
              inside = false;
              break;
            }
          }
        }
        if (!inside) out[y * width + x] = 0;
      }
    }
  }
  return { ...image, dtype: 'float32', data: out };
}
