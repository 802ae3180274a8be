// Moore-Penrose pseudo-inverse of a small symmetric positive semi-definite matrix by cyclic Jacobi
// eigendecomposition (Golub & Van Loan, Matrix Computations 4th ed., §8.5), with scipy curve_fit's cut-off:
// singular values of J below eps·max(n, p)·s_max are dropped (eigenvalues of JᵀJ are their squares).
// Hand-written: p ≤ 4 here, and a general matrix library would allocate objects per curve.

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major p×p) of a symmetric p×p matrix. */
export function jacobiEigen(
  matrix: Float64Array,
  p: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += a[i * p + j]! ** 2;
    if (off < 1e-300) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = a[i * p + j]!;
        if (aij === 0) continue;
        const theta = (a[j * p + j]! - a[i * p + i]!) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const aki = a[k * p + i]!;
          const akj = a[k * p + j]!;
          a[k * p + i] = c * aki - s * akj;
          a[k * p + j] = s * aki + c * akj;
        }
        for (let k = 0; k < p; k++) {
          const aik = a[i * p + k]!;
          const ajk = a[j * p + k]!;
          a[i * p + k] = c * aik - s * ajk;
          a[j * p + k] = s * aik + c * ajk;
        }
        for (let k = 0; k < p; k++) {
          const vki = v[k * p + i]!;
          const vkj = v[k * p + j]!;
          v[k * p + i] = c * vki - s * vkj;
          v[k * p + j] = s * vki + c * vkj;
        }
      }
    }
  }
  const values = new Float64Array(p);
  for (let i = 0; i < p; i++) values[i] = a[i * p + i]!;
  return { values, vectors: v };
}

/**
 * Pseudo-inverse of JᵀJ (p×p) as curve_fit computes pcov before scaling: directions whose singular value of J is
 * below eps·max(n, p)·s_max get zero weight. Returns undefined when any direction was dropped (curve_fit then
 * reports an infinite covariance).
 */
export function normalPseudoInverse(jtj: Float64Array, p: number, n: number): Float64Array | undefined {
  const { values, vectors } = jacobiEigen(jtj, p);
  let max = 0;
  for (const v of values) max = Math.max(max, v);
  const cut = (Number.EPSILON * Math.max(n, p)) ** 2 * max;
  const out = new Float64Array(p * p);
  for (let e = 0; e < p; e++) {
    const lam = values[e]!;
    if (!(lam > cut) || !(max > 0)) return undefined;
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++)
        out[i * p + j] = out[i * p + j]! + (vectors[i * p + e]! * vectors[j * p + e]!) / lam;
    }
  }
  return out;
}
