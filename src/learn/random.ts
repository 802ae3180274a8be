// Seeded pseudo-random numbers: SplitMix32 to derive seeds and sfc32 (Chris Doty-Humphrey's PractRand "small fast
// counting" generator) as the stream. Hand-written because Math.random cannot be seeded and every learner here
// (bootstrap, feature sampling, k-means++) must give identical results for the same seed.

/** A seeded generator of uniform numbers. */
export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  nextU32(): number;
  /** Uniform in [0, 1) with 32 bits of resolution. */
  nextFloat(): number;
  /** Uniform integer in [0, n) for 0 < n <= 2^32. */
  nextInt(n: number): number;
}

/** SplitMix32 mixing of `x`: spreads consecutive seeds (0, 1, 2 ...) over the 32-bit space. */
export function mixSeed(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** Seed for stream `index` (e.g. one per tree) derived from a master seed, independent of the others. */
export function deriveSeed(seed: number, index: number): number {
  return mixSeed((mixSeed(seed >>> 0) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
}

/** An sfc32 generator seeded from one 32-bit integer. */
export function createRng(seed: number): Rng {
  let a = mixSeed(seed >>> 0);
  let b = mixSeed(a ^ 0x1b873593);
  let c = mixSeed(b ^ 0xcc9e2d51);
  let d = 1;
  const nextU32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextU32(); // discard the first outputs, as the reference implementation does
  return {
    nextU32,
    nextFloat: () => nextU32() / 4294967296,
    nextInt: (n: number) => Math.floor((nextU32() / 4294967296) * n),
  };
}
