import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng, hashSeed, logGamma, rngFromState } from './prng.ts';

test('xoshiro128** matches the reference C code for a known state', () => {
  // Values from a Python transcription of prng.di.unimi.it/xoshiro128starstar.c started at s = {1, 2, 3, 4}
  // (uint32 arithmetic masked with 0xffffffff).
  const rng = rngFromState([1, 2, 3, 4]);
  assert.deepEqual(
    Array.from({ length: 6 }, () => rng.nextUint32()),
    [11520, 0, 5927040, 70819200, 2031721883, 1637235492],
  );
});

test('same seed gives the same stream; different seeds differ', () => {
  const a = createRng(42);
  const b = createRng(42);
  const c = createRng(43);
  const xa = Array.from({ length: 20 }, () => a.nextUint32());
  const xb = Array.from({ length: 20 }, () => b.nextUint32());
  const xc = Array.from({ length: 20 }, () => c.nextUint32());
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
  assert.equal(hashSeed(1, 'A01', 2), hashSeed(1, 'A01', 2));
  assert.notEqual(hashSeed(1, 'A01', 2), hashSeed(1, 'A01', 3));
});

test('uniform and normal moments', () => {
  const r = createRng(7);
  const n = 200_000;
  let su = 0;
  let sn = 0;
  let sn2 = 0;
  for (let i = 0; i < n; i++) {
    su += r.uniform();
    const z = r.normal();
    sn += z;
    sn2 += z * z;
  }
  // standard errors: uniform mean 0.289/sqrt(n) = 6.5e-4; normal mean 2.2e-3, variance sqrt(2/n) = 3.2e-3; 5 SE
  assert.ok(Math.abs(su / n - 0.5) < 5 * 6.5e-4);
  assert.ok(Math.abs(sn / n) < 5 * 2.3e-3);
  assert.ok(Math.abs(sn2 / n - 1) < 5 * 3.2e-3);
});

test('Poisson deviates have mean = variance = lambda (Knuth and PTRS branches)', () => {
  const r = createRng(11);
  for (const lambda of [0.5, 3, 9.5, 10, 37, 1000, 25_000]) {
    const n = 40_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const k = r.poisson(lambda);
      assert.ok(Number.isInteger(k) && k >= 0);
      s += k;
      s2 += k * k;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    // SE of the mean sqrt(lambda/n); SE of the variance ~ lambda*sqrt(2/n) (plus a small kurtosis term): 5 SE
    assert.ok(Math.abs(mean - lambda) < 5 * Math.sqrt(lambda / n), `mean ${mean} for ${lambda}`);
    assert.ok(
      Math.abs(variance - lambda) < 5 * lambda * Math.sqrt(2 / n) + 0.05,
      `var ${variance} for ${lambda}`,
    );
  }
  assert.equal(r.poisson(0), 0);
  assert.throws(() => r.poisson(-1), /Poisson mean must be >= 0, got -1/);
});

test('logGamma matches log((n-1)!)', () => {
  let f = 0;
  for (let n = 1; n < 60; n++) {
    // log((n-1)!) accumulated exactly in float64; relative 1e-12 is the Stirling series' accuracy
    if (n > 1) f += Math.log(n - 1);
    assert.ok(Math.abs(logGamma(n) - f) <= 1e-10 * Math.max(1, f), `n=${n}`);
  }
});
