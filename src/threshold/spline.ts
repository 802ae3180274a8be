// Interpolating tensor-product B-spline on a rectangular grid, the s = 0 case of FITPACK's regrid (P. Dierckx,
// "Curve and Surface Fitting with Splines", 1993) that scipy.interpolate.RectBivariateSpline(x, y, z, bbox, kx,
// ky) builds: boundary knots of multiplicity k + 1 at the bbox ends, interior knots at the data points (odd k)
// or midway between them (even k), coefficients solving the interpolation conditions exactly. CellProfiler blends
// its adaptive block thresholds with it. Hand-written: no npm package reproduces FITPACK's knot placement.

/** FITPACK's knot vector for interpolating `x` (ascending) with degree `k` inside [xb, xe]. */
export function interpolationKnots(x: ArrayLike<number>, k: number, xb: number, xe: number): Float64Array {
  const m = x.length;
  const n = m + k + 1;
  const t = new Float64Array(n);
  for (let i = 0; i <= k; i++) {
    t[i] = xb;
    t[n - 1 - i] = xe;
  }
  const interior = m - k - 1;
  const k3 = k >> 1;
  for (let l = 0; l < interior; l++) {
    // 1-based FITPACK: tx(k+2+l) = x(k3+2+l) (odd k) or (x(k3+2+l) + x(k3+1+l)) / 2 (even k)
    const j = k3 + 1 + l;
    t[k + 1 + l] = k % 2 === 1 ? x[j]! : (x[j]! + x[j - 1]!) / 2;
  }
  return t;
}

/** The k + 1 non-zero B-spline values at `u` and the index of the first (de Boor / Cox recursion, fpbspl). */
export function bsplineBasis(t: Float64Array, k: number, u: number, out: Float64Array): number {
  const n = t.length;
  // interval l with t[l] <= u < t[l + 1], clamped to the valid range [k, n - k - 2]
  let l = k;
  while (l < n - k - 2 && u >= t[l + 1]!) l++;
  const left = new Float64Array(k + 1);
  const right = new Float64Array(k + 1);
  out[0] = 1;
  for (let j = 1; j <= k; j++) {
    left[j] = u - t[l + 1 - j]!;
    right[j] = t[l + j]! - u;
    let saved = 0;
    for (let r = 0; r < j; r++) {
      const temp = out[r]! / (right[r + 1]! + left[j - r]!);
      out[r] = saved + right[r + 1]! * temp;
      saved = left[j - r]! * temp;
    }
    out[j] = saved;
  }
  return l - k;
}

/** Solve A X = B in place for a dense m x m `a` (row-major) and m x c `b`, partial pivoting. */
function solve(a: Float64Array, b: Float64Array, m: number, c: number): void {
  for (let col = 0; col < m; col++) {
    let p = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(a[r * m + col]!) > Math.abs(a[p * m + col]!)) p = r;
    if (a[p * m + col] === 0) throw new RangeError('spline interpolation matrix is singular');
    if (p !== col) {
      for (let j = 0; j < m; j++) {
        const tmp = a[col * m + j]!;
        a[col * m + j] = a[p * m + j]!;
        a[p * m + j] = tmp;
      }
      for (let j = 0; j < c; j++) {
        const tmp = b[col * c + j]!;
        b[col * c + j] = b[p * c + j]!;
        b[p * c + j] = tmp;
      }
    }
    const d = a[col * m + col]!;
    for (let r = col + 1; r < m; r++) {
      const f = a[r * m + col]! / d;
      if (f === 0) continue;
      for (let j = col; j < m; j++) a[r * m + j]! -= f * a[col * m + j]!;
      for (let j = 0; j < c; j++) b[r * c + j]! -= f * b[col * c + j]!;
    }
  }
  for (let r = m - 1; r >= 0; r--) {
    const d = a[r * m + r]!;
    for (let j = 0; j < c; j++) {
      let s = b[r * c + j]!;
      for (let q = r + 1; q < m; q++) s -= a[r * m + q]! * b[q * c + j]!;
      b[r * c + j] = s / d;
    }
  }
}

/** Collocation matrix of the basis on `t` at the points `x`. */
function collocation(t: Float64Array, k: number, x: ArrayLike<number>): Float64Array {
  const m = x.length;
  const a = new Float64Array(m * m);
  const basis = new Float64Array(k + 1);
  for (let i = 0; i < m; i++) {
    const first = bsplineBasis(t, k, x[i]!, basis);
    for (let j = 0; j <= k; j++) a[i * m + first + j] = basis[j]!;
  }
  return a;
}

/** Evaluation matrix rows (first index + k + 1 weights) for many points. */
function evaluation(
  t: Float64Array,
  k: number,
  u: ArrayLike<number>,
): { first: Int32Array; w: Float64Array } {
  const first = new Int32Array(u.length);
  const w = new Float64Array(u.length * (k + 1));
  const basis = new Float64Array(k + 1);
  for (let i = 0; i < u.length; i++) {
    first[i] = bsplineBasis(t, k, u[i]!, basis);
    w.set(basis, i * (k + 1));
  }
  return { first, w };
}

export interface GridSpline {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Values z[i * y.length + j] at (x[i], y[j]). */
  z: ArrayLike<number>;
  /** [xb, xe, yb, ye]. */
  bbox: readonly [number, number, number, number];
  kx: number;
  ky: number;
}

/**
 * RectBivariateSpline(x, y, z, bbox, kx, ky)(xs, ys) with s = 0: the interpolating spline evaluated on the grid
 * xs x ys, returned row-major (xs.length rows of ys.length).
 */
export function evaluateGridSpline(
  spline: GridSpline,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
): Float64Array {
  const { x, y, z, bbox, kx, ky } = spline;
  const mx = x.length;
  const my = y.length;
  if (mx <= kx || my <= ky)
    throw new RangeError(`spline needs more than k points per axis (got ${mx} x ${my})`);
  const tx = interpolationKnots(x, kx, bbox[0], bbox[1]);
  const ty = interpolationKnots(y, ky, bbox[2], bbox[3]);
  // C = Bx^-1 Z By^-T: solve along x for every column of Z, then along y for every row of the result
  const c1 = Float64Array.from(z);
  solve(collocation(tx, kx, x), c1, mx, my);
  // transpose, solve along y, transpose back
  const c1t = new Float64Array(my * mx);
  for (let i = 0; i < mx; i++) for (let j = 0; j < my; j++) c1t[j * mx + i] = c1[i * my + j]!;
  solve(collocation(ty, ky, y), c1t, my, mx);
  const ex = evaluation(tx, kx, xs);
  const ey = evaluation(ty, ky, ys);
  // T = C Ey^T (mx x ys.length), then S = Ex T
  const ny = ys.length;
  const tmp = new Float64Array(mx * ny);
  for (let i = 0; i < mx; i++) {
    for (let q = 0; q < ny; q++) {
      const f = ey.first[q]!;
      let s = 0;
      for (let j = 0; j <= ky; j++) s += c1t[(f + j) * mx + i]! * ey.w[q * (ky + 1) + j]!;
      tmp[i * ny + q] = s;
    }
  }
  const out = new Float64Array(xs.length * ny);
  for (let p = 0; p < xs.length; p++) {
    const f = ex.first[p]!;
    for (let j = 0; j <= kx; j++) {
      const w = ex.w[p * (kx + 1) + j]!;
      const row = (f + j) * ny;
      for (let q = 0; q < ny; q++) out[p * ny + q]! += w * tmp[row + q]!;
    }
  }
  return out;
}
