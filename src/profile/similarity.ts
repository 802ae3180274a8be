// Similarity of profiles: cosine (x·y/|x||y|) and Pearson correlation (cosine of mean-centred rows) matrices.

export type SimilarityMetric = 'cosine' | 'pearson';

/** n×n similarity matrix (row-major) of the rows; NaN features count as 0 after centring. */
export function similarityMatrix(
  rows: readonly Float64Array[],
  metric: SimilarityMetric = 'cosine',
): Float64Array {
  const n = rows.length;
  const unit = rows.map((r) => {
    const v = Float64Array.from(r, (x) => (Number.isNaN(x) ? 0 : x));
    if (metric === 'pearson') {
      let m = 0;
      for (const x of v) m += x;
      m /= v.length;
      for (let i = 0; i < v.length; i++) v[i] = v[i]! - m;
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm);
    for (let i = 0; i < v.length; i++) v[i] = norm > 0 ? v[i]! / norm : 0;
    return v;
  });
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = unit[i]!;
    for (let j = 0; j <= i; j++) {
      const b = unit[j]!;
      let s = 0;
      for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}
