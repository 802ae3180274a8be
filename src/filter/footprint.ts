// Structuring elements ("footprints") built exactly like skimage.morphology.disk (x^2 + y^2 <= r^2) and
// skimage.morphology.square (width 2r + 1), stored as one horizontal run per row, which is what the fast
// morphology, median and mean filters iterate over.
import { checkRadius } from './util.ts';

/** A disk or square neighbourhood of the given radius (a square of radius r is 2r + 1 pixels wide). */
export interface FootprintSpec {
  /** @default 'disk' */
  shape?: 'disk' | 'square';
  /** Integer >= 0; radius 0 is the single centre pixel. */
  radius: number;
}

/** A footprint as row runs: row offset dy in [-radius, radius] covers dx in [-halfWidths[dy + radius], +...]. */
export interface Footprint {
  readonly shape: 'disk' | 'square';
  readonly radius: number;
  /** Half-width of the run of each row, index dy + radius. */
  readonly halfWidths: Int32Array;
  /** Number of pixels in the footprint. */
  readonly size: number;
}

/** Build (and validate) a footprint; `what` names the caller in error messages. */
export function makeFootprint(spec: FootprintSpec, what = 'footprint'): Footprint {
  if (spec === null || typeof spec !== 'object') {
    throw new TypeError(
      `${what}: footprint must be { shape: 'disk' | 'square', radius }, got ${String(spec)}`,
    );
  }
  const shape = spec.shape ?? 'disk';
  if (shape !== 'disk' && shape !== 'square') {
    throw new RangeError(`${what}: footprint shape must be 'disk' or 'square', got ${String(shape)}`);
  }
  const radius = checkRadius(spec.radius, `${what}: footprint radius`);
  if (radius > 1000) throw new RangeError(`${what}: footprint radius must be <= 1000, got ${radius}`);
  const halfWidths = new Int32Array(2 * radius + 1);
  let size = 0;
  for (let dy = -radius; dy <= radius; dy++) {
    let a = radius;
    if (shape === 'disk') {
      const rest = radius * radius - dy * dy;
      a = Math.floor(Math.sqrt(rest));
      while ((a + 1) * (a + 1) <= rest) a++;
      while (a * a > rest) a--;
    }
    halfWidths[dy + radius] = a;
    size += 2 * a + 1;
  }
  return { shape, radius, halfWidths, size };
}

/** The footprint as a (2r + 1) x (2r + 1) row-major 0/1 mask, as skimage returns it. */
export function footprintMask(footprint: Footprint): Uint8Array {
  const n = 2 * footprint.radius + 1;
  const mask = new Uint8Array(n * n);
  for (let row = 0; row < n; row++) {
    const a = footprint.halfWidths[row]!;
    mask.fill(1, row * n + footprint.radius - a, row * n + footprint.radius + a + 1);
  }
  return mask;
}
