// Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution for
// tree ensembles", arXiv:1802.03888, Algorithm 2; reference implementation shap/cext/tree_shap.h): per-row
// feature contributions that sum to the forest's prediction minus its expected value. Hand-written: no npm
// package computes SHAP values, and the forest format is our own. Cost per row: O(trees x leaves x depth^2).
import { type FeatureMatrix, featureRows } from './features.ts';
import type { RandomForest } from './randomForest.ts';
import type { Tree } from './tree.ts';

export interface TreeShapOptions {
  /** Rows to explain (indices into the feature matrix). @default every row */
  rows?: ArrayLike<number>;
  /** Explain only this output (class index); otherwise every class (or the regression output). @default undefined */
  output?: number;
  /** Called after each explained row with (done, total). @default undefined */
  onProgress?: (done: number, total: number) => void;
}

export interface ShapValues {
  /** Row-major rows x features x outputs contributions. */
  values: Float64Array;
  /** The expected value per output (mean over trees of the cover-weighted mean leaf value). */
  expected: Float64Array;
  rows: number;
  features: number;
  outputs: number;
}

function treeDepth(tree: Tree): number {
  const depth = new Int32Array(tree.nodeCount);
  let max = 0;
  for (let node = 0; node < tree.nodeCount; node++) {
    if (tree.feature[node]! < 0) continue;
    const d = depth[node]! + 1;
    depth[tree.left[node]!] = d;
    depth[tree.right[node]!] = d;
    if (d > max) max = d;
  }
  return max;
}

/** Cover-weighted mean of the leaf values of a tree, per output (the tree's expected value under TreeSHAP). */
export function treeExpectedValue(tree: Tree): Float64Array {
  const K = tree.outputs;
  const e = new Float64Array(tree.nodeCount * K);
  for (let node = tree.nodeCount - 1; node >= 0; node--) {
    if (tree.feature[node]! < 0) {
      for (let c = 0; c < K; c++) e[node * K + c] = tree.value[node * K + c]!;
    } else {
      const l = tree.left[node]!;
      const r = tree.right[node]!;
      const cl = tree.cover[l]!;
      const cr = tree.cover[r]!;
      for (let c = 0; c < K; c++) e[node * K + c] = (cl * e[l * K + c]! + cr * e[r * K + c]!) / (cl + cr);
    }
  }
  return e.slice(0, K);
}

/**
 * TreeSHAP of one tree for one row, added (times `scale`) to `phi` (features x outputs). `outputs` lists the
 * tree outputs to explain. Paths are kept in preallocated arrays, one segment per recursion depth.
 */
export function treeShapRow(
  tree: Tree,
  columns: readonly Float32Array[],
  row: number,
  phi: Float64Array,
  outputs: readonly number[],
  scale: number,
  workspace?: { depth: number; d: Int32Array; z: Float64Array; o: Float64Array; w: Float64Array },
): void {
  const maxDepth = workspace?.depth ?? treeDepth(tree);
  const S = maxDepth + 2;
  const size = (S * (S + 1)) / 2;
  const pd = workspace?.d ?? new Int32Array(size);
  const pz = workspace?.z ?? new Float64Array(size);
  const po = workspace?.o ?? new Float64Array(size);
  const pw = workspace?.w ?? new Float64Array(size);
  const K = tree.outputs;
  const nOut = outputs.length;

  // Path elements live at [offset, offset + length); a child's segment starts right after its parent's.
  const extend = (off: number, len: number, zero: number, one: number, index: number) => {
    pd[off + len] = index;
    pz[off + len] = zero;
    po[off + len] = one;
    pw[off + len] = len === 0 ? 1 : 0;
    for (let i = len - 1; i >= 0; i--) {
      pw[off + i + 1]! += (one * pw[off + i]! * (i + 1)) / (len + 1);
      pw[off + i] = (zero * pw[off + i]! * (len - i)) / (len + 1);
    }
  };
  const unwind = (off: number, len: number, i: number) => {
    // len = number of elements; removes element i in place.
    const l = len - 1;
    const one = po[off + i]!;
    const zero = pz[off + i]!;
    let next = pw[off + l]!;
    for (let j = l - 1; j >= 0; j--) {
      if (one !== 0) {
        const t = pw[off + j]!;
        pw[off + j] = (next * (l + 1)) / ((j + 1) * one);
        next = t - (pw[off + j]! * zero * (l - j)) / (l + 1);
      } else {
        pw[off + j] = (pw[off + j]! * (l + 1)) / (zero * (l - j));
      }
    }
    for (let j = i; j < l; j++) {
      pd[off + j] = pd[off + j + 1]!;
      pz[off + j] = pz[off + j + 1]!;
      po[off + j] = po[off + j + 1]!;
    }
  };
  const unwoundSum = (off: number, len: number, i: number): number => {
    const l = len - 1;
    const one = po[off + i]!;
    const zero = pz[off + i]!;
    let next = pw[off + l]!;
    let total = 0;
    for (let j = l - 1; j >= 0; j--) {
      if (one !== 0) {
        const t = (next * (l + 1)) / ((j + 1) * one);
        total += t;
        next = pw[off + j]! - (t * zero * (l - j)) / (l + 1);
      } else {
        total += pw[off + j]! / zero / ((l - j) / (l + 1));
      }
    }
    return total;
  };

  const recurse = (
    node: number,
    off: number,
    parentLen: number,
    zero: number,
    one: number,
    index: number,
  ) => {
    // Copy the parent's path into this segment, then extend it.
    const parentOff = off - parentLen;
    for (let i = 0; i < parentLen; i++) {
      pd[off + i] = pd[parentOff + i]!;
      pz[off + i] = pz[parentOff + i]!;
      po[off + i] = po[parentOff + i]!;
      pw[off + i] = pw[parentOff + i]!;
    }
    extend(off, parentLen, zero, one, index);
    let len = parentLen + 1;
    const f = tree.feature[node]!;
    if (f < 0) {
      for (let i = 1; i < len; i++) {
        const w = unwoundSum(off, len, i) * (po[off + i]! - pz[off + i]!) * scale;
        const base = pd[off + i]! * nOut;
        for (let c = 0; c < nOut; c++) phi[base + c]! += w * tree.value[node * K + outputs[c]!]!;
      }
      return;
    }
    const goLeft = columns[f]![row]! <= tree.threshold[node]!;
    const hot = goLeft ? tree.left[node]! : tree.right[node]!;
    const cold = goLeft ? tree.right[node]! : tree.left[node]!;
    let iz = 1;
    let io = 1;
    for (let k = 1; k < len; k++) {
      if (pd[off + k] === f) {
        iz = pz[off + k]!;
        io = po[off + k]!;
        unwind(off, len, k);
        len--;
        break;
      }
    }
    const cover = tree.cover[node]!;
    recurse(hot, off + len, len, (iz * tree.cover[hot]!) / cover, io, f);
    recurse(cold, off + len, len, (iz * tree.cover[cold]!) / cover, 0, f);
  };
  recurse(0, 0, 0, 1, 1, -1);
}

/** TreeSHAP values of a forest: the mean over trees of each tree's exact path-dependent Shapley values. */
export function treeShap(
  forest: RandomForest,
  features: FeatureMatrix,
  options: TreeShapOptions = {},
): ShapValues {
  const p = forest.featureNames.length;
  if (features.columns.length !== p) {
    throw new RangeError(`features: ${features.columns.length} columns given, the model has ${p}`);
  }
  const n = featureRows(features);
  const rows = options.rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const K = forest.task === 'regression' ? 1 : forest.classes.length;
  if (
    options.output !== undefined &&
    !(Number.isInteger(options.output) && options.output >= 0 && options.output < K)
  ) {
    throw new RangeError(`output must be a class index in 0..${K - 1}, got ${options.output}`);
  }
  const outputs = options.output === undefined ? Array.from({ length: K }, (_, c) => c) : [options.output];
  const nOut = outputs.length;
  const T = forest.trees.length;
  const scale = 1 / T;
  const expected = new Float64Array(nOut);
  const workspaces = forest.trees.map((tree) => {
    const e = treeExpectedValue(tree);
    outputs.forEach((o, c) => {
      expected[c]! += e[o]! * scale;
    });
    const depth = treeDepth(tree);
    const S = depth + 2;
    const size = (S * (S + 1)) / 2;
    return {
      depth,
      d: new Int32Array(size),
      z: new Float64Array(size),
      o: new Float64Array(size),
      w: new Float64Array(size),
    };
  });
  const values = new Float64Array(rows.length * p * nOut);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (!(row >= 0 && row < n)) throw new RangeError(`rows: index ${row} outside 0..${n - 1}`);
    const phi = values.subarray(r * p * nOut, (r + 1) * p * nOut);
    forest.trees.forEach((tree, t) => {
      treeShapRow(tree, features.columns, row, phi, outputs, scale, workspaces[t]);
    });
    options.onProgress?.(r + 1, rows.length);
  }
  return { values, expected, rows: rows.length, features: p, outputs: nOut };
}
