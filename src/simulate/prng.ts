// Seeded pseudo-random numbers for the simulator: xoshiro128** (Blackman & Vigna 2018, "Scrambled linear
// pseudorandom number generators", reference C code at prng.di.unimi.it) seeded through splitmix32; normal
// deviates by Marsaglia's polar method; Poisson deviates by Knuth's product method for small means and Hörmann's
// PTRS transformed rejection (1993, as in NumPy's random_poisson_ptrs) for large ones. Hand-written: Math.random
// cannot be seeded and the simulator must render the same plate for the same seed on every machine.

/** A deterministic random stream. */
export interface Rng {
  /** Next 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Integer uniform in [0, n). */
  int(n: number): number;
  /** Standard normal deviate. */
  normal(): number;
  /** exp(mu + sigma * N(0,1)). */
  lognormal(mu: number, sigma: number): number;
  /** Poisson deviate with the given mean (>= 0). */
  poisson(mean: number): number;
}

/** Mix numbers and strings into one 32-bit seed (FNV-1a over the parts, then a murmur3 finaliser). */
export function hashSeed(...parts: readonly (number | string)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = typeof part === 'number' ? `n${part}` : `s${part}`;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0xff, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** log Gamma(x) for x >= 1 by the Stirling series NumPy's random_loggam uses. */
export function logGamma(x: number): number {
  const a = [
    8.333333333333333e-2, -2.777777777777778e-3, 7.936507936507937e-4, -5.952380952380952e-4,
    8.417508417508418e-4, -1.917526917526918e-3, 6.41025641025641e-3, -2.955065359477124e-2,
    1.796443723688307e-1, -1.3924322169059,
  ];
  if (x === 1 || x === 2) return 0;
  let x0 = x;
  let n = 0;
  if (x <= 7) {
    n = Math.floor(7 - x);
    x0 = x + n;
  }
  const x2 = 1 / (x0 * x0);
  let gl0 = a[9]!;
  for (let k = 8; k >= 0; k--) gl0 = gl0 * x2 + a[k]!;
  let gl = gl0 / x0 + 0.9189385332046727 + (x0 - 0.5) * Math.log(x0) - x0;
  if (x <= 7) {
    for (let k = 1; k <= n; k++) {
      x0 -= 1;
      gl -= Math.log(x0);
    }
  }
  return gl;
}

/** A xoshiro128** stream seeded from `seed` (any 32-bit integer; use `hashSeed` to derive sub-streams). */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`random seed must be a finite number, got ${seed}`);
  const init = { s: seed >>> 0 };
  return rngFromState([splitmix32(init), splitmix32(init), splitmix32(init), splitmix32(init)]);
}

/** A xoshiro128** stream started from an explicit 128-bit state (not all zero). */
export function rngFromState(state: readonly [number, number, number, number]): Rng {
  // state in a typed array: closure-captured `let` integers above 2^30 would be boxed on every write
  const st = new Int32Array(4);
  for (let i = 0; i < 4; i++) st[i] = state[i]! | 0;
  if ((st[0]! | st[1]! | st[2]! | st[3]!) === 0) st[0] = 1;
  const spareBox = new Float64Array(1).fill(Number.NaN);

  const nextUint32 = (): number => {
    const s0 = st[0]!;
    const s1 = st[1]!;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const s2 = st[2]! ^ s0;
    const s3 = st[3]! ^ s1;
    st[1] = s1 ^ s2;
    st[0] = s0 ^ s3;
    st[2] = s2 ^ t;
    st[3] = rotl(s3, 11);
    return result;
  };
  const uniform = (): number => nextUint32() / 4294967296;
  const normal = (): number => {
    const cached = spareBox[0]!;
    if (!Number.isNaN(cached)) {
      spareBox[0] = Number.NaN;
      return cached;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spareBox[0] = v * f;
    return u * f;
  };
  const poisson = (mean: number): number => {
    if (!(mean >= 0) || !Number.isFinite(mean))
      throw new RangeError(`Poisson mean must be >= 0, got ${mean}`);
    if (mean === 0) return 0;
    if (mean < 10) {
      const limit = Math.exp(-mean);
      let k = 0;
      let p = uniform();
      while (p > limit) {
        k++;
        p *= uniform();
      }
      return k;
    }
    // PTRS (Hörmann 1993)
    const slam = Math.sqrt(mean);
    const loglam = Math.log(mean);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = uniform() - 0.5;
      const V = uniform();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor(((2 * a) / us + b) * U + mean + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (
        Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
        -mean + k * loglam - logGamma(k + 1)
      ) {
        return k;
      }
    }
  };
  return {
    nextUint32,
    uniform,
    range: (lo, hi) => lo + (hi - lo) * uniform(),
    int: (n) => Math.floor(uniform() * n),
    normal,
    lognormal: (mu, sigma) => Math.exp(mu + sigma * normal()),
    poisson,
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
