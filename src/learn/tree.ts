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
 *
 * Speed: the bins are row-major, so one pass over a node's samples fills the histograms of all the features drawn
 * for the node from one or two cache lines per sample; the node's sample indices stay sorted (stable partition),
 * so memory is read in increasing address order.
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
  const F = Math.max(1, Math.min(p, params.maxFeatures));

  let m0 = 0;
  for (let i = 0; i < n; i++) if (weight[i]! > 0) m0++;
  // Sample index, weight and target by position; partitioning moves the three together, so the histogram loops
  // read weights and targets sequentially.
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
  // Scratch for the stable partition (right-hand samples).
  const tmpIdx = new Int32Array(m0);
  const tmpW = new Float64Array(m0);
  const tmpC = new Int32Array(regression ? 0 : m0);
  const tmpV = new Float64Array(regression ? m0 : 0);

  const store = new NodeStore(Math.max(16, Math.min(2 * m0 + 1, 1 << 16)), K);
  const perm = Int32Array.from({ length: p }, (_, f) => f);
  const drawn = new Int32Array(p);
  // Histograms of up to F features at once: per (feature slot, bin) K weighted class sums (or the weighted target
  // sum), the weight and the sample count; `touched` lists the non-empty bins of each slot.
  const hist = new Float64Array(F * 256 * K);
  const histW = new Float64Array(F * 256);
  const cnt = new Int32Array(F * 256);
  const touched = new Int32Array(F * 256);
  const nTouched = new Int32Array(F);
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

  let bestProxy = -Infinity;
  let bestFeature = -1;
  let bestBin = -1;

  /** Fill the histograms of features drawn[from..to) (slots 0..) over samples [start, end). */
  const fillHistograms = (from: number, to: number, start: number, end: number) => {
    const count = to - from;
    const small = end - start < SMALL_NODE;
    nTouched.fill(0, 0, count);
    for (let i = start; i < end; i++) {
      const base = idx[i]! * p;
      const w = wPos[i]!;
      const target = regression ? vPos[i]! : cPos[i]!;
      for (let q = 0; q < count; q++) {
        const slot = q * 256 + bins[base + drawn[from + q]!]!;
        if (cnt[slot]!++ === 0 && small) touched[q * 256 + nTouched[q]!++] = slot - q * 256;
        histW[slot]! += w;
        if (regression) hist[slot]! += w * target;
        else hist[slot * K + target]! += w;
      }
    }
    for (let q = 0; q < count; q++) {
      const o = q * 256;
      if (small) {
        const nt = nTouched[q]!;
        for (let a = o + 1; a < o + nt; a++) {
          const v = touched[a]!;
          let r = a - 1;
          while (r >= o && touched[r]! > v) {
            touched[r + 1] = touched[r]!;
            r--;
          }
          touched[r + 1] = v;
        }
      } else {
        const nb = edges[drawn[from + q]!]!.length + 1;
        let nt = 0;
        for (let b = 0; b < nb; b++) if (cnt[o + b]! > 0) touched[o + nt++] = b;
        nTouched[q] = nt;
      }
    }
  };

  /** Scan the split points of slot q (feature f); returns whether the feature is non-constant. Clears the slot. */
  const scan = (q: number, f: number, m: number, W: number): boolean => {
    const o = q * 256;
    const nt = nTouched[q]!;
    if (nt > 1) {
      left.fill(0);
      let cl = 0;
      let wl = 0;
      for (let t = 0; t < nt - 1; t++) {
        const b = touched[o + t]!;
        const slot = o + b;
        cl += cnt[slot]!;
        wl += histW[slot]!;
        if (regression) left[0]! += hist[slot]!;
        else for (let c = 0; c < K; c++) left[c]! += hist[slot * K + c]!;
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
    for (let t = 0; t < nt; t++) {
      const slot = o + touched[o + t]!;
      cnt[slot] = 0;
      histW[slot] = 0;
      if (regression) hist[slot] = 0;
      else for (let c = 0; c < K; c++) hist[slot * K + c] = 0;
    }
    return nt > 1;
  };

  /** Draw the j-th feature of this node: step j of a Fisher-Yates shuffle of the persistent permutation. */
  const draw = (j: number) => {
    const r = j + rng.nextInt(p - j);
    const f = perm[r]!;
    perm[r] = perm[j]!;
    perm[j] = f;
    drawn[j] = f;
  };

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

    // Draw F features (partial Fisher-Yates over a persistent permutation) and evaluate them in one pass; if all
    // are constant in this node, keep drawing one at a time (scikit-learn's rule).
    bestProxy = -Infinity;
    bestFeature = -1;
    bestBin = -1;
    for (let j = 0; j < F; j++) draw(j);
    fillHistograms(0, F, start, end);
    let nonConstant = 0;
    for (let q = 0; q < F; q++) if (scan(q, drawn[q]!, m, W)) nonConstant++;
    for (let j = F; j < p && nonConstant === 0; j++) {
      draw(j);
      fillHistograms(j, j + 1, start, end);
      if (scan(0, drawn[j]!, m, W)) nonConstant++;
    }
    if (bestFeature < 0) continue;

    // Stable partition of the node's samples: bin <= bestBin to the left, order kept on both sides.
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const k = idx[i]!;
      if (bins[k * p + bestFeature]! <= bestBin) {
        idx[l] = k;
        wPos[l] = wPos[i]!;
        if (regression) vPos[l] = vPos[i]!;
        else cPos[l] = cPos[i]!;
        l++;
      } else {
        tmpIdx[r] = k;
        tmpW[r] = wPos[i]!;
        if (regression) tmpV[r] = vPos[i]!;
        else tmpC[r] = cPos[i]!;
        r++;
      }
    }
    idx.set(tmpIdx.subarray(0, r), l);
    wPos.set(tmpW.subarray(0, r), l);
    if (regression) vPos.set(tmpV.subarray(0, r), l);
    else cPos.set(tmpC.subarray(0, r), l);
    store.feature[node] = bestFeature;
    store.threshold[node] = edges[bestFeature]![bestBin]!;
    push(l, end, depth + 1, node, 1);
    push(start, l, depth + 1, node, 0);
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
