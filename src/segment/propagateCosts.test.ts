import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { assertClose } from '../testing/assert.ts';
import { propagate } from './propagate.ts';

// Cost-model cases (hand-computed path costs), first written against the pipeline's copy of propagation.

const W = 14;
const H = 5;

function seedsAt(...points: [number, number, number][]) {
  const d = new Uint32Array(W * H);
  for (const [x, y, label] of points) d[y * W + x] = label;
  return fromData(d, W, H);
}

test('on a flat image the cost is the path length (lambda * sqrt(manhattan) per step): a Voronoi split', () => {
  const flat = fromData(new Float32Array(W * H).fill(0.3), W, H);
  const { labels, distances } = propagate(flat, seedsAt([2, 2, 1], [11, 2, 2]), { regularization: 1 });
  for (let x = 0; x < W; x++) assert.equal(labels.data[2 * W + x], x <= 6 ? 1 : 2, `x = ${x}`);
  // straight steps cost 1, diagonal steps sqrt(2) (manhattan 2): the cost of (5, 2) is 3, of (4, 0) is 2 sqrt(2)
  assertClose([distances.data[2 * W + 5]!, distances.data[0 * W + 4]!], [3, 2 * Math.SQRT2], { rtol: 1e-12 }); // exact sums
});

test('an intensity ridge between the seeds moves the boundary onto the ridge', () => {
  const d = new Float32Array(W * H).fill(0.1);
  for (let y = 0; y < H; y++) d[y * W + 5] = 0.9; // ridge at x = 5, nearer to seed 1 (x = 2)
  const { labels } = propagate(fromData(d, W, H), seedsAt([2, 2, 1], [11, 2, 2]), { regularization: 0.05 });
  // without the ridge x = 6 belongs to seed 1 (4 steps vs 5); crossing the ridge costs more than 5 flat steps
  for (let x = 6; x < W; x++) assert.equal(labels.data[2 * W + x], 2, `x = ${x}`);
  for (let x = 0; x <= 4; x++) assert.equal(labels.data[2 * W + x], 1, `x = ${x}`);
});

test('step cost sums absolute differences over the 3x3 window: sqrt(D^2 + lambda^2 * manhattan)', () => {
  // a horizontal ramp I = 0.01 x: a horizontal step changes each of the 9 window values by 0.01, D = 0.09
  const ramp = Float32Array.from({ length: W * H }, (_, i) => 0.01 * (i % W));
  const { distances } = propagate(fromData(ramp, W, H), seedsAt([4, 2, 1]), { regularization: 0.2 });
  const step = Math.sqrt(0.09 ** 2 + 0.04);
  // float32 ramp values: 1e-6 relative
  assertClose([distances.data[2 * W + 5]!, distances.data[2 * W + 6]!], [step, 2 * step], { rtol: 1e-6 });
});

test('the mask limits propagation; unreachable pixels stay 0; bad input is rejected', () => {
  const flat = fromData(new Float32Array(W * H), W, H);
  const mask = new Uint8Array(W * H).fill(1);
  for (let y = 0; y < H; y++) mask[y * W + 7] = 0; // a wall
  const { labels, distances } = propagate(flat, seedsAt([2, 2, 3]), { mask: fromData(mask, W, H) });
  assert.equal(labels.data[2 * W + 6], 3);
  assert.equal(labels.data[2 * W + 7], 0);
  assert.equal(labels.data[2 * W + 10], 0);
  assert.equal(distances.data[2 * W + 10], Number.POSITIVE_INFINITY);
  assert.throws(() => propagate(flat, fromData(new Uint32Array(4), 2, 2)), /2x2/);
  assert.throws(() => propagate(flat, seedsAt(), { regularization: -1 }), /regularization/);
  assert.throws(() => propagate(flat, seedsAt(), { mask: fromData(new Uint8Array(3), 3, 1) }), /3x1/);
});
