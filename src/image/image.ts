/**
 * The typed image model every Phenoscope module works on.
 *
 * An `Image<D>` is a plain object: pixel type `dtype`, `width`, `height`, `channels`, and one typed array
 * `data` holding the channels planar (channel-major, then row-major): pixel (x, y) of channel c is
 * `data[c * width * height + y * width + x]`. Planar layout lets `channelOf` return a single channel as a
 * view without copying, which is what segmentation and measurement need most often.
 *
 * Label images are `Image<'uint32'>` (or `'int32'`), 0 = background, object k = k.
 */

/** Pixel types supported everywhere. */
export type DType = 'uint8' | 'uint16' | 'uint32' | 'int32' | 'float32' | 'float64';

/** The typed array that stores pixels of type `D`. */
export type TypedArrayFor<D extends DType> = D extends 'uint8'
  ? Uint8Array
  : D extends 'uint16'
    ? Uint16Array
    : D extends 'uint32'
      ? Uint32Array
      : D extends 'int32'
        ? Int32Array
        : D extends 'float32'
          ? Float32Array
          : D extends 'float64'
            ? Float64Array
            : never;

export type AnyTypedArray = TypedArrayFor<DType>;

/** Physical size of one pixel, when the file says so. */
export interface PixelSize {
  readonly x: number;
  readonly y: number;
  /** Unit of `x` and `y`, e.g. `'µm'`. @default 'µm' */
  readonly unit: string;
}

export interface Image<D extends DType = DType> {
  readonly dtype: D;
  readonly width: number;
  readonly height: number;
  /** Number of channels (planes) stored planar in `data`. */
  readonly channels: number;
  readonly data: TypedArrayFor<D>;
  /** Physical pixel size when known from the file (OME-XML, TIFF resolution, Zarr scale). */
  readonly pixelSize?: PixelSize | undefined;
  /** Channel names (length `channels`) when known. */
  readonly channelNames?: readonly string[] | undefined;
  /**
   * Significant bits per sample when the file states fewer than the container holds (12-bit camera data in
   * uint16). Used to scale intensities to [0, 1] the way CellProfiler does. @default bits of `dtype`
   */
  readonly bitDepth?: number | undefined;
}

/** A label image: 0 is background, k > 0 is object k. */
export type LabelImage = Image<'uint32'> | Image<'int32'>;

const CONSTRUCTORS = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/** Bits per sample of each pixel type. */
export const DTYPE_BITS: Readonly<Record<DType, number>> = {
  uint8: 8,
  uint16: 16,
  uint32: 32,
  int32: 32,
  float32: 32,
  float64: 64,
};

/** Largest number of pixels (per channel) Phenoscope will allocate: 2^31 (e.g. 46,340 x 46,340). */
export const MAX_PIXELS = 2 ** 31;

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && Object.hasOwn(CONSTRUCTORS, value);
}

/** Allocate a zeroed typed array for `length` pixels of type `dtype`. */
export function allocate<D extends DType>(dtype: D, length: number): TypedArrayFor<D> {
  return new CONSTRUCTORS[dtype](length) as TypedArrayFor<D>;
}

/** The pixel type of a typed array. */
export function dtypeOf(data: AnyTypedArray): DType {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  throw new TypeError(`unsupported typed array: ${Object.prototype.toString.call(data)}`);
}

/** Throw a RangeError unless `width` x `height` x `channels` is a sane, allocatable image size. */
export function checkDimensions(width: number, height: number, channels = 1, what = 'image'): void {
  for (const [name, v] of [
    ['width', width],
    ['height', height],
    ['channels', channels],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 1)
      throw new RangeError(`${what}: ${name} must be a positive integer, got ${v}`);
  }
  if (width * height > MAX_PIXELS || width * height * channels > MAX_PIXELS * 4) {
    throw new RangeError(
      `${what}: ${width} x ${height} x ${channels} pixels exceeds the limit of ${MAX_PIXELS} pixels per plane`,
    );
  }
}

export interface CreateImageOptions {
  /** @default 1 */
  channels?: number;
  pixelSize?: PixelSize | undefined;
  channelNames?: readonly string[] | undefined;
  bitDepth?: number | undefined;
}

/** A new zero-filled image. */
export function createImage<D extends DType>(
  dtype: D,
  width: number,
  height: number,
  options: CreateImageOptions = {},
): Image<D> {
  const channels = options.channels ?? 1;
  checkDimensions(width, height, channels);
  return fromData(allocate(dtype, width * height * channels), width, height, {
    ...options,
    channels,
  }) as unknown as Image<D>;
}

/** Wrap an existing typed array (no copy) as an image; checks that its length matches. */
export function fromData<A extends AnyTypedArray>(
  data: A,
  width: number,
  height: number,
  options: CreateImageOptions = {},
): Image<DTypeOfArray<A>> {
  const channels = options.channels ?? 1;
  checkDimensions(width, height, channels);
  if (data.length !== width * height * channels) {
    throw new RangeError(
      `image data has ${data.length} samples but ${width} x ${height} x ${channels} needs ${width * height * channels}`,
    );
  }
  if (options.channelNames && options.channelNames.length !== channels) {
    throw new RangeError(`${options.channelNames.length} channel names given for ${channels} channels`);
  }
  const image: Image = {
    dtype: dtypeOf(data),
    width,
    height,
    channels,
    data,
    ...(options.pixelSize ? { pixelSize: options.pixelSize } : {}),
    ...(options.channelNames ? { channelNames: [...options.channelNames] } : {}),
    ...(options.bitDepth ? { bitDepth: options.bitDepth } : {}),
  };
  return image as Image<DTypeOfArray<A>>;
}

/** The `DType` of a typed array type. */
export type DTypeOfArray<A> = A extends Uint8Array
  ? 'uint8'
  : A extends Uint16Array
    ? 'uint16'
    : A extends Uint32Array
      ? 'uint32'
      : A extends Int32Array
        ? 'int32'
        : A extends Float32Array
          ? 'float32'
          : A extends Float64Array
            ? 'float64'
            : DType;

/** Channel `c` as a single-channel image sharing `image.data` (no copy). */
export function channelOf<D extends DType>(image: Image<D>, c: number): Image<D> {
  if (!Number.isInteger(c) || c < 0 || c >= image.channels) {
    throw new RangeError(`channel ${c} out of range: image has ${image.channels} channel(s)`);
  }
  const n = image.width * image.height;
  const name = image.channelNames?.[c];
  return {
    dtype: image.dtype,
    width: image.width,
    height: image.height,
    channels: 1,
    data: image.data.subarray(c * n, (c + 1) * n) as TypedArrayFor<D>,
    ...(image.pixelSize ? { pixelSize: image.pixelSize } : {}),
    ...(name !== undefined ? { channelNames: [name] } : {}),
    ...(image.bitDepth ? { bitDepth: image.bitDepth } : {}),
  };
}

/** Channel by name (case-sensitive); throws naming the available channels when absent. */
export function channelByName<D extends DType>(image: Image<D>, name: string): Image<D> {
  const index = image.channelNames?.indexOf(name) ?? -1;
  if (index < 0) {
    throw new RangeError(
      `no channel named '${name}'; available: ${image.channelNames?.join(', ') || '(unnamed channels)'}`,
    );
  }
  return channelOf(image, index);
}

/** Stack single-channel images of equal size and type into one multi-channel image (copies). */
export function stackChannels<D extends DType>(
  planes: readonly Image<D>[],
  channelNames?: readonly string[],
): Image<D> {
  const first = planes[0];
  if (!first) throw new RangeError('stackChannels: no planes given');
  const n = first.width * first.height;
  const total = planes.reduce((s, p) => s + p.channels, 0);
  const data = allocate(first.dtype, n * total);
  let offset = 0;
  for (const p of planes) {
    if (p.width !== first.width || p.height !== first.height || p.dtype !== first.dtype) {
      throw new RangeError(
        `stackChannels: plane ${p.width}x${p.height} ${p.dtype} differs from ${first.width}x${first.height} ${first.dtype}`,
      );
    }
    (data as AnyTypedArray).set(p.data as ArrayLike<number> & AnyTypedArray, offset);
    offset += p.data.length;
  }
  const names =
    channelNames ??
    (planes.every((p) => p.channelNames) ? planes.flatMap((p) => p.channelNames ?? []) : undefined);
  return fromData(data, first.width, first.height, {
    channels: total,
    pixelSize: first.pixelSize,
    channelNames: names,
    bitDepth: first.bitDepth,
  }) as unknown as Image<D>;
}

/** Pixel value at (x, y) of channel c. Bounds-checked; for tight loops index `data` directly. */
export function getPixel(image: Image, x: number, y: number, c = 0): number {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height || c < 0 || c >= image.channels) {
    throw new RangeError(
      `pixel (${x}, ${y}, c=${c}) outside ${image.width}x${image.height}x${image.channels}`,
    );
  }
  return image.data[c * image.width * image.height + y * image.width + x]!;
}

/** The largest value the pixel type (or stated bit depth) can hold; 1 for floats. */
export function maxValueOf(image: Pick<Image, 'dtype' | 'bitDepth'>): number {
  switch (image.dtype) {
    case 'float32':
    case 'float64':
      return 1;
    case 'int32':
      return 2 ** 31 - 1;
    default:
      return 2 ** (image.bitDepth ?? DTYPE_BITS[image.dtype]) - 1;
  }
}

export interface ToFloatOptions {
  /**
   * Divide integer pixels by the type's maximum (`2^bits - 1`) as CellProfiler does, so intensities lie in
   * [0, 1]. Float images are never rescaled. @default true
   */
  normalize?: boolean;
  /** Use `2^bitDepth - 1` rather than the container's maximum when the image states a bit depth. @default false */
  useBitDepth?: boolean;
}

/** A float32 copy of the image (all channels). */
export function toFloat32(image: Image, options: ToFloatOptions = {}): Image<'float32'> {
  const normalize = options.normalize ?? true;
  const isFloat = image.dtype === 'float32' || image.dtype === 'float64';
  const scale =
    normalize && !isFloat
      ? 1 / maxValueOf({ dtype: image.dtype, bitDepth: options.useBitDepth ? image.bitDepth : undefined })
      : 1;
  const out = new Float32Array(image.data.length);
  const src = image.data;
  if (scale === 1) out.set(src);
  else for (let i = 0; i < src.length; i++) out[i] = src[i]! * scale;
  return { ...image, dtype: 'float32', data: out };
}

/** A copy of the image converted to `dtype`, clamping and rounding when narrowing to integers. */
export function convert<D extends DType>(image: Image, dtype: D): Image<D> {
  const out = allocate(dtype, image.data.length);
  const src = image.data;
  if (dtype === 'float32' || dtype === 'float64') {
    (out as Float32Array).set(src);
  } else {
    const lo = dtype === 'int32' ? -(2 ** 31) : 0;
    const hi = dtype === 'int32' ? 2 ** 31 - 1 : 2 ** DTYPE_BITS[dtype] - 1;
    for (let i = 0; i < src.length; i++) {
      const v = Math.round(src[i]!);
      out[i] = v < lo ? lo : v > hi ? hi : Number.isNaN(v) ? 0 : v;
    }
  }
  return { ...image, dtype, data: out } as Image<D>;
}

/** Copy of the rectangle [x, x + width) x [y, y + height) of every channel. */
export function crop<D extends DType>(
  image: Image<D>,
  x: number,
  y: number,
  width: number,
  height: number,
): Image<D> {
  if (x < 0 || y < 0 || width < 1 || height < 1 || x + width > image.width || y + height > image.height) {
    throw new RangeError(
      `crop (${x}, ${y}, ${width}x${height}) is outside the ${image.width}x${image.height} image`,
    );
  }
  const out = allocate(image.dtype, width * height * image.channels);
  const n = image.width * image.height;
  for (let c = 0; c < image.channels; c++) {
    for (let r = 0; r < height; r++) {
      const start = c * n + (y + r) * image.width + x;
      (out as AnyTypedArray).set(
        image.data.subarray(start, start + width) as AnyTypedArray,
        c * width * height + r * width,
      );
    }
  }
  return { ...image, width, height, data: out };
}

/** Minimum and maximum over all pixels (NaN ignored). */
export function minMax(image: Image): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const d = image.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
