// Average precision of retrieval as copairs defines it (cytomining/copairs, map/average_precision.py and
// compute.ap_contiguous; Kalinin et al. 2024, "A versatile information retrieval framework for evaluating profile
// strength and similarity", bioRxiv 2024.04.01.587631): for each query, its positive and negative pairs are ranked
// by similarity (descending; ties keep positives first, as copairs' stable lexsort over [positives, negatives]),
// AP = Σ_k rel_k·precision@k / (number of positives); queries without positive pairs get NaN. mAP is the mean AP
// of the queries of a group (e.g. per MoA) or of all queries.

/** AP per query row of an n×n similarity matrix; `positive(i, j)` / `negative(i, j)` select the pairs (i ≠ j). */
export function averagePrecision(
  similarity: Float64Array,
  n: number,
  positive: (i: number, j: number) => boolean,
  negative: (i: number, j: number) => boolean,
): Float64Array {
  if (similarity.length !== n * n)
    throw new RangeError(`averagePrecision: ${similarity.length} values for n = ${n}`);
  const ap = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const items: [number, number][] = []; // [similarity, relevant]
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      if (positive(i, j)) items.push([similarity[i * n + j]!, 1]);
      else if (negative(i, j)) items.push([similarity[i * n + j]!, 0]);
    }
    const nPos = items.reduce((s, it) => s + it[1], 0);
    if (nPos === 0) continue;
    items.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
    let tp = 0;
    let sum = 0;
    items.forEach(([, rel], k) => {
      if (rel) {
        tp++;
        sum += tp / (k + 1);
      }
    });
    ap[i] = sum / nPos;
  }
  return ap;
}

/** Mean AP per label (NaN APs skipped) and over all queries with an AP. */
export function meanAveragePrecision(
  ap: Float64Array,
  labels: readonly string[],
): { overall: number; perLabel: Map<string, { map: number; queries: number }> } {
  const perLabel = new Map<string, { map: number; queries: number }>();
  let sum = 0;
  let count = 0;
  labels.forEach((label, i) => {
    const v = ap[i]!;
    if (Number.isNaN(v)) return;
    const e = perLabel.get(label) ?? { map: 0, queries: 0 };
    e.map += v;
    e.queries++;
    perLabel.set(label, e);
    sum += v;
    count++;
  });
  for (const e of perLabel.values()) e.map /= e.queries;
  return { overall: count ? sum / count : Number.NaN, perLabel };
}
