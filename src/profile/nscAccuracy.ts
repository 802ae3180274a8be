// Not-same-compound 1-nearest-neighbour MoA accuracy (Ljosa et al. 2013, J Biomol Screen 18:1321): each treatment
// profile is assigned the MoA of its most similar profile among those of OTHER compounds; accuracy is the
// fraction assigned correctly.

export interface NscResult {
  accuracy: number;
  /** Index of the nearest other-compound profile of each query. */
  neighbor: Int32Array;
  correct: boolean[];
}

/** NSC accuracy from an n×n similarity matrix (higher = more similar); ties go to the lower index. */
export function nscAccuracy(
  similarity: Float64Array,
  moa: readonly string[],
  compound: readonly string[],
): NscResult {
  const n = moa.length;
  if (compound.length !== n || similarity.length !== n * n) {
    throw new RangeError(
      `nscAccuracy: ${n} MoAs, ${compound.length} compounds, ${similarity.length} similarities`,
    );
  }
  const neighbor = new Int32Array(n).fill(-1);
  const correct: boolean[] = [];
  let hits = 0;
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    for (let j = 0; j < n; j++) {
      if (compound[j] === compound[i]) continue;
      const s = similarity[i * n + j]!;
      if (s > best) {
        best = s;
        neighbor[i] = j;
      }
    }
    const ok = neighbor[i]! >= 0 && moa[neighbor[i]!] === moa[i];
    correct.push(ok);
    if (ok) hits++;
  }
  return { accuracy: hits / n, neighbor, correct };
}
