// Random forest models as versioned JSON: node arrays are stored as base64 little-endian typed arrays (exact
// float64 thresholds, ~10x smaller than number lists), validated with a zod schema on load; every error names the
// file. Format 'phenoscope.random-forest' version 1.
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { RandomForest } from './randomForest.ts';
import type { Tree } from './tree.ts';

export const MODEL_FORMAT = 'phenoscope.random-forest';
export const MODEL_VERSION = 1;

const treeSchema = z.object({
  nodeCount: z.number().int().positive(),
  outputs: z.number().int().positive(),
  feature: z.string(),
  threshold: z.string(),
  left: z.string(),
  right: z.string(),
  value: z.string(),
  cover: z.string(),
  impurity: z.string(),
});

const modelSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_VERSION),
  task: z.enum(['classification', 'regression']),
  featureNames: z.array(z.string()).min(1),
  classes: z.array(z.string()),
  samples: z.number().int().nonnegative(),
  oobScore: z.number().optional(),
  params: z.object({
    trees: z.number().int().positive(),
    maxFeatures: z.number().int().positive(),
    maxDepth: z.number().int().positive().nullable(),
    minSamplesSplit: z.number().int(),
    minSamplesLeaf: z.number().int(),
    bootstrap: z.boolean(),
    classWeight: z.record(z.string(), z.number()).nullable(),
    seed: z.number().int(),
    maxBins: z.number().int(),
  }),
  trees: z.array(treeSchema).min(1),
});

function encode(a: Int32Array | Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function decode<T extends Int32Array | Float64Array>(
  text: string,
  Type: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
  where: string,
): T {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== length * Type.BYTES_PER_ELEMENT) {
    throw new RangeError(`${where}: ${bytes.length} bytes, expected ${length * Type.BYTES_PER_ELEMENT}`);
  }
  const copy = new Uint8Array(bytes); // aligned copy
  return new Type(copy.buffer);
}

/** The model as a JSON-ready object. */
export function forestToJson(forest: RandomForest): z.infer<typeof modelSchema> {
  const out: z.infer<typeof modelSchema> = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    task: forest.task,
    featureNames: forest.featureNames,
    classes: forest.classes,
    samples: forest.samples,
    params: forest.params,
    trees: forest.trees.map((t) => ({
      nodeCount: t.nodeCount,
      outputs: t.outputs,
      feature: encode(t.feature),
      threshold: encode(t.threshold),
      left: encode(t.left),
      right: encode(t.right),
      value: encode(t.value),
      cover: encode(t.cover),
      impurity: encode(t.impurity),
    })),
  };
  if (forest.oobScore !== undefined) out.oobScore = forest.oobScore;
  return out;
}

/** Parse and check a model object (`name` is used in errors, e.g. the file path). */
export function forestFromJson(json: unknown, name = 'model'): RandomForest {
  const parsed = modelSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `${name}: not a valid ${MODEL_FORMAT} v${MODEL_VERSION} model: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  const m = parsed.data;
  const K = m.task === 'classification' ? m.classes.length : 1;
  if (m.task === 'classification' && K < 2)
    throw new Error(`${name}: a classification model needs >= 2 classes`);
  const p = m.featureNames.length;
  const trees: Tree[] = m.trees.map((t, i) => {
    const where = `${name}: trees.${i}`;
    const n = t.nodeCount;
    if (t.outputs !== K) throw new Error(`${where}: ${t.outputs} outputs, expected ${K}`);
    const tree: Tree = {
      nodeCount: n,
      outputs: K,
      feature: decode(t.feature, Int32Array, n, `${where}.feature`),
      threshold: decode(t.threshold, Float64Array, n, `${where}.threshold`),
      left: decode(t.left, Int32Array, n, `${where}.left`),
      right: decode(t.right, Int32Array, n, `${where}.right`),
      value: decode(t.value, Float64Array, n * K, `${where}.value`),
      cover: decode(t.cover, Float64Array, n, `${where}.cover`),
      impurity: decode(t.impurity, Float64Array, n, `${where}.impurity`),
    };
    // Structure: children after their parent (so traversal terminates), features in range.
    for (let node = 0; node < n; node++) {
      const f = tree.feature[node]!;
      if (f < 0) continue;
      const l = tree.left[node]!;
      const r = tree.right[node]!;
      if (f >= p || l <= node || r <= node || l >= n || r >= n) {
        throw new Error(`${where}: node ${node} is malformed (feature ${f}, children ${l}, ${r})`);
      }
    }
    return tree;
  });
  const forest: RandomForest = {
    task: m.task,
    featureNames: m.featureNames,
    classes: m.classes,
    trees,
    params: m.params,
    samples: m.samples,
  };
  if (m.oobScore !== undefined) forest.oobScore = m.oobScore;
  return forest;
}

export async function writeForest(path: string, forest: RandomForest): Promise<void> {
  await writeFile(path, JSON.stringify(forestToJson(forest)));
}

export async function readForest(path: string): Promise<RandomForest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read the model file`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: model file is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  return forestFromJson(json, path);
}
