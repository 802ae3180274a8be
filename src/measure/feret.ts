// Minimum and maximum Feret (caliper) diameters of a convex hull, as centrosome.cpmorphology.feret_diameter
// (CellProfiler/centrosome, after Alsuwaiyel 2003) computes them on the hull of pixel centres: the largest
// distance between two hull vertices, and the smallest width over edge directions (rotating calipers: a
// minimum-width strip always has one side on a hull edge). Hand-written: no npm package offers this on typed arrays.
import type { Hull } from './convexHull.ts';

export interface FeretDiameters {
  readonly min: number;
  readonly max: number;
}

/** Feret diameters of a convex hull. One vertex gives 0 and 0; two (collinear points) give 0 and their distance. */
export function feretDiameters(hull: Hull): FeretDiameters {
  const n = hull.x.length;
  const { x, y } = hull;
  let max2 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[i]! - x[j]!;
      const dy = y[i]! - y[j]!;
      const d2 = dx * dx + dy * dy;
      if (d2 > max2) max2 = d2;
    }
  }
  if (n < 3) return { min: 0, max: Math.sqrt(max2) };
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const ex = x[j]! - x[i]!;
    const ey = y[j]! - y[i]!;
    const len = Math.hypot(ex, ey);
    let width = 0;
    for (let k = 0; k < n; k++) {
      const d = Math.abs(ex * (y[k]! - y[i]!) - ey * (x[k]! - x[i]!)) / len;
      if (d > width) width = d;
    }
    if (width < min) min = width;
  }
  return { min, max: Math.sqrt(max2) };
}
