// Decision trees grown on binned features with histogram split search (CART, Breiman et al. 1984; histogram
// splits as in LightGBM, Ke et al. 2017, and scikit-learn's HistGradientBoosting): Gini impurity for
// classification, squared error for regression, weighted samples (bootstrap counts x class weights). Hand-written:
// the npm `ml-random-forest` sorts at every node and is quadratic (37 s for 10 trees on 4,000 samples).
import type { BinnedFeatures } from './binning.ts';
import type { Rng } from './random.ts';

/** A fitted binary tree in flat arrays (node 0 is the root; children come after their parent). */
export interface Tree {
  nodeCount: number;
  /** Values per node: the number of classes (class probabilities) or 1 (regression mean). */
  outputs: number;
  /** Split feature per node, -1 at leaves. */
  feature: Int32Array;
  /** Samples with `x <= threshold` go left. */
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** `nodeCount * outputs` values: weighted class fractions, or the weighted mean target. */
  value: Float64Array;
  /** Weighted number of training samples reaching the node (bootstrap counts x class weights). */
  cover: Float64Array;
  /** Gini impurity or variance of the node's training samples. */
  impurity: Float64Array;
}

export interface TreeParams {
  /** 'classification' (targets are class indices) or 'regression'. */
  task: 'classification' | 'regression';
  /** Number of classes (classification); 1 for regression. */
  classes: number;
  /** Features drawn at each node (without replacement; constant ones do not count until one is not). */
  maxFeatures: number;
  /** Deepest allowed node (root = 0). */
  maxDepth: number;
  /** Smallest number of (distinct in-bag) samples a node needs to be split. */
  minSamplesSplit: number;
  /** Smallest number of samples in each child. */
  minSamplesLeaf: number;
}

export interface TreeTargets {
  /** Class index per sample (classification). */
  classIndex?: Int32Array;
  /** Target per sample (regression). */
  value?: Float64Array;
}

const EPSILON = 2.220446049250313e-16; // as scikit-learn: a node at or below this impurity is pure
const SMALL_NODE = 64; // below this many samples, sort the touched bins instead of scanning all of them

/** Growable node arrays. */
class NodeStore {
  count = 0;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  cover: Float64Array;
  impurity: Float64Array;
  constructor(
    private capacity: number,
    readonly outputs: number,
  ) {
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.value = new Float64Array(capacity * outputs);
    this.cover = new Float64Array(capacity);
    this.impurity = new Float64Array(capacity);
  }
  add(): number {
    if (this.count === this.capacity) {
      const c = this.capacity * 2;
      const grow = <T extends Int32Array | Float64Array>(a: T, size: number): T => {
        const b = new (a.constructor as new (n: number) => T)(size);
        b.set(a);
        return b;
      };
      this.feature = grow(this.feature, c);
      this.threshold = grow(this.threshold, c);
      this.left = grow(this.left, c);
      this.right = grow(this.right, c);
      this.value = grow(this.value, c * this.outputs);
      this.cover = grow(this.cover, c);
      this.impurity = grow(this.impurity, c);
      this.capacity = c;
    }
    const id = this.count++;
    this.feature[id] = -1;
    this.left[id] = -1;
    this.right[id] = -1;
    return id;
  }
  finish(): Tree {
    const n = this.count;
    return {
      nodeCount: n,
      outputs: this.outputs,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      value: this.value.slice(0, n * this.outputs),
      cover: this.cover.slice(0, n),
      impurity: this.impurity.slice(0, n),
    };
  }
}

/**
 * Grow one tree depth-first on the samples with positive weight. `weight[i]` multiplies sample i (0 = not used),
 * `rng` draws the features tried at each node. Allocation happens once per tree, not per node.
 */
export function growTree(
  data: BinnedFeatures,
  targets: TreeTargets,
  weight: Float64Array,
  params: TreeParams,
  rng: Rng,
): Tree {
  const { rows: n, features: p, bins, edges } = data;
  const regression = params.task === 'regression';
  const K = regression ? 1 : params.classes;
  const yc = targets.classIndex;
  const yv = targets.value;
  if (regression ? !yv : !yc) throw new TypeError(`growTree: ${params.task} needs its targets`);
  const minLeaf = Math.max(1, params.minSamplesLeaf);
  const minSplit = Math.max(2, params.minSamplesSplit, 2 * minLeaf);

  let m0 = 0;
  for (let i = 0; i < n; i++) if (weight[i]! > 0) m0++;
  // Sample index, weight and target by position; partitioning permutes the three together, so the histogram
  // loops read weights and targets sequentially and only the feature bins at random.
  const idx = new Int32Array(m0);
  const wPos = new Float64Array(m0);
  const cPos = new Int32Array(regression ? 0 : m0);
  const vPos = new Float64Array(regression ? m0 : 0);
  for (let i = 0, j = 0; i < n; i++) {
    if (weight[i]! > 0) {
      idx[j] = i;
      wPos[j] = weight[i]!;
      if (regression) vPos[j] = yv![i]!;
      else cPos[j] = yc![i]!;
      j++;
    }
  }

  const store = new NodeStore(Math.max(16, Math.min(2 * m0 + 1, 1 << 16)), K);
  const perm = Int32Array.from({ length: p }, (_, f) => f);
  // Histograms: per bin, K weighted class sums (or 1 weighted target sum), weighted count, sample count.
  const hist = new Float64Array(256 * K);
  const histW = new Float64Array(256);
  const cnt = new Int32Array(256);
  const touched = new Int32Array(256);
  const tot = new Float64Array(K);
  const left = new Float64Array(K);

  // Explicit stack of pending nodes: start, end, depth, parent, side (0 left, 1 right).
  let stack = new Int32Array(5 * 64);
  let top = 0;
  const push = (start: number, end: number, depth: number, parent: number, side: number) => {
    if (top + 5 > stack.length) {
      const s = new Int32Array(stack.length * 2);
      s.set(stack);
      stack = s;
    }
    stack[top++] = start;
    stack[top++] = end;
    stack[top++] = depth;
    stack[top++] = parent;
    stack[top++] = side;
  };
  push(0, m0, 0, -1, 0);

  while (top > 0) {
    top -= 5;
    const start = stack[top]!;
    const end = stack[top + 1]!;
    const depth = stack[top + 2]!;
    const parent = stack[top + 3]!;
    const side = stack[top + 4]!;
    const node = store.add();
    if (parent >= 0) (side === 0 ? store.left : store.right)[parent] = node;
    const m = end - start;

    // Node statistics.
    tot.fill(0);
    let W = 0;
    let impurity: number;
    if (regression) {
      let s = 0;
      let s2 = 0;
      for (let i = start; i < end; i++) {
        const w = wPos[i]!;
        const y = vPos[i]!;
        W += w;
        s += w * y;
        s2 += w * y * y;
      }
      tot[0] = s;
      const mean = s / W;
      impurity = Math.max(0, s2 / W - mean * mean);
      store.value[node] = mean;
    } else {
      for (let i = start; i < end; i++) {
        const w = wPos[i]!;
        tot[cPos[i]!]! += w;
        W += w;
      }
      let sq = 0;
      for (let c = 0; c < K; c++) {
        const f = tot[c]! / W;
        store.value[node * K + c] = f;
        sq += f * f;
      }
      impurity = 1 - sq;
    }
    store.cover[node] = W;
    store.impurity[node] = impurity;
    if (m < minSplit || depth >= params.maxDepth || impurity <= EPSILON) continue;

    // Split search over randomly drawn features.
    let bestProxy = -Infinity;
    let bestFeature = -1;
    let bestBin = -1;
    let visited = 0;
    let nonConstant = 0;
    for (let j = 0; j < p; j++) {
      if (visited >= params.maxFeatures && nonConstant > 0) break;
      const r = j + rng.nextInt(p - j);
      const f = perm[r]!;
      perm[r] = perm[j]!;
      perm[j] = f;
      visited++;
      const off = f * n;
      const nb = edges[f]!.length + 1;
      let nt = 0;
      // Accumulate the histogram.
      const small = m < SMALL_NODE;
      if (regression) {
        for (let i = start; i < end; i++) {
          const b = bins[off + idx[i]!]!;
          const w = wPos[i]!;
          if (cnt[b]!++ === 0 && small) touched[nt++] = b;
          histW[b]! += w;
          hist[b]! += w * vPos[i]!;
        }
      } else {
        for (let i = start; i < end; i++) {
          const b = bins[off + idx[i]!]!;
          const w = wPos[i]!;
          if (cnt[b]!++ === 0 && small) touched[nt++] = b;
          histW[b]! += w;
          hist[b * K + cPos[i]!]! += w;
        }
      }
      if (small) {
        for (let a = 1; a < nt; a++) {
          const v = touched[a]!;
          let q = a - 1;
          while (q >= 0 && touched[q]! > v) {
            touched[q + 1] = touched[q]!;
            q--;
          }
          touched[q + 1] = v;
        }
      } else {
        for (let b = 0; b < nb; b++) if (cnt[b]! > 0) touched[nt++] = b;
      }
      if (nt > 1) {
        nonConstant++;
        // Scan split points between consecutive non-empty bins.
        left.fill(0);
        let cl = 0;
        let wl = 0;
        for (let t = 0; t < nt - 1; t++) {
          const b = touched[t]!;
          cl += cnt[b]!;
          wl += histW[b]!;
          if (regression) left[0]! += hist[b]!;
          else for (let c = 0; c < K; c++) left[c]! += hist[b * K + c]!;
          if (cl < minLeaf) continue;
          if (m - cl < minLeaf) break;
          const wr = W - wl;
          if (wl <= 0 || wr <= 0) continue;
          let proxy: number;
          if (regression) {
            const sl = left[0]!;
            const sr = tot[0]! - sl;
            proxy = (sl * sl) / wl + (sr * sr) / wr;
          } else {
            let sqL = 0;
            let sqR = 0;
            for (let c = 0; c < K; c++) {
              const l = left[c]!;
              const rr = tot[c]! - l;
              sqL += l * l;
              sqR += rr * rr;
            }
            proxy = sqL / wl + sqR / wr;
          }
          if (proxy > bestProxy) {
            bestProxy = proxy;
            bestFeature = f;
            bestBin = b;
          }
        }
      }
      // Clear what was touched.
      for (let t = 0; t < nt; t++) {
        const b = touched[t]!;
        cnt[b] = 0;
        histW[b] = 0;
        if (regression) hist[b] = 0;
        else for (let c = 0; c < K; c++) hist[b * K + c] = 0;
      }
    }
    if (bestFeature < 0) continue;

    // Partition the node's samples in place: bin <= bestBin to the left.
    const off = bestFeature * n;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      const k = idx[i]!;
      if (bins[off + k]! <= bestBin) i++;
      else {
        idx[i] = idx[j]!;
        idx[j] = k;
        const w = wPos[i]!;
        wPos[i] = wPos[j]!;
        wPos[j] = w;
        if (regression) {
          const v = vPos[i]!;
          vPos[i] = vPos[j]!;
          vPos[j] = v;
        } else {
          const c = cPos[i]!;
          cPos[i] = cPos[j]!;
          cPos[j] = c;
        }
        j--;
      }
    }
    store.feature[node] = bestFeature;
    store.threshold[node] = edges[bestFeature]![bestBin]!;
    push(i, end, depth + 1, node, 1);
    push(start, i, depth + 1, node, 0);
  }
  return store.finish();
}

/** Index of the leaf reached by row `row` of the columnar features. */
export function leafOf(tree: Tree, columns: readonly Float32Array[], row: number): number {
  let node = 0;
  const { feature, threshold, left, right } = tree;
  for (;;) {
    const f = feature[node]!;
    if (f < 0) return node;
    node = columns[f]![row]! <= threshold[node]! ? left[node]! : right[node]!;
  }
}
