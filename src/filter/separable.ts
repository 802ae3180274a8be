// Separable 2-D correlation with scipy.ndimage.correlate1d semantics (out[i] = sum_j k[j] in[i + j - r],
// r = (len - 1) / 2), first along rows (axis 0) then along columns (axis 1), as scipy's gaussian_filter does.
// Hand-written: no npm package offers float64-accurate separable filtering with scipy's border modes.
import { type BorderMode, borderTable } from './border.ts';

function isSymmetric(k: Float64Array): boolean {
  for (let i = 0, j = k.length - 1; i < j; i++, j--) if (k[i] !== k[j]) return false;
  return true;
}

type Plane = Float32Array | Float64Array;
type RowKernel = (line: Float64Array, out: Plane, o: number, width: number) => void;

const rowKernels = new Map<string, RowKernel | null>();

/**
 * Symmetric kernels up to radius 32 run the x pass through a loop compiled for them, with the weights inlined as literals
 * (about 2x faster in V8 than the generic tap loop). The sum is formed in the same order as the generic loop, so
 * results are bitwise identical. Returns undefined where code generation is unavailable (e.g. a strict CSP).
 */
function compiled<K>(
  cache: Map<string, K | null>,
  k: Float64Array,
  build: (r: number, w: string[]) => K,
): K | undefined {
  const r = (k.length - 1) >> 1;
  if (r < 1 || r > 32 || !isSymmetric(k)) return undefined;
  const key = Array.from(k).join(',');
  let fn = cache.get(key);
  if (fn === undefined) {
    try {
      fn = build(
        r,
        Array.from(k.subarray(r), (v) => `(${v})`),
      );
    } catch {
      fn = null;
    }
    cache.set(key, fn);
  }
  return fn ?? undefined;
}

function rowKernel(k: Float64Array): RowKernel | undefined {
  return compiled(rowKernels, k, (r, w) => {
    let expr = `${w[0]} * line[c]`;
    for (let j = 1; j <= r; j++) expr += ` + ${w[j]} * (line[c - ${j}] + line[c + ${j}])`;
    return new Function(
      'line',
      'out',
      'o',
      'width',
      `for (let x = 0; x < width; x++) { const c = x + ${r}; out[o + x] = ${expr}; }`,
    ) as RowKernel;
  });
}

function checkKernel(k: Float64Array, what: string): void {
  if (k.length % 2 !== 1) throw new RangeError(`${what}: kernel length must be odd, got ${k.length}`);
}

/**
 * Correlate `src` (one `width` x `height` plane, row-major) with `ky` along y then `kx` along x, writing
 * `out`. Sums are accumulated in float64; the intermediate plane is float64.
 */
export function correlateSeparable(
  src: ArrayLike<number>,
  width: number,
  height: number,
  kx: Float64Array,
  ky: Float64Array,
  mode: BorderMode,
  cval: number,
  out: Float32Array | Float64Array,
): void {
  checkKernel(kx, 'kx');
  checkKernel(ky, 'ky');
  // strips of rows keep the float64 intermediate in cache instead of a whole float64 plane
  const strip = Math.max(1, Math.min(height, Math.floor(65536 / width)));
  const tmp = new Float64Array(width * strip);
  for (let y0 = 0; y0 < height; y0 += strip) {
    const y1 = Math.min(height, y0 + strip);
    const part = tmp.subarray(0, (y1 - y0) * width);
    correlateColumns(src, width, height, ky, mode, cval, part, y0, y1);
    correlateRows(part, width, y1 - y0, kx, mode, cval, out.subarray(y0 * width, y1 * width));
  }
}

/**
 * Correlate along y (axis 0): each output row is a weighted sum of whole input rows (cache friendly). Computes
 * output rows [y0, y1) into `out` (row y0 at index 0).
 */
export function correlateColumns(
  src: ArrayLike<number>,
  width: number,
  height: number,
  k: Float64Array,
  mode: BorderMode,
  cval: number,
  out: Float32Array | Float64Array,
  y0 = 0,
  y1 = height,
): void {
  const r = (k.length - 1) >> 1;
  const rows = borderTable(height, r, mode);
  const sym = isSymmetric(k);
  const acc = out instanceof Float64Array ? out : new Float64Array(width);
  const direct = acc === out;
  for (let y = y0; y < y1; y++) {
    const o = direct ? (y - y0) * width : 0;
    // constant part from rows outside the image (mode 'constant')
    let constant = 0;
    for (let j = 0; j < k.length; j++) if (rows[y + j]! < 0) constant += k[j]! * cval;
    const center = rows[y + r]! * width;
    const kc = k[r]!;
    for (let x = 0; x < width; x++) acc[o + x] = constant + kc * src[center + x]!;
    let inside = true;
    for (let j = 1; j <= r && inside; j++) inside = rows[y + r - j]! >= 0 && rows[y + r + j]! >= 0;
    if (sym && inside) {
      // four taps per sweep over the row (same left-to-right summation order as one tap per sweep)
      let j = 1;
      for (; j + 3 <= r; j += 4) {
        const w1 = k[r + j]!;
        const w2 = k[r + j + 1]!;
        const w3 = k[r + j + 2]!;
        const w4 = k[r + j + 3]!;
        const a1 = rows[y + r - j]! * width;
        const b1 = rows[y + r + j]! * width;
        const a2 = rows[y + r - j - 1]! * width;
        const b2 = rows[y + r + j + 1]! * width;
        const a3 = rows[y + r - j - 2]! * width;
        const b3 = rows[y + r + j + 2]! * width;
        const a4 = rows[y + r - j - 3]! * width;
        const b4 = rows[y + r + j + 3]! * width;
        for (let x = 0; x < width; x++) {
          let s = acc[o + x]!;
          s += w1 * (src[a1 + x]! + src[b1 + x]!);
          s += w2 * (src[a2 + x]! + src[b2 + x]!);
          s += w3 * (src[a3 + x]! + src[b3 + x]!);
          s += w4 * (src[a4 + x]! + src[b4 + x]!);
          acc[o + x] = s;
        }
      }
      for (; j <= r; j++) {
        const w = k[r + j]!;
        const a = rows[y + r - j]! * width;
        const b = rows[y + r + j]! * width;
        for (let x = 0; x < width; x++) acc[o + x]! += w * (src[a + x]! + src[b + x]!);
      }
    } else if (sym) {
      for (let j = 1; j <= r; j++) {
        const w = k[r + j]!;
        if (w === 0) continue;
        const ra = rows[y + r - j]!;
        const rb = rows[y + r + j]!;
        if (ra >= 0 && rb >= 0) {
          const a = ra * width;
          const b = rb * width;
          for (let x = 0; x < width; x++) acc[o + x]! += w * (src[a + x]! + src[b + x]!);
        } else if (ra >= 0 || rb >= 0) {
          const a = (ra >= 0 ? ra : rb) * width;
          for (let x = 0; x < width; x++) acc[o + x]! += w * src[a + x]!;
        }
      }
    } else {
      for (let j = 0; j < k.length; j++) {
        if (j === r) continue;
        const w = k[j]!;
        const row = rows[y + j]!;
        if (w === 0 || row < 0) continue;
        const a = row * width;
        for (let x = 0; x < width; x++) acc[o + x]! += w * src[a + x]!;
      }
    }
    if (!direct) out.set(acc, (y - y0) * width);
  }
}

/** Correlate along x (axis 1), one padded float64 line at a time. */
export function correlateRows(
  src: ArrayLike<number>,
  width: number,
  height: number,
  k: Float64Array,
  mode: BorderMode,
  cval: number,
  out: Float32Array | Float64Array,
): void {
  const r = (k.length - 1) >> 1;
  const cols = borderTable(width, r, mode);
  const sym = isSymmetric(k);
  const line = new Float64Array(width + 2 * r);
  const n = k.length;
  const fast = rowKernel(k);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let i = 0; i < line.length; i++) {
      const c = cols[i]!;
      line[i] = c < 0 ? cval : src[o + c]!;
    }
    if (fast) fast(line, out, o, width);
    else if (sym) {
      const kc = k[r]!;
      for (let x = 0; x < width; x++) {
        const c = x + r;
        let s = kc * line[c]!;
        for (let j = 1; j <= r; j++) s += k[r + j]! * (line[c - j]! + line[c + j]!);
        out[o + x] = s;
      }
    } else {
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += k[j]! * line[x + j]!;
        out[o + x] = s;
      }
    }
  }
}
