// Agglomerative hierarchical clustering by the nearest-neighbour chain algorithm (Murtagh 1983; Müllner 2011,
// "Modern hierarchical, agglomerative clustering algorithms", arXiv:1109.2378) with Lance-Williams updates for
// Ward, average, complete, single and weighted linkage, returning a SciPy-style linkage matrix (same merge order,
// labels and heights as scipy.cluster.hierarchy.linkage), and cuts of the dendrogram. Hand-written: no npm
// package returns SciPy-compatible linkage matrices.
import { checkMatrix, type Matrix } from './matrix.ts';

export type Linkage = 'ward' | 'average' | 'complete' | 'single' | 'weighted';

export interface LinkageResult {
  /** (n - 1) x 4 row-major: cluster a, cluster b (a < b), height, size; new clusters are numbered n, n+1, ... */
  merges: Float64Array;
  /** Number of observations. */
  n: number;
}

function condensedIndex(n: number, i: number, j: number): number {
  if (i > j) [i, j] = [j, i];
  return n * i - (i * (i + 1)) / 2 + (j - i - 1);
}

function update(
  method: Linkage,
  dxi: number,
  dyi: number,
  dxy: number,
  nx: number,
  ny: number,
  ni: number,
): number {
  switch (method) {
    case 'single':
      return Math.min(dxi, dyi);
    case 'complete':
      return Math.max(dxi, dyi);
    case 'average':
      return (nx * dxi + ny * dyi) / (nx + ny);
    case 'weighted':
      return 0.5 * (dxi + dyi);
    case 'ward': {
      const t = 1 / (nx + ny + ni);
      return Math.sqrt((ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * dxy * dxy);
    }
  }
}

/** Hierarchical clustering of the rows of `m` with Euclidean distances. */
export function linkage(m: Matrix, method: Linkage = 'ward'): LinkageResult {
  checkMatrix(m, 'linkage');
  if (!['ward', 'average', 'complete', 'single', 'weighted'].includes(method)) {
    throw new RangeError(
      `linkage method must be ward, average, complete, single or weighted, got '${method}'`,
    );
  }
  const { data, rows: n, cols: p } = m;
  if (n < 2) throw new RangeError(`linkage: need at least 2 rows, got ${n}`);
  const D = new Float64Array((n * (n - 1)) / 2);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let f = 0; f < p; f++) {
        const d = data[i * p + f]! - data[j * p + f]!;
        s += d * d;
      }
      D[condensedIndex(n, i, j)] = Math.sqrt(s);
    }
  }
  const size = new Float64Array(n).fill(1);
  const chain = new Int32Array(n);
  let chainLength = 0;
  const Z = new Float64Array((n - 1) * 4);
  for (let k = 0; k < n - 1; k++) {
    let x = 0;
    let y = 0;
    let currentMin = Number.POSITIVE_INFINITY;
    if (chainLength === 0) {
      chainLength = 1;
      for (let i = 0; i < n; i++) {
        if (size[i]! > 0) {
          chain[0] = i;
          break;
        }
      }
    }
    for (;;) {
      x = chain[chainLength - 1]!;
      if (chainLength >= 2) {
        y = chain[chainLength - 2]!;
        currentMin = D[condensedIndex(n, x, y)]!;
      } else currentMin = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        if (size[i] === 0 || i === x) continue;
        const d = D[condensedIndex(n, x, i)]!;
        if (d < currentMin) {
          currentMin = d;
          y = i;
        }
      }
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    if (x > y) [x, y] = [y, x];
    const nx = size[x]!;
    const ny = size[y]!;
    Z[k * 4] = x;
    Z[k * 4 + 1] = y;
    Z[k * 4 + 2] = currentMin;
    Z[k * 4 + 3] = nx + ny;
    size[x] = 0;
    size[y] = nx + ny;
    for (let i = 0; i < n; i++) {
      const ni = size[i]!;
      if (ni === 0 || i === y) continue;
      D[condensedIndex(n, i, y)] = update(
        method,
        D[condensedIndex(n, i, x)]!,
        D[condensedIndex(n, i, y)]!,
        currentMin,
        nx,
        ny,
        ni,
      );
    }
  }
  // Sort merges by height (stable), then relabel clusters with a union-find as SciPy's `label`.
  const order = Array.from({ length: n - 1 }, (_, i) => i).sort(
    (a, b) => Z[a * 4 + 2]! - Z[b * 4 + 2]! || a - b,
  );
  const merges = new Float64Array((n - 1) * 4);
  const parent = Int32Array.from({ length: 2 * n - 1 }, (_, i) => i);
  const clusterSize = new Float64Array(2 * n - 1).fill(1);
  const find = (v: number): number => {
    let r = v;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[v] !== r) {
      const next = parent[v]!;
      parent[v] = r;
      v = next;
    }
    return r;
  };
  order.forEach((src, i) => {
    const a = find(Z[src * 4]!);
    const b = find(Z[src * 4 + 1]!);
    const next = n + i;
    parent[a] = next;
    parent[b] = next;
    clusterSize[next] = clusterSize[a]! + clusterSize[b]!;
    merges[i * 4] = Math.min(a, b);
    merges[i * 4 + 1] = Math.max(a, b);
    merges[i * 4 + 2] = Z[src * 4 + 2]!;
    merges[i * 4 + 3] = clusterSize[next]!;
  });
  return { merges, n };
}

export type CutOptions = { clusters: number } | { height: number };

/**
 * Flat clusters from a dendrogram: into `clusters` groups (undoing the last merges, as SciPy's fcluster 'maxclust'
 * when heights are distinct), or merging only below/at `height` (SciPy's 'distance' criterion). Labels are 1..k,
 * numbered in order of each cluster's first row.
 */
export function cutTree(tree: LinkageResult, options: CutOptions): Int32Array {
  const { merges, n } = tree;
  let applied: number;
  if ('clusters' in options) {
    const k = options.clusters;
    if (!Number.isInteger(k) || k < 1 || k > n)
      throw new RangeError(`clusters must be an integer in 1..${n}, got ${k}`);
    applied = n - k;
  } else {
    applied = 0;
    while (applied < n - 1 && merges[applied * 4 + 2]! <= options.height) applied++;
  }
  const parent = Int32Array.from({ length: 2 * n - 1 }, (_, i) => i);
  const find = (v: number): number => {
    while (parent[v] !== v) v = parent[v] = parent[parent[v]!]!;
    return v;
  };
  for (let i = 0; i < applied; i++) {
    parent[find(merges[i * 4]!)] = n + i;
    parent[find(merges[i * 4 + 1]!)] = n + i;
  }
  const labels = new Int32Array(n);
  const ids = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    if (!ids.has(root)) ids.set(root, ids.size + 1);
    labels[i] = ids.get(root)!;
  }
  return labels;
}
