// bioimage.io model packages (rdf.yaml / bioimageio.yaml, formats 0.4 and 0.5) with ONNX weights: parse the
// description with a schema, apply its declared pre- and post-processing, run it, and check it against the
// package's own test tensors. Spec: https://github.com/bioimage-io/spec-bioimage-io (model descriptions 0.4/0.5).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { percentiles } from '../filter/rescale.ts';
import { fromData } from '../image/image.ts';
import { readNpy } from '../io/npy.ts';
import { openSession, type SessionOptions } from './onnxSession.ts';

const Processing = z.object({
  /** 0.5 uses `id`, 0.4 uses `name`. */
  id: z.string().optional(),
  name: z.string().optional(),
  kwargs: z.record(z.string(), z.unknown()).optional(),
});

const Axis05 = z.object({ type: z.string(), id: z.string().optional() });

const Tensor = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  axes: z.union([z.string(), z.array(Axis05)]),
  preprocessing: z.array(Processing).optional(),
  postprocessing: z.array(Processing).optional(),
  test_tensor: z.object({ source: z.string() }).optional(),
});

const Rdf = z.object({
  name: z.string(),
  format_version: z.string(),
  type: z.literal('model'),
  inputs: z.array(Tensor).min(1),
  outputs: z.array(Tensor).min(1),
  test_inputs: z.array(z.string()).optional(),
  test_outputs: z.array(z.string()).optional(),
  weights: z.object({
    onnx: z.object({ source: z.string(), sha256: z.string().optional() }).optional(),
  }),
});

export type ProcessingStep = z.infer<typeof Processing>;

export interface BioimageModel {
  name: string;
  formatVersion: string;
  /** Folder of the package; relative sources resolve against it. */
  root: string;
  weights: string;
  input: { name: string; axes: string; preprocessing: ProcessingStep[]; testTensor?: string };
  output: { name: string; axes: string; postprocessing: ProcessingStep[]; testTensor?: string };
}

function axesString(axes: string | { type: string; id?: string | undefined }[]): string {
  if (typeof axes === 'string') return axes;
  return axes
    .map((a) => {
      if (a.type === 'batch') return 'b';
      if (a.type === 'channel') return 'c';
      if (a.type === 'index') return 'i';
      // spec 0.5: a space axis without id is 'x', a time axis 't'
      return (a.id ?? (a.type === 'space' ? 'x' : a.type === 'time' ? 't' : a.type))[0];
    })
    .join('');
}

/** Load a bioimage.io model description (a folder, or the path of its rdf.yaml / bioimageio.yaml). */
export async function loadBioimageModel(path: string): Promise<BioimageModel> {
  let file = path;
  if (!/\.ya?ml$/i.test(path)) {
    file =
      ['bioimageio.yaml', 'rdf.yaml'].map((f) => join(path, f)).find((f) => existsSync(f)) ??
      join(path, 'rdf.yaml');
  }
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read model description`, { cause: error });
  }
  const parsed = Rdf.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(
      `${file}: invalid bioimage.io model description at '${issue.path.join('.')}': ${issue.message}`,
    );
  }
  const rdf = parsed.data;
  const names = [...rdf.inputs, ...rdf.outputs].map((t) => t.id ?? t.name);
  if (new Set(names).size !== names.length)
    throw new Error(`${file}: duplicate tensor names ${names.join(', ')}`);
  if (rdf.inputs.length !== 1 || rdf.outputs.length !== 1) {
    throw new Error(`${file}: only single-input, single-output models are supported`);
  }
  if (!rdf.weights.onnx) throw new Error(`${file}: the package has no ONNX weights (only ONNX is supported)`);
  const root = dirname(file);
  const [input, output] = [rdf.inputs[0]!, rdf.outputs[0]!];
  return {
    name: rdf.name,
    formatVersion: rdf.format_version,
    root,
    weights: join(root, rdf.weights.onnx.source),
    input: {
      name: input.id ?? input.name ?? 'input',
      axes: axesString(input.axes),
      preprocessing: input.preprocessing ?? [],
      testTensor: input.test_tensor?.source ?? rdf.test_inputs?.[0],
    },
    output: {
      name: output.id ?? output.name ?? 'output',
      axes: axesString(output.axes),
      postprocessing: output.postprocessing ?? [],
      testTensor: output.test_tensor?.source ?? rdf.test_outputs?.[0],
    },
  };
}

function num(kwargs: Record<string, unknown> | undefined, key: string, fallback: number): number {
  const v = kwargs?.[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number')
    throw new TypeError(`processing kwarg '${key}' must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Apply bioimage.io processing steps in place to one sample (all axes normalised jointly, which is what
 * per-sample `axes: [x, y]` means for a single-channel 2D tensor). Supported: ensure_dtype (float32),
 * zero_mean_unit_variance, scale_range, scale_linear, clip, sigmoid, binarize.
 */
export function applyProcessing(data: Float32Array, steps: readonly ProcessingStep[]): Float32Array {
  for (const step of steps) {
    const id = step.id ?? step.name;
    const kw = step.kwargs;
    switch (id) {
      case 'ensure_dtype': {
        const dtype = kw?.dtype;
        if (dtype !== undefined && dtype !== 'float32')
          throw new Error(`ensure_dtype to ${String(dtype)} is not supported`);
        break;
      }
      case 'zero_mean_unit_variance': {
        const eps = num(kw, 'eps', 1e-6);
        let mean: number;
        let std: number;
        if (kw?.mode === 'fixed' || kw?.mean !== undefined) {
          mean = num(kw, 'mean', 0);
          std = num(kw, 'std', 1);
        } else {
          let s = 0;
          for (let i = 0; i < data.length; i++) s += data[i]!;
          mean = s / data.length;
          let ss = 0;
          for (let i = 0; i < data.length; i++) ss += (data[i]! - mean) ** 2;
          std = Math.sqrt(ss / data.length);
        }
        for (let i = 0; i < data.length; i++) data[i] = (data[i]! - mean) / (std + eps);
        break;
      }
      case 'scale_range': {
        const [lo, hi] = percentiles(fromData(data, data.length, 1), [
          num(kw, 'min_percentile', 0),
          num(kw, 'max_percentile', 100),
        ]) as [number, number];
        const eps = num(kw, 'eps', 1e-6);
        for (let i = 0; i < data.length; i++) data[i] = (data[i]! - lo) / (hi - lo + eps);
        break;
      }
      case 'scale_linear': {
        const gain = num(kw, 'gain', 1);
        const offset = num(kw, 'offset', 0);
        for (let i = 0; i < data.length; i++) data[i] = data[i]! * gain + offset;
        break;
      }
      case 'clip': {
        const min = num(kw, 'min', Number.NEGATIVE_INFINITY);
        const max = num(kw, 'max', Number.POSITIVE_INFINITY);
        for (let i = 0; i < data.length; i++) data[i] = Math.min(max, Math.max(min, data[i]!));
        break;
      }
      case 'sigmoid':
        for (let i = 0; i < data.length; i++) data[i] = 1 / (1 + Math.exp(-data[i]!));
        break;
      case 'binarize': {
        const t = num(kw, 'threshold', 0.5);
        for (let i = 0; i < data.length; i++) data[i] = data[i]! > t ? 1 : 0;
        break;
      }
      default:
        throw new Error(`unsupported bioimage.io processing step '${id}'`);
    }
  }
  return data;
}

/** Run the model on one NCHW sample (N = 1): preprocessing, ONNX inference, postprocessing. */
export async function runBioimageModel(
  model: BioimageModel,
  input: Float32Array,
  dims: readonly [number, number, number, number],
  options: SessionOptions = {},
): Promise<{ data: Float32Array; dims: number[] }> {
  if (model.input.axes !== 'bcyx')
    throw new Error(`${model.name}: input axes '${model.input.axes}' unsupported (need bcyx)`);
  const { session } = await openSession(model.weights, options);
  const { runNCHW } = await import('./onnxSession.ts');
  const pre = applyProcessing(Float32Array.from(input), model.input.preprocessing);
  const out = await runNCHW(session, pre, dims);
  await session.release();
  return { data: applyProcessing(out.data, model.output.postprocessing), dims: out.dims };
}

/** Run the package's test input and compare with its test output; returns the maximum absolute difference. */
export async function checkBioimageModel(
  model: BioimageModel,
  options: SessionOptions = {},
): Promise<number> {
  if (!model.input.testTensor || !model.output.testTensor)
    throw new Error(`${model.name}: the package has no test tensors`);
  const input = await readNpy(join(model.root, model.input.testTensor));
  const expected = await readNpy(join(model.root, model.output.testTensor));
  if (input.shape.length !== 4)
    throw new Error(`${model.name}: test input has shape ${input.shape}, expected 4-D`);
  const out = await runBioimageModel(
    model,
    Float32Array.from(input.data as Float32Array),
    input.shape as [number, number, number, number],
    options,
  );
  const e = expected.data as Float32Array;
  if (out.data.length !== e.length) {
    throw new Error(
      `${model.name}: output has ${out.data.length} values, test output ${e.length} (shape ${expected.shape})`,
    );
  }
  let max = 0;
  for (let i = 0; i < e.length; i++) max = Math.max(max, Math.abs(out.data[i]! - e[i]!));
  return max;
}
