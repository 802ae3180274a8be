import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { illuminationField } from '../simulate/illumination.ts';
import { createRng } from '../simulate/prng.ts';
import { assertClose } from '../testing/assert.ts';
import { applyIllumination, IlluminationAccumulator, smoothAndRescale } from './illumination.ts';

const W = 96;
const H = 80;

/** Fields = true illumination x (flat background + sparse bright spots) + noise, as uint16. */
function fields(count: number, truth: Float32Array): Uint16Array[] {
  const rng = createRng(7);
  return Array.from({ length: count }, () => {
    const d = new Uint16Array(W * H);
    for (let i = 0; i < d.length; i++) {
      const object = rng.uniform() < 0.02 ? 3000 : 0;
      d[i] = Math.round(truth[i]! * (2000 + object + (rng.uniform() - 0.5) * 400));
    }
    return d;
  });
}

test('the mean of fields, smoothed, recovers the simulator illumination field up to scale', () => {
  const truth = illuminationField(W, H, 3, 0);
  for (const method of ['mean', 'median'] as const) {
    const acc = new IlluminationAccumulator(W, H, { method, smoothing: 'gaussian', size: 12 });
    for (const d of fields(40, truth)) acc.add(fromData(d, W, H));
    assert.equal(acc.fields, 40);
    const fn = acc.result();
    // compare shapes: both divided by their median; edges excluded (Gaussian 'nearest' border bias)
    const sorted = Float32Array.from(truth).sort();
    const med = sorted[sorted.length >> 1]!;
    let worst = 0;
    for (let y = 8; y < H - 8; y++) {
      for (let x = 8; x < W - 8; x++) {
        const i = y * W + x;
        worst = Math.max(worst, Math.abs(fn[i]! - truth[i]! / med) / (truth[i]! / med));
      }
    }
    // 40 noisy fields with random spots: 3% relative error leaves room for the spot noise after smoothing
    assert.ok(worst < 0.03, `${method}: worst relative error ${worst}`);
  }
});

test('correction flattens a field made of a constant times the illumination', () => {
  const truth = illuminationField(W, H, 5, 1);
  const fn = smoothAndRescale(Float32Array.from(truth), W, H, { smoothing: 'none' });
  const image = fromData(
    Uint16Array.from(truth, (v) => Math.round(v * 30000)),
    W,
    H,
  );
  const corrected = applyIllumination(image, fn);
  const values = Array.from(corrected.data);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  // rounding to uint16 is the only error: 0.5 / (30000 * min illumination ~0.6) relative
  assertClose(values, new Array(values.length).fill(mean), { rtol: 1e-4 });
});

test('bad input: wrong size, no field, black images', () => {
  const acc = new IlluminationAccumulator(4, 4);
  assert.throws(() => acc.add(fromData(new Uint16Array(9), 3, 3)), /fields must be 4x4/);
  assert.throws(() => acc.result(), /no field was added/);
  acc.add(fromData(new Uint16Array(16), 4, 4));
  assert.throws(() => acc.result(), /black/);
  assert.throws(() => applyIllumination(fromData(new Uint16Array(9), 3, 3), new Float32Array(4)), /4 pixels/);
  assert.throws(() => smoothAndRescale(new Float32Array(4), 2, 2, { size: 0 }), /size must be > 0/);
});
