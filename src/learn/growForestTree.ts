// One tree of a random forest (Breiman 2001, "Random Forests", Machine Learning 45:5-32): a bootstrap sample
// drawn from the tree's own seeded stream, then a tree grown with random feature subsets. Shared by the
// in-process path and the worker threads so that a seed gives the same forest for any number of threads.
import type { BinnedFeatures } from './binning.ts';
import { createRng, deriveSeed, type Rng } from './random.ts';
import { growTree, type Tree, type TreeParams, type TreeTargets } from './tree.ts';

export interface ForestTreeJob {
  data: BinnedFeatures;
  targets: TreeTargets;
  /** Per-sample weight from class weights (undefined = 1). */
  classWeight?: Float64Array;
  params: TreeParams;
  bootstrap: boolean;
  seed: number;
}

/** Bootstrap counts of tree `index`: n draws with replacement from the tree's stream (advances `rng`). */
export function bootstrapCounts(rng: Rng, n: number): Int32Array {
  const counts = new Int32Array(n);
  for (let i = 0; i < n; i++) counts[rng.nextInt(n)]!++;
  return counts;
}

/** The generator of tree `index`; its first n draws are the bootstrap sample. */
export function treeRng(seed: number, index: number): Rng {
  return createRng(deriveSeed(seed, index));
}

export function growForestTree(job: ForestTreeJob, index: number): Tree {
  const n = job.data.rows;
  const rng = treeRng(job.seed, index);
  const weight = new Float64Array(n);
  if (job.bootstrap) {
    const counts = bootstrapCounts(rng, n);
    for (let i = 0; i < n; i++) weight[i] = counts[i]! * (job.classWeight?.[i] ?? 1);
  } else {
    for (let i = 0; i < n; i++) weight[i] = job.classWeight?.[i] ?? 1;
  }
  return growTree(job.data, job.targets, weight, job.params, rng);
}
