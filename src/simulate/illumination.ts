// Uneven illumination of a widefield microscope: radial fall-off (vignetting) around an off-centre optical axis
// plus a slight linear tilt, a smooth multiplicative field in (0, 1] as CellProfiler's CorrectIllumination and
// BaSiC (Peng et al. 2017, Nat Commun 8:14836) model it. Hand-written: a few lines of arithmetic.
import { createRng, hashSeed } from './prng.ts';

export interface IlluminationOptions {
  /** Relative fall-off at the field corners farthest from the axis (0 = flat). @default 0.35 */
  vignetting?: number;
  /** Largest shift of the optical axis from the field centre, as a fraction of the field size. @default 0.15 */
  axisShift?: number;
  /** Largest relative change across the field from the linear tilt. @default 0.06 */
  tilt?: number;
}

/** A W x H multiplicative illumination field with maximum 1, drawn from `seed` and `channel`. */
export function illuminationField(
  width: number,
  height: number,
  seed: number,
  channel: number,
  options: IlluminationOptions = {},
): Float32Array {
  const rng = createRng(hashSeed(seed, 'illumination', channel));
  const vignetting = (options.vignetting ?? 0.35) * rng.range(0.85, 1.15);
  const shift = options.axisShift ?? 0.15;
  const tilt = options.tilt ?? 0.06;
  const cx = width * (0.5 + rng.range(-shift, shift));
  const cy = height * (0.5 + rng.range(-shift, shift));
  const angle = rng.range(0, 2 * Math.PI);
  const tx = (Math.cos(angle) * tilt) / width;
  const ty = (Math.sin(angle) * tilt) / height;
  const r2max = Math.max(
    cx * cx + cy * cy,
    (width - cx) ** 2 + cy * cy,
    cx * cx + (height - cy) ** 2,
    (width - cx) ** 2 + (height - cy) ** 2,
  );
  const out = new Float32Array(width * height);
  let max = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r2 = ((x - cx) ** 2 + (y - cy) ** 2) / r2max;
      const v = (1 - vignetting * r2) * (1 + tx * (x - width / 2) + ty * (y - height / 2));
      out[y * width + x] = v;
      if (v > max) max = v;
    }
  }
  for (let i = 0; i < out.length; i++) out[i]! /= max;
  return out;
}
