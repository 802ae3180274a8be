// Zernike shape moments of objects as centrosome.zernike (CellProfiler/centrosome zernike.py) computes them for
// CellProfiler's MeasureObjectSizeShape: pixel centres scaled into the object's minimum enclosing circle
// (Welzl 1991, "Smallest enclosing disks", on the hull of pixel centres), |sum of V_nm| / (pi r^2).
// Hand-written: no npm package computes Zernike moments over pixel sets.
import type { Hull } from './convexHull.ts';

export interface Circle {
  readonly x: number;
  readonly y: number;
  readonly r: number;
}

/** The Zernike indexes (n, m) with n < limit and m = n mod 2, ..., n in steps of 2, in CellProfiler's order. */
export function zernikeIndexes(limit = 10): [number, number][] {
  const out: [number, number][] = [];
  for (let n = 0; n < limit; n++) for (let m = n % 2; m <= n; m += 2) out.push([n, m]);
  return out;
}

function inside(c: Circle, x: number, y: number): boolean {
  return Math.hypot(x - c.x, y - c.y) <= c.r * (1 + 1e-12) + 1e-12;
}

function diameterCircle(ax: number, ay: number, bx: number, by: number): Circle {
  return { x: (ax + bx) / 2, y: (ay + by) / 2, r: Math.hypot(ax - bx, ay - by) / 2 };
}

function circumcircle(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Circle {
  const d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by));
  if (Math.abs(d) < 1e-12) {
    // Collinear: the circle on the farthest pair.
    const pairs: Circle[] = [
      diameterCircle(ax, ay, bx, by),
      diameterCircle(ax, ay, cx, cy),
      diameterCircle(bx, by, cx, cy),
    ];
    return pairs.reduce((a, b) => (b.r > a.r ? b : a));
  }
  const a2 = ax * ax + ay * ay;
  const b2 = bx * bx + by * by;
  const c2 = cx * cx + cy * cy;
  const x = (a2 * (by - cy) + b2 * (cy - ay) + c2 * (ay - by)) / d;
  const y = (a2 * (cx - bx) + b2 * (ax - cx) + c2 * (bx - ax)) / d;
  return { x, y, r: Math.hypot(ax - x, ay - y) };
}

/**
 * The minimum enclosing circle of a convex hull's vertices by Chrystal's algorithm, step for step as
 * centrosome.cpmorphology.minimum_enclosing_circle runs it (start from the side between the first two
 * vertices; replace the obtuse end by the vertex subtending the smallest angle until that angle is right or
 * obtuse, or the triangle is acute), with the same formulas for the centre and radius, so that the rounding
 * matches CellProfiler's. Falls back to Welzl's algorithm if the iteration does not settle.
 */
export function minimumEnclosingCircle(hull: Hull): Circle {
  const { x, y } = hull;
  const n = x.length;
  if (n === 0) return { x: Number.NaN, y: Number.NaN, r: 0 };
  if (n === 1) return { x: x[0]!, y: y[0]!, r: 0 };
  if (n === 2) {
    const cx = (x[0]! + x[1]!) / 2;
    const cy = (y[0]! + y[1]!) / 2;
    const di = cy - y[0]!;
    const dj = cx - x[0]!;
    return { x: cx, y: cy, r: Math.sqrt(di * di + dj * dj) };
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let s0 = 0;
  let s1 = 1;
  for (let iteration = 0; iteration < 4 * n + 8; iteration++) {
    // centrosome works in (i, j) = (row, column).
    const s0i = y[s0]!;
    const s0j = x[s0]!;
    const s1i = y[s1]!;
    const s1j = x[s1]!;
    const s01i = s0i - s1i;
    const s01j = s0j - s1j;
    const s01len2 = s01i * s01i + s01j * s01j;
    let best = -1;
    let bestAngle = Number.POSITIVE_INFINITY;
    let bestAt1 = 0;
    let bestAt0 = 0;
    for (let v = 0; v < n; v++) {
      if (order[v]! < 2) continue;
      const vs0i = y[v]! - s0i;
      const vs0j = x[v]! - s0j;
      const vs1i = y[v]! - s1i;
      const vs1j = x[v]! - s1j;
      const at1 = Math.abs(
        Math.acos((s01i * vs1i + s01j * vs1j) / Math.sqrt(s01len2 * (vs1i * vs1i + vs1j * vs1j))),
      );
      const at0 = Math.abs(
        Math.acos((-s01i * vs0i + -s01j * vs0j) / Math.sqrt(s01len2 * (vs0i * vs0i + vs0j * vs0j))),
      );
      const atV = Math.PI - at1 - at0;
      if (atV < bestAngle) {
        bestAngle = atV;
        best = v;
        bestAt1 = at1;
        bestAt0 = at0;
      }
    }
    if (best < 0 || bestAngle >= Math.PI / 2) {
      const cx = (s0j + s1j) / 2;
      const cy = (s0i + s1i) / 2;
      return { x: cx, y: cy, r: Math.sqrt(s01i * s01i + s01j * s01j) / 2 };
    }
    if (!(bestAt1 > Math.PI / 2) && !(bestAt0 > Math.PI / 2) && !(bestAngle > Math.PI / 2)) {
      const vi = y[best]!;
      const vj = x[best]!;
      const d = 2 * (s0j * (s1i - vi) + s1j * (vi - s0i) + vj * (s0i - s1i));
      const q0 = s0i * s0i + s0j * s0j;
      const q1 = s1i * s1i + s1j * s1j;
      const qv = vi * vi + vj * vj;
      const cx = (q0 * (s1i - vi) + q1 * (vi - s0i) + qv * (s0i - s1i)) / d;
      const cy = (q0 * (vj - s1j) + q1 * (s0j - vj) + qv * (s1j - s0j)) / d;
      const di = s0i - cy;
      const dj = s0j - cx;
      return { x: cx, y: cy, r: Math.sqrt(di * di + dj * dj) };
    }
    if (bestAt0 > Math.PI / 2) {
      order[s0] = order[best]!;
      s0 = best;
      order[best] = 0;
    } else {
      order[s1] = order[best]!;
      s1 = best;
      order[best] = 1;
    }
  }
  return welzl(hull);
}

/** Welzl's incremental minimum enclosing circle (the fallback). */
export function welzl(points: Hull): Circle {
  const { x, y } = points;
  const n = x.length;
  if (n === 0) return { x: Number.NaN, y: Number.NaN, r: 0 };
  let c: Circle = { x: x[0]!, y: y[0]!, r: 0 };
  for (let i = 1; i < n; i++) {
    if (inside(c, x[i]!, y[i]!)) continue;
    c = { x: x[i]!, y: y[i]!, r: 0 };
    for (let j = 0; j < i; j++) {
      if (inside(c, x[j]!, y[j]!)) continue;
      c = diameterCircle(x[i]!, y[i]!, x[j]!, y[j]!);
      for (let k = 0; k < j; k++) {
        if (inside(c, x[k]!, y[k]!)) continue;
        c = circumcircle(x[i]!, y[i]!, x[j]!, y[j]!, x[k]!, y[k]!);
      }
    }
  }
  return c;
}

/** Precomputed radial-polynomial coefficients for a list of Zernike indexes. */
export interface ZernikeTable {
  readonly indexes: readonly (readonly [number, number])[];
  /** Coefficients of R_nm / r^m in powers of r^2, highest power first (Horner order), per index. */
  readonly coefficients: readonly Float64Array[];
  readonly maxM: number;
  /** The coefficients concatenated, with each index's start, length and m, for the inner loop. */
  readonly flat: Float64Array;
  readonly start: Int32Array;
  readonly length: Int32Array;
  readonly m: Int32Array;
}

export function zernikeTable(indexes: readonly (readonly [number, number])[]): ZernikeTable {
  const factorial = (k: number): number => {
    let f = 1;
    for (let i = 2; i <= k; i++) f *= i;
    return f;
  };
  const coefficients = indexes.map(([n, m]) => {
    if (!Number.isInteger(n) || !Number.isInteger(m) || m < 0 || m > n || (n - m) % 2 !== 0) {
      throw new RangeError(`zernike: invalid index (n=${n}, m=${m}); need 0 <= m <= n and n - m even`);
    }
    const half = (n - m) / 2;
    const c = new Float64Array(half + 1);
    for (let k = 0; k <= half; k++) {
      c[k] =
        ((k % 2 ? -1 : 1) * factorial(n - k)) /
        (factorial(k) * factorial((n + m) / 2 - k) * factorial((n - m) / 2 - k));
    }
    return c;
  });
  const start = new Int32Array(indexes.length);
  const length = new Int32Array(indexes.length);
  let total = 0;
  coefficients.forEach((c, q) => {
    start[q] = total;
    length[q] = c.length;
    total += c.length;
  });
  const flat = new Float64Array(total);
  coefficients.forEach((c, q) => {
    flat.set(c, start[q]);
  });
  return {
    indexes,
    coefficients,
    maxM: Math.max(0, ...indexes.map(([, m]) => m)),
    flat,
    start,
    length,
    m: Int32Array.from(indexes, ([, m]) => m),
  };
}

/**
 * Zernike magnitudes of one object whose pixel centres are (xs[i], ys[i]), inscribed in `circle`: for each
 * index, |sum over pixels with rho <= 1 of R_nm(rho) e^{i m theta}| / (pi r^2), written into `out`.
 * A zero radius (a single pixel) gives NaN, as CellProfiler's 0/0 does.
 */
export function zernikeMoments(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  circle: Circle,
  table: ZernikeTable,
  out: Float64Array = new Float64Array(table.indexes.length),
): Float64Array {
  const k = table.indexes.length;
  const re = new Float64Array(k);
  const im = new Float64Array(k);
  const maxM = table.maxM;
  const powRe = new Float64Array(maxM + 1);
  const powIm = new Float64Array(maxM + 1);
  const { flat, start, length } = table;
  const mOf = table.m;
  for (let p = 0; p < xs.length; p++) {
    // centrosome takes z = y + i x (CellProfiler's convention); magnitudes do not depend on it.
    const u = (xs[p]! - circle.x) / circle.r;
    const v = (ys[p]! - circle.y) / circle.r;
    const r2 = u * u + v * v;
    if (r2 > 1) continue;
    powRe[0] = 1;
    powIm[0] = 0;
    for (let m = 1; m <= maxM; m++) {
      powRe[m] = powRe[m - 1]! * v - powIm[m - 1]! * u;
      powIm[m] = powRe[m - 1]! * u + powIm[m - 1]! * v;
    }
    for (let q = 0; q < k; q++) {
      const from = start[q]!;
      const to = from + length[q]!;
      let s = 0;
      for (let t = from; t < to; t++) s = s * r2 + flat[t]!;
      const m = mOf[q]!;
      re[q] = re[q]! + s * powRe[m]!;
      im[q] = im[q]! + s * powIm[m]!;
    }
  }
  // CellProfiler's score: sqrt(real^2 + imag^2) / (pi r^2).
  const area = Math.PI * circle.r * circle.r;
  for (let q = 0; q < k; q++) out[q] = Math.sqrt(re[q]! * re[q]! + im[q]! * im[q]!) / area;
  if (!(circle.r > 0)) out.fill(Number.NaN);
  return out;
}
