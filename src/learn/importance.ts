// Global feature importance of a random forest: mean decrease in impurity (MDI; Breiman 2001, as scikit-learn's
// `feature_importances_`) and permutation importance (Breiman 2001, sec. 10; as scikit-learn's
// `permutation_importance`: the drop in score when one feature's values are shuffled, seeded).
import { type FeatureMatrix, featureRows } from './features.ts';
import { createRng } from './random.ts';
import { argmaxRows, predictForest, type RandomForest } from './randomForest.ts';

/** Impurity-based importance per feature, summing to 1 (each tree normalised, then the mean normalised). */
export function impurityImportance(forest: RandomForest): Float64Array {
  const p = forest.featureNames.length;
  const total = new Float64Array(p);
  const perTree = new Float64Array(p);
  for (const tree of forest.trees) {
    perTree.fill(0);
    for (let node = 0; node < tree.nodeCount; node++) {
      const f = tree.feature[node]!;
      if (f < 0) continue;
      const l = tree.left[node]!;
      const r = tree.right[node]!;
      perTree[f]! +=
        tree.cover[node]! * tree.impurity[node]! -
        tree.cover[l]! * tree.impurity[l]! -
        tree.cover[r]! * tree.impurity[r]!;
    }
    let sum = 0;
    for (let f = 0; f < p; f++) sum += perTree[f]!;
    if (sum > 0) for (let f = 0; f < p; f++) total[f]! += perTree[f]! / sum;
  }
  let sum = 0;
  for (let f = 0; f < p; f++) sum += total[f]!;
  if (sum > 0) for (let f = 0; f < p; f++) total[f]! /= sum;
  return total;
}

export interface PermutationImportanceOptions {
  /** Shuffles per feature. @default 5 */
  repeats?: number;
  /** Seed of the shuffles. @default 0 */
  seed?: number;
}

export interface PermutationImportance {
  /** Mean drop in score (accuracy, or R^2 for regression) per feature. */
  mean: Float64Array;
  /** Standard deviation of the drop over repeats (population, as numpy's default). */
  std: Float64Array;
  /** Score on the unshuffled data. */
  baseline: number;
}

/** Accuracy of a classification forest against labels, or R^2 of a regression forest against targets. */
export function forestScore(
  forest: RandomForest,
  features: FeatureMatrix,
  truth: readonly string[] | ArrayLike<number>,
): number {
  const n = featureRows(features);
  const out = predictForest(forest, features);
  if (forest.task === 'classification') {
    const predicted = argmaxRows(out, forest.classes.length);
    let correct = 0;
    for (let i = 0; i < n; i++) if (forest.classes[predicted[i]!] === String(truth[i])) correct++;
    return correct / n;
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += Number(truth[i]);
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    const y = Number(truth[i]);
    ssRes += (y - out[i]!) ** 2;
    ssTot += (y - mean) ** 2;
  }
  return 1 - ssRes / ssTot;
}

/** Permutation importance of every feature on labelled data. */
export function permutationImportance(
  forest: RandomForest,
  features: FeatureMatrix,
  truth: readonly string[] | ArrayLike<number>,
  options: PermutationImportanceOptions = {},
): PermutationImportance {
  const { repeats = 5, seed = 0 } = options;
  const n = featureRows(features);
  if (truth.length !== n) throw new RangeError(`truth: ${truth.length} values for ${n} rows`);
  const baseline = forestScore(forest, features, truth);
  const rng = createRng(seed);
  const p = features.columns.length;
  const mean = new Float64Array(p);
  const std = new Float64Array(p);
  const columns = [...features.columns];
  for (let f = 0; f < p; f++) {
    const original = features.columns[f]!;
    const shuffled = Float32Array.from(original);
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      for (let i = n - 1; i > 0; i--) {
        const j = rng.nextInt(i + 1);
        const t = shuffled[i]!;
        shuffled[i] = shuffled[j]!;
        shuffled[j] = t;
      }
      columns[f] = shuffled;
      drops.push(baseline - forestScore(forest, { names: features.names, columns }, truth));
    }
    columns[f] = original;
    const m = drops.reduce((a, b) => a + b, 0) / repeats;
    mean[f] = m;
    std[f] = Math.sqrt(drops.reduce((a, b) => a + (b - m) ** 2, 0) / repeats);
  }
  return { mean, std, baseline };
}
