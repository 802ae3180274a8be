// ONNX Runtime sessions (onnxruntime-node): CPU always; CUDA when the machine has an NVIDIA device and the
// runtime was built with it (never required). The session object is onnxruntime's own.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { InferenceSession } from 'onnxruntime-node';

export interface SessionOptions {
  /** 'auto' tries CUDA when /dev/nvidia0 exists, falling back to CPU. @default 'auto' */
  device?: 'auto' | 'cpu' | 'cuda';
  /** Intra-op threads for the CPU provider. @default os.availableParallelism() */
  threads?: number;
}

export interface LoadedSession {
  session: InferenceSession;
  /** The execution provider actually used. */
  device: 'cpu' | 'cuda';
}

/** Open an ONNX model from a file path or bytes; errors name the model. */
export async function openSession(
  model: string | Uint8Array,
  options: SessionOptions = {},
): Promise<LoadedSession> {
  const ort = await import('onnxruntime-node');
  const name = typeof model === 'string' ? model : 'ONNX model bytes';
  const device = options.device ?? 'auto';
  const base: InferenceSession.SessionOptions = {
    intraOpNumThreads: options.threads ?? availableParallelism(),
    graphOptimizationLevel: 'all',
  };
  const create = (providers: string[]) =>
    typeof model === 'string'
      ? ort.InferenceSession.create(model, { ...base, executionProviders: providers })
      : ort.InferenceSession.create(model, { ...base, executionProviders: providers });
  if (device === 'cuda' || (device === 'auto' && existsSync('/dev/nvidia0'))) {
    try {
      return { session: await create(['cuda', 'cpu']), device: 'cuda' };
    } catch (error) {
      if (device === 'cuda')
        throw new Error(`${name}: cannot use the CUDA execution provider`, { cause: error });
    }
  }
  try {
    return { session: await create(['cpu']), device: 'cpu' };
  } catch (error) {
    throw new Error(`${name}: cannot load ONNX model`, { cause: error });
  }
}

/** Run a single-input, single-output model on an NCHW float32 tensor; returns data and dims of the output. */
export async function runNCHW(
  session: InferenceSession,
  data: Float32Array,
  dims: readonly [number, number, number, number],
  inputName = session.inputNames[0]!,
  outputName = session.outputNames[0]!,
): Promise<{ data: Float32Array; dims: number[] }> {
  const ort = await import('onnxruntime-node');
  const result = await session.run({ [inputName]: new ort.Tensor('float32', data, [...dims]) });
  const out = result[outputName];
  if (!out) throw new Error(`model produced no output named '${outputName}'`);
  if (out.type !== 'float32')
    throw new Error(`model output '${outputName}' is ${out.type}, expected float32`);
  return { data: out.data as Float32Array, dims: [...out.dims] };
}
