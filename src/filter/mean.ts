// Local mean over a disk or square footprint: scipy.ndimage.correlate(image, footprint / footprint.sum(),
// mode) in float64. Computed from per-row prefix sums (a summed-area table along x), so each footprint row costs
// two lookups whatever its width; squares also slide a running sum along y (O(1) per pixel). Hand-written:
// image-js has no footprint mean with border modes or float output.
import type { Image } from '../image/image.ts';
import { type BorderMode, borderTable, checkBorderMode } from './border.ts';
import { type FootprintSpec, makeFootprint } from './footprint.ts';
import { checkImage } from './util.ts';

export interface MeanOptions {
  /** Neighbourhood. @default { shape: 'disk', radius: 1 } */
  footprint?: FootprintSpec;
  /** Border handling, scipy.ndimage names. @default 'nearest' */
  mode?: BorderMode;
  /** Value outside the image for `mode: 'constant'`. @default 0 */
  cval?: number;
}

/** Mean of every channel over the footprint, as float32 in image units. Sums are float64. */
export function mean(image: Image, options: MeanOptions = {}): Image<'float32'> {
  checkImage(image, 'mean');
  const fp = makeFootprint(options.footprint ?? { shape: 'disk', radius: 1 }, 'mean');
  const mode = checkBorderMode(options.mode ?? 'nearest', 'mean');
  const cval = options.cval ?? 0;
  if (!Number.isFinite(cval)) throw new RangeError(`mean: cval must be finite, got ${cval}`);
  const { width, height, channels } = image;
  const n = width * height;
  const out = new Float32Array(n * channels);
  const r = fp.radius;
  const hw = fp.halfWidths;
  const stride = width + 2 * r + 1;
  const cols = borderTable(width, r, mode);
  const rows = borderTable(height, r, mode);
  const inv = 1 / fp.size;
  for (let c = 0; c < channels; c++) {
    const src = image.data.subarray(c * n, (c + 1) * n);
    // prefix[y * stride + i] = sum of padded row y over padded columns [0, i)
    const prefix = new Float64Array((height + 1) * stride);
    for (let y = 0; y <= height; y++) {
      const o = y * width;
      let s = 0;
      prefix[y * stride] = 0;
      for (let i = 0; i < stride - 1; i++) {
        const cx = cols[i]!;
        // row `height` is the constant row used for mode 'constant'
        s += y === height || cx < 0 ? cval : src[o + cx]!;
        prefix[y * stride + i + 1] = s;
      }
    }
    const dst = out.subarray(c * n, (c + 1) * n);
    if (fp.shape === 'square') {
      // horizontal box sums per row, then a running sum over the 2r + 1 (mapped) rows
      const w = 2 * r + 1;
      const colSum = new Float64Array(width);
      const boxRow = (ry: number, x: number) => {
        const p = (ry < 0 ? height : ry) * stride;
        return prefix[p + x + w]! - prefix[p + x]!;
      };
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let j = 0; j < w; j++) s += boxRow(rows[j]!, x);
        colSum[x] = s;
      }
      for (let y = 0; y < height; y++) {
        const o = y * width;
        for (let x = 0; x < width; x++) dst[o + x] = colSum[x]! * inv;
        if (y === height - 1) break;
        const add = rows[y + w]!;
        const drop = rows[y]!;
        for (let x = 0; x < width; x++) colSum[x] = colSum[x]! + boxRow(add, x) - boxRow(drop, x);
      }
    } else {
      const acc = new Float64Array(width);
      for (let y = 0; y < height; y++) {
        acc.fill(0);
        for (let j = 0; j <= 2 * r; j++) {
          const ry = rows[y + j]!;
          const p = (ry < 0 ? height : ry) * stride;
          const a = hw[j]!;
          // columns x - a .. x + a are padded indices x - a + r .. x + a + r
          const lo = p + r - a;
          const hi = p + r + a + 1;
          for (let x = 0; x < width; x++) acc[x]! += prefix[hi + x]! - prefix[lo + x]!;
        }
        const o = y * width;
        for (let x = 0; x < width; x++) dst[o + x] = acc[x]! * inv;
      }
    }
  }
  return { ...image, dtype: 'float32', data: out };
}
