// Phenoscope's default nuclei CNN (models/nuclei-unet, trained by scripts/train/train_nuclei_unet.py on DSB 2018
// training images): input normalisation, tiled ONNX inference and 3-class instance post-processing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { percentiles } from '../filter/rescale.ts';
import type { Image } from '../image/image.ts';
import { labelsFromThreeClass, type ThreeClassOptions } from './instances.ts';
import { openSession, runNCHW, type SessionOptions } from './onnxSession.ts';
import { predictTiled, type TileOptions } from './tiledInference.ts';

/** The committed default model. */
export const DEFAULT_NUCLEI_MODEL = fileURLToPath(
  new URL('../../models/nuclei-unet/weights.onnx', import.meta.url),
);

/**
 * The training normalisation: x = (v - p1) / (p99.8 - p1); inverted (1 - x) when the median exceeds 0.5, i.e.
 * a bright background (brightfield, H&E), so that nuclei are always bright.
 */
export function normalizeForNucleiModel(image: Image): Float32Array {
  if (image.channels !== 1)
    throw new RangeError(`nuclei model needs a single-channel image, got ${image.channels} channels`);
  const d = image.data;
  // numpy.percentile (linear), exactly as the training script computes it; a counting pass for 8/16-bit images
  const [lo, hi, median] = percentiles(image, [1, 99.8, 50]) as [number, number, number];
  const scale = 1 / Math.max(hi - lo, 1e-6);
  const invert = (median - lo) * scale > 0.5;
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const v = (d[i]! - lo) * scale;
    out[i] = invert ? 1 - v : v;
  }
  return out;
}

/**
 * Tiles of up to 544 x 544 with 64 pixels of overlap: a 1024 x 1024 field is 4 model runs (1.18 Mpixel fed to the
 * network) instead of 9 of 384 x 384 (1.33 Mpixel). On the 2-core CPU a warm call takes 650 ms against 720 ms
 * for 384 (one 1024 x 1024 tile: 600 ms, but its first run in a fresh process allocates more), with the same
 * F1@0.5, AP@0.5 and mean AP on the training run's validation fluorescence images within 0.002 (0.889 / 0.801 /
 * 0.560 for 384, 0.890 / 0.802 / 0.559 for 544, 0.888 / 0.799 / 0.558 for 1024; deep_val_split.ts).
 */
export const DEFAULT_CNN_TILE = { tileSize: 544, overlap: 64 } as const;

/** Options of `segmentNucleiCnn`; `tileSize` and `overlap` default to `DEFAULT_CNN_TILE`. */
export interface CnnNucleiOptions extends ThreeClassOptions, Omit<TileOptions, 'divisor'>, SessionOptions {
  /** ONNX model path. @default the committed models/nuclei-unet/weights.onnx */
  model?: string;
  /**
   * Test-time augmentation: average the probabilities over the 4 mirror images (none, x, y, both), which
   * costs 4 model runs and evens out orientation-dependent errors. @default false
   */
  tta?: boolean;
}

export interface CnnNucleiResult {
  labels: Image<'uint32'>;
  count: number;
  /** Per-pixel class probabilities (background, interior, boundary), 3 x height x width. */
  probabilities: Float32Array;
  device: 'cpu' | 'cuda';
}

/** Segment nuclei in a single-channel image with the 3-class U-Net. */
export async function segmentNucleiCnn(
  image: Image,
  options: CnnNucleiOptions = {},
): Promise<CnnNucleiResult> {
  const modelPath = options.model ?? DEFAULT_NUCLEI_MODEL;
  if (!existsSync(modelPath)) throw new Error(`${modelPath}: model file not found`);
  const { session, device } = await cachedSession(modelPath, options);
  const input = normalizeForNucleiModel(image);
  const { width: w, height: h } = image;
  const predict = (x: Float32Array) =>
    predictTiled(x, w, h, (tile, dims) => runNCHW(session, tile, dims), {
      ...options,
      divisor: 8,
      tileSize: options.tileSize ?? DEFAULT_CNN_TILE.tileSize,
      overlap: options.overlap ?? DEFAULT_CNN_TILE.overlap,
    });
  const first = await predict(input);
  const data = first.data;
  const channels = first.channels;
  if (options.tta) {
    for (const [fx, fy] of [
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const flipped = await predict(mirror(input, w, h, 1, fx, fy));
      const back = mirror(flipped.data, w, h, flipped.channels, fx, fy);
      for (let i = 0; i < data.length; i++) data[i] = data[i]! + back[i]!;
    }
    for (let i = 0; i < data.length; i++) data[i] = data[i]! / 4;
  }
  if (channels !== 3) throw new Error(`${modelPath}: expected 3 output classes, got ${channels}`);
  const n = image.width * image.height;
  const labels = labelsFromThreeClass(
    data.subarray(n, 2 * n),
    data.subarray(2 * n, 3 * n),
    image.width,
    image.height,
    options,
  );
  let count = 0;
  for (let i = 0; i < n; i++) if (labels.data[i]! > count) count = labels.data[i]!;
  return { labels, count, probabilities: data, device };
}

const sessions = new Map<string, ReturnType<typeof openSession>>();

/** One ONNX session per (model, device, threads), kept for the life of the process: creating one costs ~0.2 s. */
function cachedSession(model: string, options: SessionOptions) {
  const key = `${model}|${options.device ?? 'auto'}|${options.threads ?? ''}`;
  let session = sessions.get(key);
  if (!session) {
    session = openSession(model, options);
    sessions.set(key, session);
    session.catch(() => sessions.delete(key));
  }
  return session;
}

/** Mirror a C x h x w array in x and/or y (its own inverse). */
function mirror(data: Float32Array, w: number, h: number, c: number, fx: boolean, fy: boolean): Float32Array {
  const out = new Float32Array(data.length);
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < h; y++) {
      const sy = fy ? h - 1 - y : y;
      for (let x = 0; x < w; x++)
        out[ch * w * h + y * w + x] = data[ch * w * h + sy * w + (fx ? w - 1 - x : x)]!;
    }
  }
  return out;
}
