// Convex hull of pixel sets (Andrew's monotone chain, 1979) and the pixel count of scikit-image's
// `convex_hull_image` (skimage/morphology/convex_hull.py, 0.19: hull of pixel-edge midpoints, grid points
// inside or on it). Hand-written: npm hull packages work on arrays of point objects and none reproduces
// scikit-image's rasterisation, which CellProfiler's ConvexArea and Solidity depend on.

/** A convex polygon: vertex coordinates in counter-clockwise order (y down), no collinear vertices. */
export interface Hull {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/**
 * Convex hull of points (x[i], y[i]). Collinear and repeated points are dropped, so a hull has 1 vertex for a
 * single point and 2 for collinear points. Vertices run counter-clockwise in x-right, y-up axes.
 */
export function convexHull(x: ArrayLike<number>, y: ArrayLike<number>): Hull {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`convexHull: ${n} x coordinates but ${y.length} y coordinates`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || y[a]! - y[b]!);
  // Deduplicate.
  const px: number[] = [];
  const py: number[] = [];
  for (const i of order) {
    const k = px.length - 1;
    if (k >= 0 && px[k] === x[i] && py[k] === y[i]) continue;
    px.push(x[i]!);
    py.push(y[i]!);
  }
  const m = px.length;
  if (m <= 2) return { x: Float64Array.from(px), y: Float64Array.from(py) };
  const hx = new Float64Array(2 * m);
  const hy = new Float64Array(2 * m);
  let k = 0;
  const cross = (i: number, j: number, qx: number, qy: number): number =>
    (hx[j]! - hx[i]!) * (qy - hy[i]!) - (hy[j]! - hy[i]!) * (qx - hx[i]!);
  for (let i = 0; i < m; i++) {
    while (k >= 2 && cross(k - 2, k - 1, px[i]!, py[i]!) <= 0) k--;
    hx[k] = px[i]!;
    hy[k] = py[i]!;
    k++;
  }
  for (let i = m - 2, lower = k + 1; i >= 0; i--) {
    while (k >= lower && cross(k - 2, k - 1, px[i]!, py[i]!) <= 0) k--;
    hx[k] = px[i]!;
    hy[k] = py[i]!;
    k++;
  }
  k--; // the last point repeats the first
  if (k < 2) return { x: hx.slice(0, Math.max(k, 1)), y: hy.slice(0, Math.max(k, 1)) };
  return { x: hx.slice(0, k), y: hy.slice(0, k) };
}

/**
 * Number of pixels of a `width` x `height` grid whose centres lie inside or on the convex hull of the pixel
 * edge midpoints of the set pixels of `mask` (row-major, 0/1): scikit-image's `convex_hull_image(mask).sum()`,
 * which is `regionprops(...).convex_area` and CellProfiler's `AreaShape_ConvexArea`. The hull of a pixel
 * set's edge midpoints equals the hull of its centre hull's vertices shifted by (±0.5, 0) and (0, ±0.5).
 */
export function convexImageArea(mask: ArrayLike<number>, width: number, height: number): number {
  const cx: number[] = [];
  const cy: number[] = [];
  // Only the first and last set pixel of each row can be hull vertices.
  for (let r = 0; r < height; r++) {
    let first = -1;
    let last = -1;
    for (let c = 0; c < width; c++) {
      if (mask[r * width + c]) {
        if (first < 0) first = c;
        last = c;
      }
    }
    if (first < 0) continue;
    cx.push(first);
    cy.push(r);
    if (last !== first) {
      cx.push(last);
      cy.push(r);
    }
  }
  if (cx.length === 0) return 0;
  const centres = convexHull(cx, cy);
  const ex: number[] = [];
  const ey: number[] = [];
  for (let i = 0; i < centres.x.length; i++) {
    const vx = centres.x[i]!;
    const vy = centres.y[i]!;
    ex.push(vx - 0.5, vx + 0.5, vx, vx);
    ey.push(vy, vy, vy - 0.5, vy + 0.5);
  }
  const hull = convexHull(ex, ey);
  return countGridPointsInHull(hull, width, height);
}

/**
 * Grid points (c, r), 0 <= c < width, 0 <= r < height, inside or on a convex polygon with half-integer
 * vertices. Doubling the coordinates makes every vertex an integer, so the per-row span is bounded by exact
 * rationals; a point off an edge is at least 1/(4 * edge length) away from it, far beyond the 1e-7 slack.
 */
function countGridPointsInHull(hull: Hull, width: number, height: number): number {
  const n = hull.x.length;
  let total = 0;
  for (let r = 0; r < height; r++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      const x0 = hull.x[i]!;
      const y0 = hull.y[i]!;
      const x1 = hull.x[j]!;
      const y1 = hull.y[j]!;
      if (y0 === r) {
        lo = Math.min(lo, x0);
        hi = Math.max(hi, x0);
      }
      if ((y0 < r && y1 > r) || (y0 > r && y1 < r)) {
        const xi = x0 + ((r - y0) * (x1 - x0)) / (y1 - y0);
        lo = Math.min(lo, xi);
        hi = Math.max(hi, xi);
      }
    }
    if (lo > hi) continue;
    const a = Math.max(0, Math.ceil(lo - 1e-7));
    const b = Math.min(width - 1, Math.floor(hi + 1e-7));
    if (b >= a) total += b - a + 1;
  }
  return total;
}

/**
 * The convex hull of pixel centres (x = column, y = row) with vertices in the order centrosome's
 * `convex_hull_ijv` (CellProfiler/centrosome _convex_hull.pyx) emits them: a monotone chain over columns,
 * starting at the top pixel of the leftmost column, along the top envelope to the right and back along the
 * bottom envelope. CellProfiler's minimum enclosing circle starts from the first two of these vertices, and
 * the floating-point rounding of that circle decides which boundary pixels its Zernike sums include.
 */
export function pixelHull(xs: ArrayLike<number>, ys: ArrayLike<number>): Hull {
  const n = xs.length;
  if (n === 0) return { x: new Float64Array(0), y: new Float64Array(0) };
  let startJ = Number.POSITIVE_INFINITY;
  let endJ = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < n; p++) {
    if (xs[p]! < startJ) startJ = xs[p]!;
    if (xs[p]! > endJ) endJ = xs[p]!;
  }
  const span = endJ - startJ + 1;
  const lower = new Float64Array(span).fill(Number.POSITIVE_INFINITY); // smallest row per column
  const upper = new Float64Array(span).fill(Number.NEGATIVE_INFINITY); // largest row per column
  for (let p = 0; p < n; p++) {
    const j = xs[p]! - startJ;
    const i = ys[p]!;
    if (i < lower[j]!) lower[j] = i;
    if (i > upper[j]!) upper[j] = i;
  }
  const oi: number[] = [];
  const oj: number[] = [];
  const convex = (ai: number, aj: number, bi: number, bj: number, ci: number, cj: number): boolean => {
    const cross = (bj - aj) * (ci - bi) - (cj - bj) * (bi - ai);
    if (cross > 0) return true;
    if (cross < 0) return false;
    return bj > aj && bj > cj; // a U-turn at the end of the points
  };
  const emit = (i: number, j: number): void => {
    while (oi.length >= 2) {
      const k = oi.length;
      if (convex(oi[k - 2]!, oj[k - 2]!, oi[k - 1]!, oj[k - 1]!, i, j)) break;
      oi.pop();
      oj.pop();
    }
    oi.push(i);
    oj.push(j);
  };
  for (let j = 0; j < span; j++) if (lower[j]! !== Number.POSITIVE_INFINITY) emit(lower[j]!, j + startJ);
  for (let j = span - 1; j > 0; j--) if (upper[j]! !== Number.NEGATIVE_INFINITY) emit(upper[j]!, j + startJ);
  // Prune against the start column's bottom pixel, then add it when it differs from the top one.
  while (oi.length >= 2) {
    const k = oi.length;
    if (convex(oi[k - 2]!, oj[k - 2]!, oi[k - 1]!, oj[k - 1]!, upper[0]!, startJ)) break;
    oi.pop();
    oj.pop();
  }
  if (lower[0] !== upper[0]) {
    oi.push(upper[0]!);
    oj.push(startJ);
  }
  return { x: Float64Array.from(oj), y: Float64Array.from(oi) };
}
