// k-means clustering: Lloyd's algorithm (Lloyd 1982) from k-means++ seeds (Arthur & Vassilvitskii 2007; greedy
// variant with 2 + ln k local trials, as scikit-learn's `_kmeans_plusplus`), seeded, best of `runs` by inertia.
// Hand-written: the npm `ml-kmeans` has no greedy k-means++ nor scikit-learn's tolerance rule.
import { checkMatrix, type Matrix } from './matrix.ts';
import { createRng, deriveSeed, type Rng } from './random.ts';

export interface KMeansOptions {
  /** Number of clusters. */
  k: number;
  /** Initial centres (k x cols, row-major); when given, one run from them. @default k-means++ */
  init?: Float64Array;
  /** Independent k-means++ runs; the lowest inertia wins. @default 10 */
  runs?: number;
  /** Iteration limit per run. @default 300 */
  maxIterations?: number;
  /**
   * Stop when the squared centre shift summed over centres is <= tolerance x mean per-feature variance (scikit-learn's
   * rule); 0 = only when no label changes. @default 1e-4
   */
  tolerance?: number;
  /** Seed. @default 0 */
  seed?: number;
}

export interface KMeansResult {
  /** Cluster index per row. */
  labels: Int32Array;
  /** Centres, k x cols row-major. */
  centres: Float64Array;
  /** Sum of squared distances of rows to their centre. */
  inertia: number;
  iterations: number;
}

function sqDist(a: Float64Array, ai: number, b: Float64Array, bi: number, p: number): number {
  let s = 0;
  for (let j = 0; j < p; j++) {
    const d = a[ai + j]! - b[bi + j]!;
    s += d * d;
  }
  return s;
}

/** Greedy k-means++ seeding: k rows of `m` as centres. */
export function kmeansPlusPlus(m: Matrix, k: number, rng: Rng): Float64Array {
  const { data, rows: n, cols: p } = m;
  const centres = new Float64Array(k * p);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.nextInt(n);
  centres.set(data.subarray(first * p, first * p + p), 0);
  const closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) potential += closest[i] = sqDist(data, i * p, centres, 0, p);
  const candidateDist = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestPotential = Number.POSITIVE_INFINITY;
    let best = -1;
    let bestDist: Float64Array | undefined;
    for (let t = 0; t < trials; t++) {
      // Sample a row with probability proportional to its squared distance to the nearest centre.
      let r = rng.nextFloat() * potential;
      let cand = n - 1;
      for (let i = 0; i < n; i++) {
        r -= closest[i]!;
        if (r < 0) {
          cand = i;
          break;
        }
      }
      let pot = 0;
      for (let i = 0; i < n; i++) {
        candidateDist[i] = Math.min(closest[i]!, sqDist(data, i * p, data, cand * p, p));
        pot += candidateDist[i]!;
      }
      if (pot < bestPotential) {
        bestPotential = pot;
        best = cand;
        bestDist = Float64Array.from(candidateDist);
      }
    }
    centres.set(data.subarray(best * p, best * p + p), c * p);
    closest.set(bestDist!);
    potential = bestPotential;
  }
  return centres;
}

function lloyd(
  m: Matrix,
  centres: Float64Array,
  k: number,
  maxIterations: number,
  tol: number,
): KMeansResult {
  const { data, rows: n, cols: p } = m;
  const labels = new Int32Array(n).fill(-1);
  const sums = new Float64Array(k * p);
  const counts = new Int32Array(k);
  let iterations = 0;
  const assign = (): boolean => {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const d = sqDist(data, i * p, centres, c * p, p);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      if (labels[i] !== best) changed = true;
      labels[i] = best;
    }
    return changed;
  };
  assign();
  for (; iterations < maxIterations; ) {
    iterations++;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i]!;
      counts[c]!++;
      for (let j = 0; j < p; j++) sums[c * p + j]! += data[i * p + j]!;
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        // Empty cluster: move it to the row farthest from its centre (as scikit-learn relocates empty clusters).
        let far = 0;
        let farD = -1;
        for (let i = 0; i < n; i++) {
          const d = sqDist(data, i * p, centres, labels[i]! * p, p);
          if (d > farD) {
            farD = d;
            far = i;
          }
        }
        for (let j = 0; j < p; j++) sums[c * p + j] = data[far * p + j]!;
        counts[c] = 1;
      }
      for (let j = 0; j < p; j++) {
        const v = sums[c * p + j]! / counts[c]!;
        shift += (v - centres[c * p + j]!) ** 2;
        centres[c * p + j] = v;
      }
    }
    const changed = assign();
    if (!changed || shift <= tol) break;
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(data, i * p, centres, labels[i]! * p, p);
  return { labels, centres, inertia, iterations };
}

/** k-means clustering of the rows of `m`. */
export function kmeans(m: Matrix, options: KMeansOptions): KMeansResult {
  const { k, runs = 10, maxIterations = 300, tolerance = 1e-4, seed = 0 } = options;
  checkMatrix(m, 'kmeans');
  if (!Number.isInteger(k) || k < 1 || k > m.rows)
    throw new RangeError(`k must be an integer in 1..${m.rows} (rows), got ${k}`);
  if (!Number.isInteger(runs) || runs < 1)
    throw new RangeError(`runs must be a positive integer, got ${runs}`);
  // scikit-learn's tolerance: tol x mean of the per-feature variances.
  let meanVar = 0;
  for (let j = 0; j < m.cols; j++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < m.rows; i++) {
      const v = m.data[i * m.cols + j]!;
      s += v;
      s2 += v * v;
    }
    const mean = s / m.rows;
    meanVar += s2 / m.rows - mean * mean;
  }
  const tol = (tolerance * meanVar) / m.cols;
  if (options.init) {
    if (options.init.length !== k * m.cols)
      throw new RangeError(`init: expected ${k} x ${m.cols} values, got ${options.init.length}`);
    return lloyd(m, Float64Array.from(options.init), k, maxIterations, tol);
  }
  let best: KMeansResult | undefined;
  for (let r = 0; r < runs; r++) {
    const result = lloyd(m, kmeansPlusPlus(m, k, createRng(deriveSeed(seed, r))), k, maxIterations, tol);
    if (!best || result.inertia < best.inertia) best = result;
  }
  return best!;
}
