// Random forest classifier and regressor (Breiman 2001, "Random Forests", Machine Learning 45:5-32) grown on
// per-feature quantile bins with histogram split search (Ke et al. 2017, LightGBM; scikit-learn's
// HistGradientBoosting binning), multi-threaded over trees with worker_threads sharing the binned data.
// Defaults follow scikit-learn 1.2's RandomForestClassifier/Regressor. Hand-written: npm `ml-random-forest` is
// quadratic in the number of samples.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { siblingModule, workerBootstrap } from '../runtime/workerCode.ts';
import { binFeatures } from './binning.ts';
import { checkFinite, type FeatureMatrix, featureRows } from './features.ts';
import { bootstrapCounts, type ForestTreeJob, growForestTree, treeRng } from './growForestTree.ts';
import type { Tree, TreeParams } from './tree.ts';
import { leafOf } from './tree.ts';

export interface RandomForestOptions {
  /** Number of trees. @default 100 */
  trees?: number;
  /**
   * Features tried at each split: 'sqrt' or 'log2' of their number, or a fraction in (0, 1].
   * @default 'sqrt' for classification, 1 (all features) for regression, as scikit-learn 1.2
   */
  maxFeatures?: 'sqrt' | 'log2' | number;
  /** Deepest node (root = depth 0). @default Infinity */
  maxDepth?: number;
  /** Fewest samples a node needs to be split. @default 2 */
  minSamplesSplit?: number;
  /** Fewest samples in a leaf. @default 1 */
  minSamplesLeaf?: number;
  /** Grow each tree on a bootstrap sample (otherwise on all samples). @default true */
  bootstrap?: boolean;
  /**
   * Class weights (classification): 'balanced' = n / (classes * count of the class), as scikit-learn, or an
   * explicit weight per class label. @default undefined (all 1)
   */
  classWeight?: 'balanced' | Readonly<Record<string, number>>;
  /** Compute the out-of-bag score (accuracy, or R^2 for regression); needs bootstrap. @default false */
  oobScore?: boolean;
  /** Seed: the same seed gives the same forest for any number of threads. @default 0 */
  seed?: number;
  /**
   * Worker threads (1 = in this thread). @default os.availableParallelism(), or 1 when rows x trees < 2,000,000
   */
  threads?: number;
  /** Quantile bins per feature (2..256). @default 255 */
  maxBins?: number;
  /** Called after each tree with (trees done, total). @default undefined */
  onProgress?: (done: number, total: number) => void;
}

export interface RandomForest {
  task: 'classification' | 'regression';
  featureNames: string[];
  /** Class labels, sorted (classification); empty for regression. */
  classes: string[];
  trees: Tree[];
  /** The options the forest was trained with (for provenance). */
  params: {
    trees: number;
    maxFeatures: number;
    maxDepth: number | null;
    minSamplesSplit: number;
    minSamplesLeaf: number;
    bootstrap: boolean;
    classWeight: Record<string, number> | null;
    seed: number;
    maxBins: number;
  };
  /** Out-of-bag accuracy (classification) or R^2 (regression), when requested. */
  oobScore?: number;
  /** Number of training samples. */
  samples: number;
}

function resolveMaxFeatures(
  option: RandomForestOptions['maxFeatures'],
  p: number,
  regression: boolean,
): number {
  const v = option ?? (regression ? 1 : 'sqrt');
  if (v === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(p)));
  if (v === 'log2') return Math.max(1, Math.floor(Math.log2(p)));
  if (typeof v !== 'number' || !(v > 0 && v <= 1)) {
    throw new RangeError(`maxFeatures must be 'sqrt', 'log2' or a fraction in (0, 1], got ${String(v)}`);
  }
  return Math.max(1, Math.floor(v * p));
}

function positiveInt(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

/** Train a random forest classifier on string labels (one per row). */
export async function trainRandomForestClassifier(
  features: FeatureMatrix,
  labels: readonly string[],
  options: RandomForestOptions = {},
): Promise<RandomForest> {
  const n = featureRows(features);
  if (labels.length !== n) throw new RangeError(`labels: ${labels.length} labels for ${n} feature rows`);
  const classes = [...new Set(labels)].sort();
  if (classes.length < 2) {
    throw new RangeError(
      `labels: need at least 2 classes to train a classifier, got ${classes.length} (${classes.join(', ')})`,
    );
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  const classIndex = new Int32Array(new SharedArrayBuffer(4 * n));
  const counts = new Float64Array(classes.length);
  for (let i = 0; i < n; i++) {
    const c = index.get(labels[i]!)!;
    classIndex[i] = c;
    counts[c]!++;
  }
  let weights: Record<string, number> | null = null;
  if (options.classWeight === 'balanced') {
    weights = Object.fromEntries(classes.map((c, i) => [c, n / (classes.length * counts[i]!)]));
  } else if (options.classWeight) {
    weights = {};
    for (const c of classes) {
      const w = options.classWeight[c] ?? 1;
      if (!(w >= 0 && Number.isFinite(w))) throw new RangeError(`classWeight['${c}'] must be >= 0, got ${w}`);
      weights[c] = w;
    }
  }
  let classWeight: Float64Array | undefined;
  if (weights) {
    classWeight = new Float64Array(new SharedArrayBuffer(8 * n));
    const w = classes.map((c) => weights[c]!);
    for (let i = 0; i < n; i++) classWeight[i] = w[classIndex[i]!]!;
  }
  return train(features, { classIndex }, classes, classWeight, weights, options);
}

/** Train a random forest regressor on a numeric target (one per row). */
export async function trainRandomForestRegressor(
  features: FeatureMatrix,
  target: ArrayLike<number>,
  options: RandomForestOptions = {},
): Promise<RandomForest> {
  const n = featureRows(features);
  if (target.length !== n) throw new RangeError(`target: ${target.length} values for ${n} feature rows`);
  const value = new Float64Array(new SharedArrayBuffer(8 * n));
  for (let i = 0; i < n; i++) {
    const v = target[i]!;
    if (!Number.isFinite(v)) throw new RangeError(`target: non-finite value ${v} at row ${i}`);
    value[i] = v;
  }
  if (options.classWeight) throw new RangeError('classWeight applies to classification only');
  return train(features, { value }, [], undefined, null, options);
}

async function train(
  features: FeatureMatrix,
  targets: ForestTreeJob['targets'],
  classes: string[],
  classWeight: Float64Array | undefined,
  weights: Record<string, number> | null,
  options: RandomForestOptions,
): Promise<RandomForest> {
  const n = featureRows(features);
  const p = features.columns.length;
  if (n < 2) throw new RangeError(`features: need at least 2 rows to train, got ${n}`);
  if (p < 1) throw new RangeError('features: no feature columns');
  checkFinite(features);
  const regression = classes.length === 0;
  const trees = positiveInt('trees', options.trees ?? 100);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  if (!(maxDepth >= 1)) throw new RangeError(`maxDepth must be >= 1, got ${maxDepth}`);
  const maxBins = options.maxBins ?? 255;
  const bootstrap = options.bootstrap ?? true;
  if (options.oobScore && !bootstrap) throw new RangeError('oobScore needs bootstrap');
  const params: TreeParams = {
    task: regression ? 'regression' : 'classification',
    classes: Math.max(1, classes.length),
    maxFeatures: resolveMaxFeatures(options.maxFeatures, p, regression),
    maxDepth,
    minSamplesSplit: positiveInt('minSamplesSplit', options.minSamplesSplit ?? 2, 2),
    minSamplesLeaf: positiveInt('minSamplesLeaf', options.minSamplesLeaf ?? 1),
  };
  const data = binFeatures(features.columns, { maxBins, seed });
  const job: ForestTreeJob = { data, targets, params, bootstrap, seed };
  if (classWeight) job.classWeight = classWeight;
  // Small jobs run in this thread by default: starting a worker costs ~0.3 s, more than growing their trees.
  const small = n * trees < 2_000_000;
  const threads = Math.min(
    trees,
    positiveInt('threads', options.threads ?? (small ? 1 : availableParallelism())),
  );

  const grown: Tree[] = new Array(trees);
  if (threads === 1) {
    for (let t = 0; t < trees; t++) {
      grown[t] = growForestTree(job, t);
      options.onProgress?.(t + 1, trees);
    }
  } else {
    await growInWorkers(job, trees, threads, grown, options.onProgress);
  }

  const forest: RandomForest = {
    task: params.task,
    featureNames: [...features.names],
    classes,
    trees: grown,
    params: {
      trees,
      maxFeatures: params.maxFeatures,
      maxDepth: Number.isFinite(maxDepth) ? maxDepth : null,
      minSamplesSplit: params.minSamplesSplit,
      minSamplesLeaf: params.minSamplesLeaf,
      bootstrap,
      classWeight: weights,
      seed,
      maxBins,
    },
    samples: n,
  };
  if (options.oobScore) forest.oobScore = outOfBagScore(forest, features, targets);
  return forest;
}

async function growInWorkers(
  job: ForestTreeJob,
  trees: number,
  threads: number,
  out: Tree[],
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const code = workerBootstrap(siblingModule('forestWorker', import.meta.url));
  let done = 0;
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: threads }, (_, w) => {
        const indices: number[] = [];
        for (let t = w; t < trees; t += threads) indices.push(t);
        const worker = new Worker(code, { eval: true });
        workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.on('message', (message: { index?: number; tree?: Tree; done?: boolean; error?: string }) => {
            if (message.error) reject(new Error(`random forest worker: ${message.error}`));
            else if (message.done) resolve();
            else if (message.tree && message.index !== undefined) {
              out[message.index] = message.tree;
              onProgress?.(++done, trees);
            }
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`random forest worker exited with code ${code}`));
          });
          worker.postMessage({ job, indices });
        });
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function checkColumns(forest: RandomForest, features: FeatureMatrix): void {
  if (features.columns.length !== forest.featureNames.length) {
    throw new RangeError(
      `features: ${features.columns.length} columns given, the model was trained on ${forest.featureNames.length}`,
    );
  }
}

/** Mean of the trees' leaf values per row: class probabilities (rows x classes) or the regression estimate. */
export function predictForest(forest: RandomForest, features: FeatureMatrix): Float64Array {
  checkColumns(forest, features);
  const n = featureRows(features);
  const K = forest.task === 'regression' ? 1 : forest.classes.length;
  const out = new Float64Array(n * K);
  for (const tree of forest.trees) {
    for (let i = 0; i < n; i++) {
      const leaf = leafOf(tree, features.columns, i);
      for (let c = 0; c < K; c++) out[i * K + c]! += tree.value[leaf * K + c]!;
    }
  }
  const scale = 1 / forest.trees.length;
  for (let i = 0; i < out.length; i++) out[i]! *= scale;
  return out;
}

/** Class probabilities, row-major rows x classes (the mean of the trees' probabilities, as scikit-learn). */
export function predictProba(forest: RandomForest, features: FeatureMatrix): Float64Array {
  if (forest.task !== 'classification') throw new TypeError('predictProba needs a classification forest');
  return predictForest(forest, features);
}

/** Index of the largest value in each row of a rows x k matrix (first on ties, as numpy's argmax). */
export function argmaxRows(values: Float64Array, k: number): Int32Array {
  const n = values.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (values[i * k + c]! > values[i * k + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** Predicted class label per row (classification) . */
export function predictClasses(forest: RandomForest, features: FeatureMatrix): string[] {
  const proba = predictProba(forest, features);
  return Array.from(argmaxRows(proba, forest.classes.length), (c) => forest.classes[c]!);
}

/** Out-of-bag score: each training row predicted by the trees whose bootstrap left it out. */
function outOfBagScore(
  forest: RandomForest,
  features: FeatureMatrix,
  targets: ForestTreeJob['targets'],
): number {
  const n = featureRows(features);
  const K = forest.task === 'regression' ? 1 : forest.classes.length;
  const sum = new Float64Array(n * K);
  const votes = new Int32Array(n);
  forest.trees.forEach((tree, t) => {
    const counts = bootstrapCounts(treeRng(forest.params.seed, t), n);
    for (let i = 0; i < n; i++) {
      if (counts[i]! > 0) continue;
      const leaf = leafOf(tree, features.columns, i);
      for (let c = 0; c < K; c++) sum[i * K + c]! += tree.value[leaf * K + c]!;
      votes[i]!++;
    }
  });
  let used = 0;
  if (forest.task === 'classification') {
    const predicted = argmaxRows(sum, K);
    let correct = 0;
    for (let i = 0; i < n; i++) {
      if (votes[i] === 0) continue;
      used++;
      if (predicted[i] === targets.classIndex![i]) correct++;
    }
    return used > 0 ? correct / used : Number.NaN;
  }
  const y = targets.value!;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    if (votes[i]! === 0) continue;
    mean += y[i]!;
    used++;
  }
  mean /= used;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    if (votes[i] === 0) continue;
    const e = y[i]! - sum[i]! / votes[i]!;
    ssRes += e * e;
    ssTot += (y[i]! - mean) ** 2;
  }
  return used > 0 ? 1 - ssRes / ssTot : Number.NaN;
}
