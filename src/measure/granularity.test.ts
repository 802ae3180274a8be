import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { readNpy } from '../io/npy.ts';
import { assertClose } from '../testing/assert.ts';
import { granularity, granularitySchema, measureGranularity } from './granularity.ts';
import { reconstructByDilation } from './reconstruction.ts';

async function inputs() {
  const im = await readNpy('test/fixtures/measure2/gran_image.npy');
  const l = await readNpy('test/fixtures/measure2/gran_labels.npy');
  const [h, w] = im.shape as [number, number];
  return {
    image: fromData(Float32Array.from(im.data as ArrayLike<number>), w, h),
    labels: fromData(Int32Array.from(l.data as ArrayLike<number>), w, h),
  };
}

test('reconstruction by dilation: hand example and idempotence', () => {
  // Seed 5 in a corner: the 4-connected ridge of 7s and the 9 below it rise to 5; the 7s on the right touch the
  // ridge only diagonally and stay 0.
  const mask = Float64Array.from([7, 7, 7, 0, 9, 0, 0, 7, 0, 0, 0, 7]);
  const seed = Float64Array.from([5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const r = reconstructByDilation(seed, mask, 4, 3);
  assert.deepEqual(Array.from(r), [5, 5, 5, 0, 5, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(reconstructByDilation(r, mask, 4, 3)), Array.from(r));
  assert.throws(
    () => reconstructByDilation(Float64Array.from([2]), Float64Array.from([1]), 1, 1),
    /seed 2 exceeds mask 1/,
  );
});

for (const [name, options] of [
  ['default', {}],
  ['half', { subsampleSize: 0.5, imageSampleSize: 0.5, elementSize: 3, spectrumLength: 6 }],
  ['full', { subsampleSize: 1, imageSampleSize: 1, elementSize: 4, spectrumLength: 5 }],
] as const) {
  test(`matches the scipy/skimage transcription of CellProfiler (${name} settings)`, async () => {
    const { image, labels } = await inputs();
    const expectedImage = (await readNpy(`test/fixtures/measure2/gran_${name}_image.npy`))
      .data as Float64Array;
    const expectedObjects = (await readNpy(`test/fixtures/measure2/gran_${name}_objects.npy`))
      .data as Float64Array;
    const result = granularity(labels, image, { channelName: 'DNA', ...options });
    const length = expectedImage.length;
    assert.equal(result.image.length, length);
    // Same interpolation, morphology and reconstruction in float64; differences are round-off in the means
    // (values are percentages, so an absolute bound).
    assertClose(
      result.image.map((m) => m.value),
      expectedImage,
      { atol: 1e-8 },
      'image spectrum',
    );
    for (let step = 0; step < length; step++) {
      const want = Array.from({ length: 4 }, (_, o) => expectedObjects[o * length + step]!);
      assertClose(result.objects.features[step]!.values, want, { atol: 1e-8 }, `Granularity_${step + 1}`);
    }
  });
}

test('names, bad input and empty labels', async () => {
  assert.equal(granularitySchema({ channelName: 'DNA' })[15]!.name, 'Granularity_16_DNA');
  const { image } = await inputs();
  const empty = measureGranularity(
    fromData(new Uint32Array(image.width * image.height), image.width, image.height),
    image,
    {
      channelName: 'DNA',
    },
  );
  assert.equal(empty.objectNumbers.length, 0);
  assert.equal(empty.features.length, 16);
  const l = fromData(new Uint32Array(4), 2, 2);
  assert.throws(
    () => measureGranularity(l, image, { channelName: 'DNA' }),
    /label image is 2x2 but the intensity image is 118x101/,
  );
  const small = fromData(new Float32Array(4), 2, 2);
  assert.throws(
    () => measureGranularity(l, small, { channelName: 'DNA', subsampleSize: 0 }),
    /subsampleSize must lie in \(0, 1\], got 0/,
  );
  assert.throws(
    () => measureGranularity(l, small, { channelName: 'DNA', spectrumLength: 0 }),
    /spectrumLength/,
  );
});
