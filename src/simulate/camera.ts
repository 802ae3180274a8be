// Camera model of a scientific CMOS/CCD detector (EMVA 1288 linear model): photo-electrons are Poisson
// distributed, converted to digital numbers with the system gain (e-/ADU), plus Gaussian read noise and a fixed
// offset, rounded and clipped to the bit depth. So the variance of a pixel is (mean - offset) / gain +
// readNoise^2 (+ 1/12 from rounding). Ref: EMVA Standard 1288 release 3.1, section 2.
import type { Rng } from './prng.ts';

export interface CameraModel {
  /** Effective bits per pixel: the largest value is 2^bitDepth - 1. */
  readonly bitDepth: 8 | 12 | 16;
  /** System gain in electrons per ADU. */
  readonly gain: number;
  /** Read noise standard deviation in ADU. */
  readonly readNoise: number;
  /** Offset (bias) in ADU added to every pixel. */
  readonly offset: number;
}

/** Full-well capacity assumed by `defaultCamera`, in electrons. */
export const FULL_WELL_ELECTRONS = 30_000;

/**
 * A camera whose full scale holds FULL_WELL_ELECTRONS electrons, with 1.6 e- read noise and an offset of
 * 100 ADU at 16 bits (scaled down with the bit depth, at least 2 ADU).
 */
export function defaultCamera(bitDepth: 8 | 12 | 16 = 16): CameraModel {
  if (bitDepth !== 8 && bitDepth !== 12 && bitDepth !== 16) {
    throw new RangeError(`bit depth must be 8, 12 or 16, got ${bitDepth}`);
  }
  const max = 2 ** bitDepth - 1;
  const gain = FULL_WELL_ELECTRONS / max;
  return { bitDepth, gain, readNoise: 1.6 / gain, offset: Math.max(2, Math.round((100 * max) / 65535)) };
}

/**
 * Expose: `electrons` (expected photo-electrons per pixel) to digital numbers written into `out` (uint8 for
 * 8-bit cameras, uint16 otherwise). Returns the number of pixels clipped at the maximum value.
 */
export function expose(
  electrons: Float32Array,
  camera: CameraModel,
  rng: Rng,
  out: Uint16Array | Uint8Array,
): number {
  const max = 2 ** camera.bitDepth - 1;
  const inv = 1 / camera.gain;
  let saturated = 0;
  for (let i = 0; i < electrons.length; i++) {
    const e = electrons[i]!;
    const k = e > 0 ? rng.poisson(e) : 0;
    let v = Math.round(camera.offset + k * inv + camera.readNoise * rng.normal());
    if (v >= max) {
      v = max;
      saturated++;
    } else if (v < 0) v = 0;
    out[i] = v;
  }
  return saturated;
}
