// Four-parameter logistic (Hill) dose-response fit, GraphPad's "log(inhibitor) vs. response, variable slope"
// parameterisation: y = bottom + (top − bottom) / (1 + 10^((logIC50 − log10 x)·hill)), hill < 0 for curves that
// fall with concentration (top is then the low-concentration plateau). Least squares by Levenberg-Marquardt
// (Moré 1978) as scipy.optimize.curve_fit; standard errors from s²(JᵀJ)⁻¹ as curve_fit's pcov; Wald t intervals
// for every parameter and a profile-likelihood interval for log IC50 (Bates & Watts 1988, §6.1: F-based
// threshold SSR ≤ SSR_min·(1 + F(0.95; 1, n−p)/(n−p))); robust losses soft-L1/Huber as scipy least_squares, by
// iteratively reweighted least squares (same stationary point).
import { fisherFCdf, fisherFQuantile, studentTQuantile } from './distributions.ts';
import { type LeastSquaresProblem, levenbergMarquardt } from './levenbergMarquardt.ts';
import { normalPseudoInverse } from './pseudoInverse.ts';

/** Parameter order everywhere: top, bottom, logIC50, hill. */
export const FOUR_PL_PARAMETERS = ['top', 'bottom', 'logIC50', 'hill'] as const;
export type FourPLParameter = (typeof FOUR_PL_PARAMETERS)[number];

export interface FourPLParams {
  top: number;
  bottom: number;
  /** log10 of the concentration at half effect (IC50 or EC50), in the units of log10 x. */
  logIC50: number;
  /** Hill slope: negative for falling curves, positive for rising ones. */
  hill: number;
}

/** Flags a fit can carry. */
export type FourPLFlag =
  | 'too_few_concentrations'
  | 'flat'
  | 'incomplete'
  | 'toxic'
  | 'not_converged'
  | 'no_standard_errors'
  | 'lack_of_fit';

export interface FourPLOptions {
  /** Fix the top plateau at this value instead of fitting it. @default undefined (fitted) */
  fixTop?: number;
  /** Fix the bottom plateau at this value instead of fitting it. @default undefined (fitted) */
  fixBottom?: number;
  /** Loss: 'linear' is plain least squares (agrees with curve_fit); the others down-weight outliers. @default 'linear' */
  loss?: 'linear' | 'soft_l1' | 'huber';
  /** Residual scale c of the robust loss (rho((r/c)²)); default 1.4826·MAD of the least-squares residuals. @default undefined */
  fScale?: number;
  /** Confidence level of the intervals. @default 0.95 */
  level?: number;
  /** Compute the profile-likelihood interval of log IC50 (costs ~40 constrained fits). @default true */
  profile?: boolean;
  /** Significance level of the F-test against a constant model; p above it flags 'flat'. @default 0.05 */
  flatAlpha?: number;
  /** A curve is complete when it covers this fraction of its transition within the tested range at the top end and 1 − it at the bottom end. @default 0.8 */
  plateauFraction?: number;
  /** Lack-of-fit F-test p below this flags 'lack_of_fit' (strict, as every screen runs many curves). @default 0.001 */
  lackOfFitAlpha?: number;
  /** Fewest distinct concentrations to attempt a fit. @default 4 */
  minConcentrations?: number;
  /** Start values; default from the data (see `fourPLStart`). @default undefined */
  start?: FourPLParams;
  /** Residual-bootstrap percentile interval of log IC50 with this many resamples (0 = none). @default 0 */
  bootstrap?: number;
  /** Seed of the bootstrap's random stream (mulberry32). @default 1 */
  seed?: number;
}

export interface FourPLFit {
  /** Fitted parameters (NaN when not fitted). */
  params: FourPLParams;
  /** Standard errors sqrt(diag(s²(JᵀJ)⁻¹)); 0 for fixed parameters, Infinity when JᵀJ is singular. */
  se: FourPLParams;
  /** Wald interval lower bounds: estimate − t(level; n − p)·SE. */
  lower: FourPLParams;
  /** Wald interval upper bounds. */
  upper: FourPLParams;
  /** Profile-likelihood interval of log IC50 ([NaN, NaN] when not computed; ±Infinity when unbounded). */
  logIC50Profile: [number, number];
  /** Residual-bootstrap percentile interval of log IC50 ([NaN, NaN] when not computed). */
  logIC50Bootstrap: [number, number];
  /** Covariance s²(JᵀJ)⁺ of [top, bottom, logIC50, hill] (4×4 row-major; zero rows for fixed parameters), undefined when singular. */
  covariance?: Float64Array;
  /** Coefficient of determination 1 − SSR/SST. */
  r2: number;
  /** Sum of squared residuals (unweighted). */
  ssr: number;
  /** Number of points used and residual degrees of freedom. */
  n: number;
  dof: number;
  /** p-value of the F-test of the fitted curve against a constant (mean) model. */
  flatP: number;
  /** p-value of the lack-of-fit F-test against the per-concentration means (needs replicates; NaN without). */
  lackOfFitP: number;
  flags: FourPLFlag[];
  /** Why a curve was not fitted, when it was not. */
  reason?: string;
  iterations: number;
  start: FourPLParams;
}

const LN10 = Math.LN10;

/**
 * Pointwise confidence band of the fitted curve at `logx` by the delta method: f ± t·√(gᵀ·Cov·g), g = ∂f/∂θ.
 * Returns [lower, upper]; NaN bounds without a covariance.
 */
export function fourPLBand(logx: number, fit: FourPLFit, level = 0.95): [number, number] {
  const f = fourPL(logx, fit.params);
  if (!fit.covariance || fit.dof <= 0) return [Number.NaN, Number.NaN];
  const { top, bottom, logIC50, hill } = fit.params;
  const [s, oneMinusS] = logistic(LN10 * (logIC50 - logx) * hill);
  const ds = -s * oneMinusS * (top - bottom) * LN10;
  const g = [s, oneMinusS, ds * hill, ds * (logIC50 - logx)];
  let v = 0;
  for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) v += g[a]! * fit.covariance[a * 4 + b]! * g[b]!;
  const half = studentTQuantile(0.5 + level / 2, fit.dof) * Math.sqrt(Math.max(v, 0));
  return [f - half, f + half];
}

/** The 4PL model at log10 concentration `logx`. */
export function fourPL(logx: number, p: FourPLParams): number {
  return p.bottom + (p.top - p.bottom) / (1 + 10 ** ((p.logIC50 - logx) * p.hill));
}

/** Fraction of the transition s = 1/(1 + e^u), u = ln10·(logIC50 − logx)·hill, and 1 − s, without overflow. */
function logistic(u: number): [number, number] {
  if (u > 0) {
    const e = Math.exp(-u);
    return [e / (1 + e), 1 / (1 + e)];
  }
  const e = Math.exp(u);
  return [1 / (1 + e), e / (1 + e)];
}

/**
 * Start values from the data: top/bottom = max/min of the per-concentration means, hill = +1 when the mean at the
 * highest concentration is at least that at the lowest (else −1), logIC50 = the first linear-interpolated crossing
 * of the mid-response by the means (median log concentration when none). `scripts/fixtures/assay_curves.py`
 * implements the same rule for the curve_fit reference.
 */
export function fourPLStart(logx: ArrayLike<number>, y: ArrayLike<number>): FourPLParams {
  const groups = concentrationMeans(logx, y);
  const xs = groups.map((g) => g[0]);
  const means = groups.map((g) => g[1]);
  let top = Math.max(...means);
  const bottom = Math.min(...means);
  if (top - bottom < 1e-12 * Math.max(1, Math.abs(top)))
    top = bottom + Math.max(1e-6, 1e-6 * Math.abs(bottom));
  const hill = means[means.length - 1]! >= means[0]! ? 1 : -1;
  const mid = 0.5 * (top + bottom);
  let logIC50 = medianSorted(xs);
  for (let k = 0; k < means.length - 1; k++) {
    const a = means[k]! - mid;
    const b = means[k + 1]! - mid;
    if (a === 0) {
      logIC50 = xs[k]!;
      break;
    }
    if (a * b < 0) {
      logIC50 = xs[k]! + ((xs[k + 1]! - xs[k]!) * a) / (a - b);
      break;
    }
  }
  return { top, bottom, logIC50, hill };
}

function medianSorted(xs: readonly number[]): number {
  const m = xs.length >> 1;
  return xs.length % 2 ? xs[m]! : 0.5 * (xs[m - 1]! + xs[m]!);
}

/** [log x, mean y] per distinct log x, sorted by x. */
function concentrationMeans(logx: ArrayLike<number>, y: ArrayLike<number>): [number, number][] {
  const sums = new Map<number, [number, number]>();
  for (let i = 0; i < logx.length; i++) {
    const s = sums.get(logx[i]!) ?? [0, 0];
    s[0] = s[0]! + y[i]!;
    s[1]++;
    sums.set(logx[i]!, s);
  }
  return [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([x, [s, c]]) => [x, s / c]);
}

function toArray(p: FourPLParams): number[] {
  return [p.top, p.bottom, p.logIC50, p.hill];
}

function fromArray(a: ArrayLike<number>): FourPLParams {
  return { top: a[0]!, bottom: a[1]!, logIC50: a[2]!, hill: a[3]! };
}

/** The least-squares problem over the free parameters (indices into [top, bottom, logIC50, hill]). */
function problem(
  logx: Float64Array,
  y: Float64Array,
  sqrtW: Float64Array | undefined,
  fixed: (number | undefined)[],
): LeastSquaresProblem & { free: number[]; full: (free: ArrayLike<number>) => number[] } {
  const free = [0, 1, 2, 3].filter((k) => fixed[k] === undefined);
  const full = (f: ArrayLike<number>) => {
    const out = fixed.map((v) => v ?? 0);
    free.forEach((k, i) => {
      out[k] = f[i]!;
    });
    return out;
  };
  const n = logx.length;
  const p = free.length;
  const d = [0, 0, 0, 0];
  return {
    n,
    p,
    free,
    full,
    evaluate(params, r, jac) {
      const [top, bottom, l, h] = full(params) as [number, number, number, number];
      const span = top - bottom;
      for (let i = 0; i < n; i++) {
        const u = LN10 * (l - logx[i]!) * h;
        const [s, oneMinusS] = logistic(u);
        const w = sqrtW ? sqrtW[i]! : 1;
        r[i] = w * (bottom + span * s - y[i]!);
        if (jac) {
          const ds = -s * oneMinusS * span * LN10; // d f / d u · ln10 factor folded in
          d[0] = s;
          d[1] = oneMinusS;
          d[2] = ds * h;
          d[3] = ds * (l - logx[i]!);
          for (let j = 0; j < p; j++) jac[i * p + j] = w * d[free[j]!]!;
        }
      }
    },
  };
}

function robustWeights(
  residuals: Float64Array,
  c: number,
  loss: 'soft_l1' | 'huber',
  out: Float64Array,
): void {
  for (let i = 0; i < residuals.length; i++) {
    const z = (residuals[i]! / c) ** 2;
    // rho'(z): soft_l1 rho = 2(sqrt(1 + z) − 1); huber rho = z (z ≤ 1), 2 sqrt(z) − 1 (z > 1).
    out[i] = Math.sqrt(loss === 'soft_l1' ? 1 / Math.sqrt(1 + z) : z <= 1 ? 1 : 1 / Math.sqrt(z));
  }
}

const NAN_PARAMS: FourPLParams = {
  top: Number.NaN,
  bottom: Number.NaN,
  logIC50: Number.NaN,
  hill: Number.NaN,
};

/**
 * Fit the 4PL model to points (log10 concentration, response). Points with a non-finite x or y are an error;
 * curves with fewer than `minConcentrations` distinct concentrations are returned unfitted with the flag
 * 'too_few_concentrations' and a reason.
 */
export function fitFourPL(
  logConcentration: ArrayLike<number>,
  response: ArrayLike<number>,
  options: FourPLOptions = {},
): FourPLFit {
  if (logConcentration.length !== response.length) {
    throw new RangeError(
      `fitFourPL: ${logConcentration.length} concentrations but ${response.length} responses`,
    );
  }
  const logx = Float64Array.from(logConcentration);
  const y = Float64Array.from(response);
  for (let i = 0; i < logx.length; i++) {
    if (!Number.isFinite(logx[i]!)) throw new RangeError(`fitFourPL: log concentration ${i} is ${logx[i]}`);
    if (!Number.isFinite(y[i]!)) throw new RangeError(`fitFourPL: response ${i} is ${y[i]}`);
  }
  const level = options.level ?? 0.95;
  const minConcentrations = options.minConcentrations ?? 4;
  const distinct = new Set(logx).size;
  const fixed = [options.fixTop, options.fixBottom, undefined, undefined];
  const nFree = fixed.filter((v) => v === undefined).length;
  const n = logx.length;
  const empty = (reason: string, start: FourPLParams): FourPLFit => ({
    params: { ...NAN_PARAMS },
    se: { ...NAN_PARAMS },
    lower: { ...NAN_PARAMS },
    upper: { ...NAN_PARAMS },
    logIC50Profile: [Number.NaN, Number.NaN],
    logIC50Bootstrap: [Number.NaN, Number.NaN],
    r2: Number.NaN,
    ssr: Number.NaN,
    n,
    dof: n - nFree,
    flatP: Number.NaN,
    lackOfFitP: Number.NaN,
    flags: ['too_few_concentrations'],
    reason,
    iterations: 0,
    start,
  });
  if (n === 0) return empty('no data points', { ...NAN_PARAMS });
  const start = options.start ?? fourPLStart(logx, y);
  if (options.fixTop !== undefined) start.top = options.fixTop;
  if (options.fixBottom !== undefined) start.bottom = options.fixBottom;
  if (distinct < minConcentrations) {
    return empty(`${distinct} distinct concentration(s), at least ${minConcentrations} needed`, start);
  }
  if (n <= nFree) return empty(`${n} points for ${nFree} free parameters`, start);

  const ls = problem(logx, y, undefined, fixed);
  const startFree = ls.free.map((k) => toArray(start)[k]!);
  let result = levenbergMarquardt(ls, startFree);
  let sqrtW: Float64Array | undefined;
  const loss = options.loss ?? 'linear';
  if (loss !== 'linear') {
    const r = new Float64Array(n);
    ls.evaluate(result.params, r, undefined);
    let c = options.fScale;
    if (c === undefined) {
      const abs = Array.from(r, Math.abs).sort((a, b) => a - b);
      c = 1.4826 * medianSorted(abs) || 1;
    }
    if (!(c > 0)) throw new RangeError(`fitFourPL: fScale must be > 0, got ${c}`);
    sqrtW = new Float64Array(n);
    let previous = result.params;
    for (let outer = 0; outer < 200; outer++) {
      robustWeights(r, c, loss, sqrtW);
      const weighted = problem(logx, y, sqrtW, fixed);
      result = levenbergMarquardt(weighted, previous);
      ls.evaluate(result.params, r, undefined);
      let change = 0;
      for (let j = 0; j < previous.length; j++) {
        change = Math.max(
          change,
          Math.abs(result.params[j]! - previous[j]!) / (Math.abs(previous[j]!) + 1e-12),
        );
      }
      previous = result.params;
      if (change < 1e-12) break;
    }
  }
  const params = fromArray(ls.full(result.params));
  const residuals = new Float64Array(n);
  ls.evaluate(result.params, residuals, undefined);
  let ssr = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    ssr += residuals[i]! ** 2;
    mean += y[i]!;
  }
  mean /= n;
  let sst = 0;
  for (let i = 0; i < n; i++) sst += (y[i]! - mean) ** 2;
  const dof = n - nFree;

  // Covariance s²(JᵀJ)⁺ of the (weighted) problem at the solution, as curve_fit's pcov.
  const final = problem(logx, y, sqrtW, fixed);
  const jac = new Float64Array(n * nFree);
  const rw = new Float64Array(n);
  final.evaluate(result.params, rw, jac);
  const jtj = new Float64Array(nFree * nFree);
  let ssrW = 0;
  for (let i = 0; i < n; i++) {
    ssrW += rw[i]! ** 2;
    for (let j = 0; j < nFree; j++) {
      for (let k = 0; k < nFree; k++)
        jtj[j * nFree + k] = jtj[j * nFree + k]! + jac[i * nFree + j]! * jac[i * nFree + k]!;
    }
  }
  const inverse = normalPseudoInverse(jtj, nFree, n);
  const s2 = ssrW / dof;
  const se = [0, 0, 0, 0];
  ls.free.forEach((k, j) => {
    se[k] = inverse ? Math.sqrt(s2 * inverse[j * nFree + j]!) : Infinity;
  });
  const t = studentTQuantile(0.5 + level / 2, dof);
  const estimate = toArray(params);
  const flags: FourPLFlag[] = [];
  if (!result.converged) flags.push('not_converged');
  if (!inverse) flags.push('no_standard_errors');

  // F-test against the constant model (1 parameter): is there any trend at all?
  let flatP = 1;
  if (nFree > 1 && sst > 0) {
    const f = (sst - ssr) / (nFree - 1) / (ssr / dof);
    flatP = ssr === 0 ? 0 : f <= 0 ? 1 : 1 - fisherFCdf(f, nFree - 1, dof);
  }
  if (flatP > (options.flatAlpha ?? 0.05)) flags.push('flat');

  // Lack of fit (Draper & Smith 1998, §2.1): replicate scatter (pure error) vs the distance of the
  // concentration means from the curve; flags non-monotonic (e.g. bell-shaped) or otherwise misfit data.
  let lackOfFitP = Number.NaN;
  const k = distinct;
  if (n > k && k > nFree) {
    let pureError = 0;
    for (const [x, m] of concentrationMeans(logx, y)) {
      for (let i = 0; i < n; i++) if (logx[i] === x) pureError += (y[i]! - m) ** 2;
    }
    const lack = ssr - pureError;
    if (pureError > 0) {
      const f = lack / (k - nFree) / (pureError / (n - k));
      lackOfFitP = f <= 0 ? 1 : 1 - fisherFCdf(f, k - nFree, n - k);
      if (lackOfFitP < (options.lackOfFitAlpha ?? 0.001)) flags.push('lack_of_fit');
    }
  }

  // Completeness: fraction of the transition covered at each end of the tested range.
  let minX = Infinity;
  let maxX = -Infinity;
  for (const v of logx) {
    minX = Math.min(minX, v);
    maxX = Math.max(maxX, v);
  }
  const progress = (lx: number) => {
    const [s, oneMinusS] = logistic(LN10 * (params.logIC50 - lx) * params.hill);
    return params.hill >= 0 ? s : oneMinusS;
  };
  const plateau = options.plateauFraction ?? 0.8;
  if (
    !(params.logIC50 >= minX && params.logIC50 <= maxX) ||
    progress(minX) > 1 - plateau ||
    progress(maxX) < plateau
  ) {
    flags.push('incomplete');
  }

  let covariance: Float64Array | undefined;
  if (inverse) {
    covariance = new Float64Array(16);
    ls.free.forEach((a, i) => {
      ls.free.forEach((b, j) => {
        covariance![a * 4 + b] = s2 * inverse[i * nFree + j]!;
      });
    });
  }
  const fit: FourPLFit = {
    params,
    se: fromArray(se),
    covariance,
    lower: fromArray(estimate.map((v, k) => v - t * se[k]!)),
    upper: fromArray(estimate.map((v, k) => v + t * se[k]!)),
    logIC50Profile: [Number.NaN, Number.NaN],
    logIC50Bootstrap: [Number.NaN, Number.NaN],
    r2: sst > 0 ? 1 - ssr / sst : Number.NaN,
    ssr,
    n,
    dof,
    flatP,
    lackOfFitP,
    flags,
    iterations: result.iterations,
    start,
  };
  if ((options.profile ?? true) && loss === 'linear' && !flags.includes('flat')) {
    fit.logIC50Profile = profileLogIC50(logx, y, fixed, result.params, ls.free, ssr, dof, level, se[2]!);
  }
  const resamples = options.bootstrap ?? 0;
  if (resamples > 0 && !flags.includes('flat')) {
    fit.logIC50Bootstrap = bootstrapLogIC50(logx, y, params, fixed, resamples, options.seed ?? 1, level);
  }
  return fit;
}

/** mulberry32: a small seeded 32-bit generator (Tommy Ettinger, public domain), uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Residual bootstrap (Efron & Tibshirani 1993, §9.5): refit the curve to fitted + resampled residuals (scaled by
 * √(n/(n − p)) so their variance matches s²) `resamples` times; percentile interval of log IC50.
 */
function bootstrapLogIC50(
  logx: Float64Array,
  y: Float64Array,
  params: FourPLParams,
  fixed: (number | undefined)[],
  resamples: number,
  seed: number,
  level: number,
): [number, number] {
  const n = logx.length;
  const fitted = Float64Array.from(logx, (x) => fourPL(x, params));
  const free = fixed.filter((v) => v === undefined).length;
  const inflate = Math.sqrt(n / Math.max(n - free, 1));
  const residuals = Float64Array.from(y, (v, i) => (v - fitted[i]!) * inflate);
  const random = mulberry32(seed);
  const estimates: number[] = [];
  const yb = new Float64Array(n);
  const startFull = toArray(params);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) yb[i] = fitted[i]! + residuals[Math.floor(random() * n)]!;
    const ls = problem(logx, yb, undefined, fixed);
    const r = levenbergMarquardt(
      ls,
      ls.free.map((k) => startFull[k]!),
      { maxIterations: 400 },
    );
    const l = ls.full(r.params)[2]!;
    if (Number.isFinite(l)) estimates.push(l);
  }
  estimates.sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (estimates.length - 1) * p;
    const lo = Math.floor(h);
    return (
      estimates[lo]! + (h - lo) * ((estimates[Math.min(lo + 1, estimates.length - 1)] ?? 0) - estimates[lo]!)
    );
  };
  return estimates.length ? [q((1 - level) / 2), q((1 + level) / 2)] : [Number.NaN, Number.NaN];
}

/** Profile-likelihood interval of log IC50: where the constrained SSR crosses SSR_min·(1 + F/dof). */
function profileLogIC50(
  logx: Float64Array,
  y: Float64Array,
  fixed: (number | undefined)[],
  best: Float64Array,
  free: number[],
  ssrMin: number,
  dof: number,
  level: number,
  se: number,
): [number, number] {
  const limit = ssrMin * (1 + fisherFQuantile(level, 1, dof) / dof);
  const bestFull = [0, 0, 0, 0];
  free.forEach((k, i) => {
    bestFull[k] = best[i]!;
  });
  for (let k = 0; k < 4; k++) if (fixed[k] !== undefined) bestFull[k] = fixed[k]!;
  const l0 = bestFull[2]!;
  let warm: number[] | undefined;
  const profiled = (l: number): number => {
    const fx = [...fixed];
    fx[2] = l;
    const ls = problem(logx, y, undefined, fx);
    const start = warm ?? ls.free.map((k) => bestFull[k]!);
    const r = levenbergMarquardt(ls, start, { maxIterations: 400 });
    warm = Array.from(r.params);
    return r.ssr - limit;
  };
  const bound = (direction: number): number => {
    warm = undefined;
    let step = Number.isFinite(se) && se > 0.01 ? Math.min(se, 2) : 0.01;
    let a = l0;
    let b = l0 + direction * step;
    for (let i = 0; i < 60; i++) {
      if (profiled(b) > 0) {
        // Bisection between a (inside) and b (outside) to 1e-10.
        for (let j = 0; j < 80 && Math.abs(b - a) > 1e-10; j++) {
          const mid = 0.5 * (a + b);
          if (profiled(mid) > 0) b = mid;
          else a = mid;
        }
        return 0.5 * (a + b);
      }
      a = b;
      step *= 1.5;
      b = b + direction * step;
      if (Math.abs(b - l0) > 50) break;
    }
    return direction * Infinity;
  };
  return [bound(-1), bound(1)];
}
