// Haralick's 13 features of a grey-level co-occurrence matrix, exactly as mahotas.features.haralick computes them
// (luispedro/mahotas, mahotas/features/texture.py: haralick_features, with log2 entropies, feature 10 as VAR[P(|x-y|)]
// and feature 13 using exp of log2 entropies), which CellProfiler's MeasureTexture calls. Haralick, Shanmugam &
// Dinstein (1973), IEEE Trans. SMC 3(6):610-621. Hand-written: no npm package computes these on a sparse matrix.

/** Names of the 13 features in mahotas' order, as CellProfiler names them. */
export const HARALICK_FEATURES = [
  'AngularSecondMoment',
  'Contrast',
  'Correlation',
  'Variance',
  'InverseDifferenceMoment',
  'SumAverage',
  'SumVariance',
  'SumEntropy',
  'Entropy',
  'DifferenceVariance',
  'DifferenceEntropy',
  'InfoMeas1',
  'InfoMeas2',
] as const;

export type HaralickFeature = (typeof HARALICK_FEATURES)[number];

/** Largest number of grey levels a co-occurrence matrix may have. */
export const MAX_GLCM_LEVELS = 256;

/**
 * A reusable co-occurrence matrix of up to 256 x 256 grey levels, stored dense (counts) with the list of
 * non-zero cells, so that building it and computing features cost O(pairs + levels), not O(levels^2).
 */
export class CooccurrenceMatrix {
  /** Counts, cell (a, b) at a * 256 + b. */
  readonly counts = new Int32Array(MAX_GLCM_LEVELS * MAX_GLCM_LEVELS);
  /** Indices of the non-zero cells (first `cellCount` entries). */
  readonly cells = new Int32Array(MAX_GLCM_LEVELS * MAX_GLCM_LEVELS);
  cellCount = 0;
  total = 0;

  /** Count the unordered pair (a, b) symmetrically: cell (a, b) and cell (b, a) each gain 1. */
  addPair(a: number, b: number): void {
    this.increment(a * MAX_GLCM_LEVELS + b);
    this.increment(b * MAX_GLCM_LEVELS + a);
    this.total += 2;
  }

  private increment(cell: number): void {
    const c = this.counts[cell]!;
    this.counts[cell] = c + 1;
    if (c === 0) this.cells[this.cellCount++] = cell;
  }

  /** Zero the matrix (touching only the non-zero cells). */
  clear(): void {
    for (let k = 0; k < this.cellCount; k++) this.counts[this.cells[k]!] = 0;
    this.cellCount = 0;
    this.total = 0;
  }
}

/** Scratch arrays for `haralickFeatures`, reused across calls. */
export class HaralickScratch {
  readonly px = new Float64Array(MAX_GLCM_LEVELS);
  readonly py = new Float64Array(MAX_GLCM_LEVELS);
  readonly plus = new Float64Array(2 * MAX_GLCM_LEVELS);
  readonly minus = new Float64Array(MAX_GLCM_LEVELS);
}

const TABLE_SIZE = 1 << 16;
let cLog2cTable: Float64Array | undefined;

/** c log2 c for integer counts (tabulated up to 2^16). */
function cLog2c(c: number): number {
  if (c < TABLE_SIZE) {
    if (cLog2cTable === undefined) {
      cLog2cTable = new Float64Array(TABLE_SIZE);
      for (let k = 1; k < TABLE_SIZE; k++) cLog2cTable[k] = k * Math.log2(k);
    }
    return cLog2cTable[c]!;
  }
  return c * Math.log2(c);
}

function entropy(p: Float64Array, n: number): number {
  let h = 0;
  for (let k = 0; k < n; k++) {
    const v = p[k]!;
    if (v !== 0) h -= v * Math.log2(v);
  }
  return h;
}

/**
 * The 13 Haralick features of `matrix`, whose grey levels run 0 .. `levels` - 1 (mahotas' matrix size is the
 * largest grey value + 1, which changes DifferenceVariance), written into `out` at `offset` in
 * `HARALICK_FEATURES` order. Returns false (and writes nothing) when the matrix is empty.
 */
export function haralickFeatures(
  matrix: CooccurrenceMatrix,
  levels: number,
  out: Float64Array,
  offset: number,
  scratch: HaralickScratch = new HaralickScratch(),
): boolean {
  if (!Number.isInteger(levels) || levels < 1 || levels > MAX_GLCM_LEVELS) {
    throw new RangeError(`haralickFeatures: levels must be an integer in 1..256, got ${levels}`);
  }
  const total = matrix.total;
  if (total === 0) return false;
  const { px, py, plus, minus } = scratch;
  px.fill(0, 0, levels);
  py.fill(0, 0, levels);
  plus.fill(0, 0, 2 * levels);
  minus.fill(0, 0, levels);
  const { counts, cells } = matrix;
  const n = matrix.cellCount;
  let asm = 0;
  let contrast = 0;
  let sumIJ = 0;
  let idm = 0;
  let sumCLogC = 0;
  for (let k = 0; k < n; k++) {
    const cell = cells[k]!;
    const a = cell >>> 8;
    const b = cell & 0xff;
    if (a >= levels || b >= levels) {
      throw new RangeError(`haralickFeatures: grey level ${Math.max(a, b)} >= levels ${levels}`);
    }
    const c = counts[cell]!;
    const p = c / total;
    const d = a - b;
    asm += p * p;
    contrast += d * d * p;
    sumIJ += a * b * p;
    idm += p / (1 + d * d);
    sumCLogC += cLog2c(c);
    px[b]! += p;
    py[a]! += p;
    plus[a + b]! += p;
    minus[d < 0 ? -d : d]! += p;
  }
  // Entropy -sum p log2 p with p = c / T: log2 T - sum(c log2 c) / T.
  const hxy = Math.log2(total) - sumCLogC / total;
  let ux = 0;
  let uy = 0;
  let x2 = 0;
  let y2 = 0;
  let sx = 0;
  let sy = 0;
  for (let k = 0; k < levels; k++) {
    ux += k * px[k]!;
    uy += k * py[k]!;
    x2 += k * k * px[k]!;
    y2 += k * k * py[k]!;
    sx += px[k]!;
    sy += py[k]!;
  }
  const vx = x2 - ux * ux;
  const vy = y2 - uy * uy;
  const sdx = Math.sqrt(vx);
  const sdy = Math.sqrt(vy);
  let sumAverage = 0;
  let sumSquares = 0;
  for (let k = 0; k < 2 * levels; k++) {
    sumAverage += k * plus[k]!;
    sumSquares += k * k * plus[k]!;
  }
  let minusMean = 0;
  for (let k = 0; k < levels; k++) minusMean += minus[k]!;
  minusMean /= levels;
  let differenceVariance = 0;
  for (let k = 0; k < levels; k++) {
    const d = minus[k]! - minusMean;
    differenceVariance += d * d;
  }
  differenceVariance /= levels;
  const hx = entropy(px, levels);
  const hy = entropy(py, levels);
  // HXY1 = -sum p(a,b) log2(px(a) py(b)) = -sum_a py(a) log2 px(a) - sum_b px(b) log2 py(b) (mahotas' outer
  // product indexes px by the first index of the raveled matrix; px(a) > 0 wherever p(a, .) is).
  let hxy1 = 0;
  for (let k = 0; k < levels; k++) {
    if (py[k]! > 0) hxy1 -= py[k]! * Math.log2(px[k]!);
    if (px[k]! > 0) hxy1 -= px[k]! * Math.log2(py[k]!);
  }
  // HXY2 = entropy of the outer product px py^T, which factorises to HX * sum(py) + HY * sum(px).
  const hxy2 = hx * sy + hy * sx;
  const maxH = Math.max(hx, hy);
  out[offset] = asm;
  out[offset + 1] = contrast;
  out[offset + 2] = sdx === 0 || sdy === 0 ? 1 : (sumIJ - ux * uy) / sdx / sdy;
  out[offset + 3] = vx;
  out[offset + 4] = idm;
  out[offset + 5] = sumAverage;
  out[offset + 6] = sumSquares - sumAverage * sumAverage;
  out[offset + 7] = entropy(plus, 2 * levels);
  out[offset + 8] = hxy;
  out[offset + 9] = differenceVariance;
  out[offset + 10] = entropy(minus, levels);
  out[offset + 11] = maxH === 0 ? hxy - hxy1 : (hxy - hxy1) / maxH;
  out[offset + 12] = Math.sqrt(Math.max(0, 1 - Math.exp(-2 * (hxy2 - hxy))));
  return true;
}
