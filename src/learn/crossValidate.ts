// k-fold cross-validation of the random forest classifier: stratified folds (each class dealt round-robin over
// the folds after a seeded shuffle, as scikit-learn's StratifiedKFold with shuffle) or leave-one-group-out
// (e.g. leave-one-compound-out), with out-of-fold predictions, accuracy and the confusion matrix.
import { type FeatureMatrix, featureRows, selectFeatureRows } from './features.ts';
import { createRng } from './random.ts';
import { predictClasses, type RandomForestOptions, trainRandomForestClassifier } from './randomForest.ts';

export interface CrossValidateOptions extends RandomForestOptions {
  /** Number of stratified folds (ignored when `groups` is given). @default 5 */
  folds?: number;
  /** A group per row: each group is held out in turn (leave-one-group-out). @default undefined */
  groups?: readonly string[];
}

export interface CrossValidation {
  classes: string[];
  /** `confusion[t][p]`: rows of true class t predicted as p. */
  confusion: number[][];
  accuracy: number;
  /** Accuracy of each fold (or held-out group). */
  foldAccuracy: number[];
  /** Out-of-fold prediction per row. */
  predicted: string[];
}

/** Fold index per row: stratified by label, seeded. */
export function stratifiedFolds(labels: readonly string[], folds: number, seed = 0): Int32Array {
  const byClass = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const list = byClass.get(l) ?? [];
    list.push(i);
    byClass.set(l, list);
  });
  const rng = createRng(seed);
  const fold = new Int32Array(labels.length);
  let next = 0;
  for (const key of [...byClass.keys()].sort()) {
    const rows = byClass.get(key)!;
    for (let i = rows.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    for (const r of rows) fold[r] = next++ % folds; // continue the round-robin across classes
  }
  return fold;
}

/** Cross-validated accuracy and confusion matrix of a random forest classifier. */
export async function crossValidate(
  features: FeatureMatrix,
  labels: readonly string[],
  options: CrossValidateOptions = {},
): Promise<CrossValidation> {
  const n = featureRows(features);
  if (labels.length !== n) throw new RangeError(`labels: ${labels.length} labels for ${n} rows`);
  const classes = [...new Set(labels)].sort();
  if (classes.length < 2) throw new RangeError(`labels: need at least 2 classes, got ${classes.length}`);
  let fold: Int32Array;
  let folds: number;
  if (options.groups) {
    if (options.groups.length !== n)
      throw new RangeError(`groups: ${options.groups.length} groups for ${n} rows`);
    const names = [...new Set(options.groups)].sort();
    const index = new Map(names.map((g, i) => [g, i]));
    fold = Int32Array.from(options.groups, (g) => index.get(g)!);
    folds = names.length;
  } else {
    folds = options.folds ?? 5;
    if (!Number.isInteger(folds) || folds < 2 || folds > n) {
      throw new RangeError(`folds must be an integer in 2..${n} (rows), got ${folds}`);
    }
    fold = stratifiedFolds(labels, folds, options.seed ?? 0);
  }
  const predicted: string[] = new Array(n).fill('');
  const foldAccuracy: number[] = [];
  for (let k = 0; k < folds; k++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === k ? test : train).push(i);
    if (test.length === 0) continue;
    const trainLabels = train.map((i) => labels[i]!);
    if (new Set(trainLabels).size < 2) {
      throw new RangeError(
        `fold ${k}: its training rows hold a single class; use fewer folds or more labels`,
      );
    }
    const forest = await trainRandomForestClassifier(
      selectFeatureRows(features, train),
      trainLabels,
      options,
    );
    const p = predictClasses(forest, selectFeatureRows(features, test));
    let correct = 0;
    test.forEach((row, j) => {
      predicted[row] = p[j]!;
      if (p[j] === labels[row]) correct++;
    });
    foldAccuracy.push(correct / test.length);
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  const confusion = classes.map(() => new Array<number>(classes.length).fill(0));
  let correct = 0;
  for (let i = 0; i < n; i++) {
    confusion[index.get(labels[i]!)!]![index.get(predicted[i]!)!]!++;
    if (predicted[i] === labels[i]) correct++;
  }
  return { classes, confusion, accuracy: correct / n, foldAccuracy, predicted };
}
