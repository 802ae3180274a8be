// Active learning by uncertainty sampling (Lewis & Gale 1994; survey: Settles 2009, "Active Learning Literature
// Survey", sec. 3.1): rank unlabelled rows by how unsure the classifier is, so the next cells to label are the
// ones that teach it most. Margin (1 - (p1 - p2)), entropy, or least confidence (1 - p1).

export interface UncertaintySamplingOptions {
  /** How many rows to propose. @default 20 */
  n?: number;
  /** Uncertainty measure. @default 'margin' */
  strategy?: 'margin' | 'entropy' | 'least-confident';
  /** Candidate rows (e.g. the unlabelled ones). @default every row */
  candidates?: ArrayLike<number>;
}

export interface Suggestion {
  row: number;
  /** Uncertainty score (higher = less sure). */
  score: number;
}

/** Uncertainty of one probability vector. */
export function uncertainty(
  proba: ArrayLike<number>,
  strategy: UncertaintySamplingOptions['strategy'] = 'margin',
): number {
  let p1 = 0;
  let p2 = 0;
  let entropy = 0;
  for (let c = 0; c < proba.length; c++) {
    const p = proba[c]!;
    if (p > p1) {
      p2 = p1;
      p1 = p;
    } else if (p > p2) p2 = p;
    if (p > 0) entropy -= p * Math.log(p);
  }
  if (strategy === 'entropy') return entropy;
  if (strategy === 'least-confident') return 1 - p1;
  return 1 - (p1 - p2);
}

/** The `n` most uncertain rows of a rows x classes probability matrix, most uncertain first (ties: lower row). */
export function uncertaintySampling(
  proba: Float64Array,
  classes: number,
  options: UncertaintySamplingOptions = {},
): Suggestion[] {
  const { n = 20, strategy = 'margin' } = options;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!['margin', 'entropy', 'least-confident'].includes(strategy)) {
    throw new RangeError(`strategy must be margin, entropy or least-confident, got '${strategy}'`);
  }
  const rows = proba.length / classes;
  const candidates = options.candidates ?? Int32Array.from({ length: rows }, (_, i) => i);
  const scored: Suggestion[] = Array.from(candidates, (row) => ({
    row,
    score: uncertainty(proba.subarray(row * classes, (row + 1) * classes), strategy),
  }));
  scored.sort((a, b) => b.score - a.score || a.row - b.row);
  return scored.slice(0, n);
}
