import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { overlayOutlines } from './overlay.ts';

test('overlayOutlines draws inner boundaries in colour over the stretched image', () => {
  const image = fromData(
    Uint16Array.from({ length: 25 }, (_, i) => i * 100),
    5,
    5,
  );
  const labels = new Uint32Array(25);
  for (const i of [6, 7, 8, 11, 12, 13, 16, 17, 18]) labels[i] = 1;
  const out = overlayOutlines(image, fromData(labels, 5, 5), { stretch: [0, 100] });
  assert.equal(out.channels, 3);
  assert.deepEqual([out.data[6], out.data[25 + 6], out.data[50 + 6]], [255, 255, 0]); // outline
  assert.equal(out.data[12], Math.round((1200 / 2400) * 255)); // interior keeps its grey
  assert.equal(out.data[0], 0);
  assert.equal(out.data[24], 255);
  assert.throws(() => overlayOutlines(image, fromData(labels, 5, 5), { stretch: [50, 10] }), /stretch/);
});
