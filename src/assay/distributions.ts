// Student t and Fisher F distributions (CDF and quantile) through the regularized incomplete beta function,
// evaluated by its continued fraction (Numerical Recipes 3rd ed., §6.4 betacf, modified Lentz) with Lanczos
// log-gamma (§6.1). Hand-written: the few lines needed for t/F quantiles of the dose-response intervals and
// F-tests would otherwise pull a whole statistics package (jStat) with untyped globals.

const LANCZOS = [
  57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202, 0.00003399464998481189,
  0.00004652362892704858, -0.00009837447530487956, 0.0001580887032249125, -0.00021026444172410488,
  0.0002174396181152126, -0.0001643181065367639, 0.00008441822398385274, -0.00002619083840158141,
  0.000003689918265953162,
];

/** log Γ(x) for x > 0 (Lanczos, g = 607/128, relative error < 1e-15). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be > 0, got ${x}`);
  let y = x;
  const tmp0 = x + 5.2421875;
  const tmp = (x + 0.5) * Math.log(tmp0) - tmp0;
  let ser = 0.9999999999999971;
  for (const c of LANCZOS) ser += c / ++y;
  return tmp + Math.log((2.5066282746310007 * ser) / x);
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const FPMIN = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function betaIncomplete(a: number, b: number, x: number): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError(`betaIncomplete: a and b must be > 0, got ${a}, ${b}`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`betaIncomplete: x must be in [0, 1], got ${x}`);
  if (x === 0 || x === 1) return x;
  const lbt = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lbt) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lbt) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T <= t) for Student's t with `dof` degrees of freedom. */
export function studentTCdf(t: number, dof: number): number {
  if (!(dof > 0)) throw new RangeError(`studentTCdf: dof must be > 0, got ${dof}`);
  if (!Number.isFinite(t)) return t > 0 ? 1 : t < 0 ? 0 : Number.NaN;
  const tail = 0.5 * betaIncomplete(dof / 2, 0.5, dof / (dof + t * t));
  return t > 0 ? 1 - tail : tail;
}

/** P(F <= f) for Fisher's F with (d1, d2) degrees of freedom. */
export function fisherFCdf(f: number, d1: number, d2: number): number {
  if (!(d1 > 0) || !(d2 > 0)) throw new RangeError(`fisherFCdf: dof must be > 0, got ${d1}, ${d2}`);
  if (!(f > 0)) return 0;
  if (f === Infinity) return 1;
  return betaIncomplete(d1 / 2, d2 / 2, (d1 * f) / (d1 * f + d2));
}

/** Inverse of a monotone increasing CDF on (lo, hi) by bisection to machine precision. */
function invert(cdf: (x: number) => number, p: number, lo: number, hi: number): number {
  while (cdf(hi) < p) hi *= 2;
  while (cdf(lo) > p) lo = lo < 0 ? lo * 2 : lo / 2;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** The p-quantile of Student's t with `dof` degrees of freedom. */
export function studentTQuantile(p: number, dof: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, dof);
  return invert((t) => studentTCdf(t, dof), p, 0, 16);
}

/** The p-quantile of Fisher's F with (d1, d2) degrees of freedom. */
export function fisherFQuantile(p: number, d1: number, d2: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`fisherFQuantile: p must be in (0, 1), got ${p}`);
  return invert((f) => fisherFCdf(f, d1, d2), p, 1e-12, 16);
}
