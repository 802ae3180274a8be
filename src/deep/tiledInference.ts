// Tiled CNN inference for images of any size: overlapping tiles, each weighted by a separable ramp window that
// falls to near zero at tile edges inside the overlap, summed and divided by the summed weights, so seams vanish
// (the blending used by CSBDeep/StarDist `predict_instances(n_tiles=...)` and Cellpose's tiled evaluation).

export interface TileOptions {
  /** Tile edge length in pixels (rounded up to a multiple of `divisor`). @default 512 */
  tileSize?: number;
  /** Overlap between neighbouring tiles, in pixels; at least the model's receptive-field halo. @default 64 */
  overlap?: number;
  /** Network input sides must be multiples of this (2^levels of a U-Net); inputs are reflect-padded. @default 16 */
  divisor?: number;
  /** Always feed tiles of exactly `tileSize` (models with a fixed input shape), reflect-padding small images. @default false */
  fixedSize?: boolean;
  /** Tiles per model call. @default 1 */
  batch?: number;
  /** Called after each batch with (tiles done, tiles total). */
  onProgress?: (done: number, total: number) => void;
}

/** Runs the network on a batch of single-channel tiles (N x 1 x h x w) and returns N x C x h x w. */
export type TileRunner = (
  input: Float32Array,
  dims: readonly [number, number, number, number],
) => Promise<{ data: Float32Array; dims: readonly number[] }>;

function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - m;
}

function starts(length: number, tile: number, step: number): number[] {
  if (length <= tile) return [0];
  const out: number[] = [];
  for (let s = 0; ; s += step) {
    if (s + tile >= length) {
      out.push(length - tile);
      break;
    }
    out.push(s);
  }
  return [...new Set(out)];
}

function ramp(size: number, overlap: number, atStart: boolean, atEnd: boolean): Float32Array {
  const w = new Float32Array(size).fill(1);
  const r = Math.max(1, Math.floor(overlap / 2));
  for (let i = 0; i < size; i++) {
    if (!atStart && i < r) w[i] = Math.min(w[i]!, (i + 0.5) / r);
    if (!atEnd && i >= size - r) w[i] = Math.min(w[i]!, (size - i - 0.5) / r);
  }
  return w;
}

/**
 * Predict a C-channel map (C x height x width, row-major) for a single-channel float image by tiles.
 * Input smaller than a tile is reflect-padded up to a multiple of `divisor`.
 */
export async function predictTiled(
  image: Float32Array,
  width: number,
  height: number,
  run: TileRunner,
  options: TileOptions = {},
): Promise<{ data: Float32Array; channels: number }> {
  const divisor = options.divisor ?? 16;
  const roundUp = (v: number) => Math.ceil(v / divisor) * divisor;
  const tileSize = roundUp(options.tileSize ?? 512);
  const overlap = Math.min(options.overlap ?? 64, tileSize / 2);
  if (image.length !== width * height)
    throw new RangeError(`image has ${image.length} pixels, expected ${width}x${height}`);
  const th = options.fixedSize ? tileSize : Math.min(tileSize, roundUp(height));
  const tw = options.fixedSize ? tileSize : Math.min(tileSize, roundUp(width));
  const ys = starts(Math.max(height, th), th, th - overlap);
  const xs = starts(Math.max(width, tw), tw, tw - overlap);
  const tiles = ys.flatMap((y) => xs.map((x) => [y, x] as const));
  const batch = Math.max(1, options.batch ?? 1);
  // The tiles form a grid and each tile's window is a product wy(y) * wx(x), so the summed window is separable too:
  // W(x, y) = Sy(y) * Sx(x). Dividing each tile's ramps by those sums blends with normalised weights directly.
  const wys = new Map(ys.map((y0) => [y0, ramp(th, overlap, y0 === 0, y0 + th >= height)] as const));
  const wxs = new Map(xs.map((x0) => [x0, ramp(tw, overlap, x0 === 0, x0 + tw >= width)] as const));
  normalise(wys, height);
  normalise(wxs, width);
  let out: Float32Array | undefined;
  let channels = 0;
  for (let b = 0; b < tiles.length; b += batch) {
    const group = tiles.slice(b, b + batch);
    const input = new Float32Array(group.length * th * tw);
    group.forEach(([y0, x0], k) => {
      const inside = x0 + tw <= width;
      for (let y = 0; y < th; y++) {
        const row = reflectIndex(y0 + y, height) * width;
        const o = k * th * tw + y * tw;
        if (inside) input.set(image.subarray(row + x0, row + x0 + tw), o);
        else for (let x = 0; x < tw; x++) input[o + x] = image[row + reflectIndex(x0 + x, width)]!;
      }
    });
    const result = await run(input, [group.length, 1, th, tw]);
    const [n, c, rh, rw] = result.dims as [number, number, number, number];
    if (n !== group.length || rh !== th || rw !== tw) {
      throw new Error(`model returned ${result.dims.join('x')} for input ${group.length}x1x${th}x${tw}`);
    }
    if (!out) {
      channels = c;
      out = new Float32Array(c * width * height);
    }
    const acc = out!;
    const res = result.data;
    group.forEach(([y0, x0], k) => {
      const wy = wys.get(y0)!;
      const wx = wxs.get(x0)!;
      const rows = Math.min(th, height - y0);
      const cols = Math.min(tw, width - x0);
      for (let y = 0; y < rows; y++) {
        const p0 = (y0 + y) * width + x0;
        const ry = wy[y]!;
        for (let ch = 0; ch < c; ch++) {
          const o = ch * width * height + p0;
          const t = ((k * c + ch) * th + y) * tw;
          for (let x = 0; x < cols; x++) acc[o + x] = acc[o + x]! + ry * wx[x]! * res[t + x]!;
        }
      }
    });
    options.onProgress?.(Math.min(b + batch, tiles.length), tiles.length);
  }
  return { data: out!, channels };
}

/** Divide each tile's 1-D ramp by the sum of all ramps over each image position along that axis. */
function normalise(ramps: Map<number, Float32Array>, length: number): void {
  const sum = new Float64Array(length);
  for (const [start, w] of ramps)
    for (let i = 0; i < w.length && start + i < length; i++) sum[start + i]! += w[i]!;
  for (const [start, w] of ramps)
    for (let i = 0; i < w.length && start + i < length; i++) w[i] = w[i]! / sum[start + i]!;
}
