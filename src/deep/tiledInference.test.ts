import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../testing/assert.ts';
import { predictTiled, type TileRunner } from './tiledInference.ts';

// A "network" that is pointwise (2x + 1, and x^2 as a second channel): tiling must reproduce it exactly,
// whatever the tile size, overlap and padding, because every output pixel is a weighted mean of equal values.
const pointwise: TileRunner = async (input, dims) => {
  const [n, , h, w] = dims;
  const out = new Float32Array(n * 2 * h * w);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < h * w; i++) {
      const v = input[k * h * w + i]!;
      out[k * 2 * h * w + i] = 2 * v + 1;
      out[(k * 2 + 1) * h * w + i] = v * v;
    }
  }
  return { data: out, dims: [n, 2, h, w] };
};

test('tiled prediction of a pointwise map is exact for odd sizes, small tiles and batches', async () => {
  const width = 77;
  const height = 45;
  const image = Float32Array.from({ length: width * height }, (_, i) => Math.sin(i * 0.37));
  for (const [tileSize, overlap, batch] of [
    [16, 8, 1],
    [32, 16, 3],
    [512, 64, 1],
  ] as const) {
    const { data, channels } = await predictTiled(image, width, height, pointwise, {
      tileSize,
      overlap,
      batch,
      divisor: 8,
    });
    assert.equal(channels, 2);
    // float32 products and sums of weights: 1e-5 relative
    assertClose(
      data.subarray(0, width * height),
      Array.from(image, (v) => 2 * v + 1),
      { atol: 1e-5 },
    );
    assertClose(
      data.subarray(width * height),
      Array.from(image, (v) => v * v),
      { atol: 1e-5 },
    );
  }
});

test('a model returning the wrong shape is reported', async () => {
  const bad: TileRunner = async (_input, dims) => ({ data: new Float32Array(4), dims: [dims[0], 1, 2, 2] });
  await assert.rejects(
    predictTiled(new Float32Array(64), 8, 8, bad, { divisor: 8 }),
    /model returned 1x1x2x2/,
  );
});
