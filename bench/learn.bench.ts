// Random forest training: 100,000 samples x 100 features x 100 trees (scikit-learn make_classification, seed 0,
// 4 classes; 20,000 more rows held out), ours vs scikit-learn's RandomForestClassifier(n_estimators=100) with the
// same number of threads (2). The peer also checks the acceptance rule on accuracy: ours within 1% of sklearn's
// held-out accuracy (it exits non-zero otherwise) and appends both to bench/results/learn_accuracy.jsonl.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy } from '../src/io/npy.ts';
import type { FeatureMatrix } from '../src/learn/features.ts';
import { predictClasses, type RandomForest, trainRandomForestClassifier } from '../src/learn/randomForest.ts';
import type { Benchmark } from './harness.ts';

const THREADS = 2;
const DIR = join(tmpdir(), 'phenoscope-bench-learn');
const PEER = 'bench/peers/learn_random_forest.py';

interface Context {
  train: FeatureMatrix;
  labels: string[];
  test: FeatureMatrix;
  testLabels: string[];
  accuracy?: number;
}

async function columns(path: string): Promise<FeatureMatrix> {
  const x = await readNpy(path);
  const [n, p] = x.shape as [number, number];
  const data = x.data as Float32Array;
  const cols = Array.from({ length: p }, () => new Float32Array(n));
  for (let i = 0; i < n; i++) for (let f = 0; f < p; f++) cols[f]![i] = data[i * p + f]!;
  return { names: cols.map((_, f) => `f${f}`), columns: cols };
}

async function setup(): Promise<Context> {
  if (!existsSync(join(DIR, 'y_test.npy'))) {
    const r = spawnSync('/usr/bin/python3', [PEER, 'generate', DIR], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${PEER} generate failed: ${r.stderr}`);
  }
  const labels = async (name: string) =>
    Array.from((await readNpy(join(DIR, name))).data as Int32Array, String);
  return {
    train: await columns(join(DIR, 'x_train.npy')),
    labels: await labels('y_train.npy'),
    test: await columns(join(DIR, 'x_test.npy')),
    testLabels: await labels('y_test.npy'),
  };
}

export const benchmarks: Benchmark<Context>[] = [
  {
    name: 'random forest train 100k x 100 features x 100 trees (2 threads)',
    setup,
    repeats: 1,
    run: (c) => trainRandomForestClassifier(c.train, c.labels, { trees: 100, threads: THREADS, seed: 0 }),
    check: (result, c) => {
      const predicted = predictClasses(result as RandomForest, c.test);
      c.accuracy = predicted.filter((p, i) => p === c.testLabels[i]).length / predicted.length;
      console.log(`(held-out accuracy ${c.accuracy.toFixed(4)})`);
    },
    peer: (c) => ({
      name: 'scikit-learn RandomForestClassifier n_jobs=2',
      script: PEER,
      args: ['fit', DIR, String(THREADS), String(c.accuracy ?? Number.NaN)],
    }),
  },
];
