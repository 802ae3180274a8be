// Retrospective illumination correction as CellProfiler's CorrectIlluminationCalculate ('Regular' intensity,
// 'All' images, smoothing by a Gaussian or median filter of a given size, rescaled) and CorrectIlluminationApply
// ('Divide') define it (cellprofiler/modules/correctilluminationcalculate.py). Combination of fields is a
// streaming mean (any number of fields in constant memory) or a per-pixel median of a bounded subsample.
import { gaussian } from '../filter/gaussian.ts';
import { median as medianFilter } from '../filter/median.ts';
import { fromData, type Image, maxValueOf } from '../image/image.ts';

export interface IlluminationOptions {
  /** How fields are combined: per-pixel mean or median. @default 'mean' */
  method?: 'mean' | 'median';
  /** Smoothing of the combined image. @default 'gaussian' */
  smoothing?: 'gaussian' | 'median' | 'none';
  /** Filter size, pixels (Gaussian sigma = size / 2.35 as CellProfiler; median: square window side). @default 50 */
  size?: number;
}

/** Accumulates fields of one plate and channel into an illumination function. */
export class IlluminationAccumulator {
  private readonly sum: Float64Array;
  private readonly stack: Float32Array[] = [];
  private count = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly options: IlluminationOptions = {},
  ) {
    this.sum = new Float64Array(width * height);
  }

  /** Add one single-channel field (intensities scaled to [0, 1] by the type's maximum, as CellProfiler). */
  add(image: Image): void {
    if (image.channels !== 1 || image.width !== this.width || image.height !== this.height) {
      throw new RangeError(
        `illumination: fields must be ${this.width}x${this.height} with 1 channel, got ${image.width}x${image.height}x${image.channels}`,
      );
    }
    const scale = 1 / maxValueOf(image);
    const d = image.data;
    if ((this.options.method ?? 'mean') === 'median') {
      this.stack.push(Float32Array.from(d, (v) => v * scale));
    } else {
      for (let i = 0; i < d.length; i++) this.sum[i]! += d[i]! * scale;
    }
    this.count++;
  }

  get fields(): number {
    return this.count;
  }

  /** The smoothed illumination function, divided by its median so corrected images keep their brightness. */
  result(): Float32Array {
    if (this.count === 0) throw new RangeError('illumination: no field was added');
    const n = this.width * this.height;
    const combined = new Float32Array(n);
    if ((this.options.method ?? 'mean') === 'median') {
      const column = new Float32Array(this.count);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < this.count; k++) column[k] = this.stack[k]![i]!;
        column.sort();
        const m = this.count >> 1;
        combined[i] = this.count % 2 ? column[m]! : (column[m - 1]! + column[m]!) / 2;
      }
    } else {
      for (let i = 0; i < n; i++) combined[i] = this.sum[i]! / this.count;
    }
    return smoothAndRescale(combined, this.width, this.height, this.options);
  }
}

/** Smooth a combined image and divide it by its median (values below a tiny floor are lifted to it). */
export function smoothAndRescale(
  combined: Float32Array,
  width: number,
  height: number,
  options: IlluminationOptions = {},
): Float32Array {
  const size = options.size ?? 50;
  if (!(size > 0)) throw new RangeError(`illumination: size must be > 0, got ${size}`);
  const smoothing = options.smoothing ?? 'gaussian';
  let out: Float32Array;
  const image = fromData(combined, width, height);
  if (smoothing === 'gaussian') out = gaussian(image, { sigma: size / 2.35 }).data;
  else if (smoothing === 'median') {
    const radius = Math.max(1, Math.floor(size / 2));
    out = medianFilter(image, { footprint: { shape: 'square', radius } }).data;
  } else out = Float32Array.from(combined);
  const sorted = Float32Array.from(out).sort();
  const med = sorted[sorted.length >> 1]!;
  if (!(med > 0))
    throw new RangeError('illumination: the combined image is black (median 0); cannot correct');
  const floor = med * 1e-3;
  for (let i = 0; i < out.length; i++) out[i] = Math.max(out[i]!, floor) / med;
  return out;
}

/**
 * CorrectIlluminationApply 'Divide': a float32 image in [0, 1] units (the type's maximum = 1) divided by the
 * illumination function.
 */
export function applyIllumination(image: Image, illumination: Float32Array): Image<'float32'> {
  if (image.channels !== 1 || illumination.length !== image.width * image.height) {
    throw new RangeError(
      `illumination: function has ${illumination.length} pixels but the image is ${image.width}x${image.height}x${image.channels}`,
    );
  }
  const scale = 1 / maxValueOf(image);
  const d = image.data;
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = (d[i]! * scale) / illumination[i]!;
  return fromData(out, image.width, image.height);
}
