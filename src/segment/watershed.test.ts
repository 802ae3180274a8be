import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { fixture } from './testFixtures.ts';
import { watershed } from './watershed.ts';

test('watershed equals skimage on a unique-valued image, 4/8-connected and masked (exact)', async () => {
  const image = await fixture('ws_image');
  const markers = await fixture('ws_markers');
  const markerLabels = fromData(Int32Array.from(markers.data), markers.width, markers.height);
  const mask = await fixture('ws_mask');
  assert.deepEqual(
    Array.from(watershed(image, markerLabels, { connectivity: 4 }).data),
    Array.from((await fixture('ws_4')).data),
  );
  assert.deepEqual(
    Array.from(watershed(image, markerLabels, { connectivity: 8 }).data),
    Array.from((await fixture('ws_8')).data),
  );
  assert.deepEqual(
    Array.from(watershed(image, markerLabels, { connectivity: 8, mask }).data),
    Array.from((await fixture('ws_mask_8')).data),
  );
});

test('watershed equals skimage on an integer image with plateaus (same heap tie-breaking)', async () => {
  const image = await fixture('ws_plateau_image');
  const markers = await fixture('ws_markers');
  const markerLabels = fromData(Int32Array.from(markers.data), markers.width, markers.height);
  for (const c of [4, 8] as const) {
    assert.deepEqual(
      Array.from(watershed(image, markerLabels, { connectivity: c }).data),
      Array.from((await fixture(`ws_plateau_${c}`)).data),
    );
  }
});

test('watershed: flat image splits between two markers at the middle; no markers gives zeros', () => {
  const flat = fromData(new Uint8Array(6), 6, 1);
  const m = fromData(Uint32Array.from([1, 0, 0, 0, 0, 2]), 6, 1);
  assert.deepEqual(Array.from(watershed(flat, m).data), [1, 1, 1, 2, 2, 2]);
  assert.deepEqual(Array.from(watershed(flat, fromData(new Uint32Array(6), 6, 1)).data), [0, 0, 0, 0, 0, 0]);
  assert.throws(() => watershed(flat, fromData(new Uint32Array(4), 4, 1)), /size/);
  assert.throws(() => watershed(flat, fromData(new Float32Array(6), 6, 1)), /integer/);
});
