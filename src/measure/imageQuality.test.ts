import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fromData } from '../image/image.ts';
import { readImage } from '../io/index.ts';
import { readNpy } from '../io/npy.ts';
import { assertClose } from '../testing/assert.ts';
import { sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { FftPlan } from './fft.ts';
import { imageQualitySchema, measureImageQuality } from './imageQuality.ts';

const FLY = 'cp_examplefly_with_cp_output/ExampleFly';

test('FFT of any length equals the direct DFT', () => {
  // Powers of two (radix 2), 7-smooth lengths (mixed radix 4/2/3/5/7) and others (Bluestein).
  for (const n of [1, 2, 3, 7, 8, 11, 12, 15, 49, 64, 100, 210, 1000, 1006]) {
    const re = Float64Array.from({ length: n }, (_, k) => Math.sin(k * 1.3) + (k % 3));
    const im = Float64Array.from({ length: n }, (_, k) => Math.cos(k * 0.7) - 0.5);
    const wantRe = new Float64Array(n);
    const wantIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < n; j++) {
        const a = (-2 * Math.PI * ((j * k) % n)) / n;
        wantRe[k]! += re[j]! * Math.cos(a) - im[j]! * Math.sin(a);
        wantIm[k]! += re[j]! * Math.sin(a) + im[j]! * Math.cos(a);
      }
    }
    new FftPlan(n).forward(re, im);
    // Round-off of O(n log n) float64 operations on O(1) values.
    assertClose(re, wantRe, { atol: 1e-9 }, `re n=${n}`);
    assertClose(im, wantIm, { atol: 1e-9 }, `im n=${n}`);
  }
});

for (const [name, scale] of [
  ['iq_a', 9],
  ['iq_b', 7],
] as const) {
  test(`matches the NumPy/SciPy transcription of CellProfiler on ${name}`, async () => {
    const npy = await readNpy(`test/fixtures/measure2/${name}_image.npy`);
    const [h, w] = npy.shape as [number, number];
    const image = fromData(Float32Array.from(npy.data as ArrayLike<number>), w, h);
    const expected = (await readNpy(`test/fixtures/measure2/${name}_expected.npy`)).data as Float64Array;
    const got = measureImageQuality(image, {
      channelName: 'DNA',
      focusScales: [scale],
      percentiles: [1, 5, 50, 95, 99],
    });
    assert.equal(got.length, expected.length);
    for (let k = 0; k < got.length; k++) {
      // float64 on both sides; only summation order (and FFT algorithm, for the slope) differ.
      assertClose(got[k]!.value, expected[k]!, { rtol: 1e-9, atol: 1e-12 }, got[k]!.spec.name);
    }
  });
}

test('saturation percentages are exact counts', () => {
  const data = new Float32Array(40).fill(0.5);
  data[3] = 1;
  data[17] = 1;
  data[5] = 0.1;
  const m = measureImageQuality(fromData(data, 8, 5), { channelName: 'GFP' });
  const by = new Map(m.map((x) => [x.spec.name, x.value]));
  assert.equal(by.get('ImageQuality_PercentMaximal_GFP'), 5);
  assert.equal(by.get('ImageQuality_PercentMinimal_GFP'), 2.5);
  assert.equal(by.get('ImageQuality_MedianIntensity_GFP'), 0.5);
  assert.equal(by.get('ImageQuality_MADIntensity_GFP'), 0);
  assert.equal(by.get('ImageQuality_TotalArea_GFP'), 40);
});

test('order statistics of float32 data with negatives, zeros and NaN (radix-sorted) equal numpy percentile', () => {
  const values = [0.5, -1, -0.25, 2, 0, -0, Number.NaN, 0.125, 3.5, -7];
  const m = measureImageQuality(fromData(Float32Array.from(values), 5, 2), {
    channelName: 'X',
    percentiles: [0, 10, 90, 100],
  });
  const by = new Map(m.map((x) => [x.spec.name, x.value]));
  // numpy on the 9 finite values: sorted [-7, -1, -0.25, 0, 0, 0.125, 0.5, 2, 3.5].
  assert.equal(by.get('ImageQuality_MinIntensity_X'), -7);
  assert.equal(by.get('ImageQuality_MaxIntensity_X'), 3.5);
  assert.equal(by.get('ImageQuality_MedianIntensity_X'), 0);
  assert.equal(by.get('ImageQuality_TotalArea_X'), 9);
  assertClose(by.get('Intensity_Percentile_10_X')!, -7 + 0.8 * 6, { rtol: 1e-12 });
  assertClose(by.get('Intensity_Percentile_90_X')!, 2 + 0.2 * 1.5, { rtol: 1e-12 });
  assert.equal(by.get('Intensity_Percentile_0_X'), -7);
  assert.equal(by.get('Intensity_Percentile_100_X'), 3.5);
  assertClose(by.get('Intensity_LowerQuartileIntensity_X')!, -0.25, { rtol: 1e-12 });
});

test('constant image: scores are 0, not NaN', () => {
  const m = measureImageQuality(fromData(new Float32Array(64 * 64).fill(0.25), 64, 64), {
    channelName: 'DNA',
  });
  const by = new Map(m.map((x) => [x.spec.name, x.value]));
  assert.equal(by.get('ImageQuality_FocusScore_DNA'), 0);
  assert.equal(by.get('ImageQuality_LocalFocusScore_DNA_20'), 0);
  assert.equal(by.get('ImageQuality_PowerLogLogSlope_DNA'), 0);
  assert.equal(by.get('ImageQuality_LaplacianVariance_DNA'), 0);
  assert.equal(by.get('ImageQuality_PercentMaximal_DNA'), 100);
});

test('schema names and bad input', () => {
  const names = imageQualitySchema({ channelName: 'DNA', scaling: 65535 }).map((s) => s.name);
  assert.ok(names.includes('ImageQuality_LocalFocusScore_DNA_20'));
  assert.ok(names.includes('Intensity_Percentile_99_DNA'));
  assert.equal(names.at(-1), 'ImageQuality_Scaling_DNA');
  const img = fromData(new Float32Array(16), 4, 4);
  assert.throws(
    () => measureImageQuality(img, { channelName: '' }),
    /channelName must be a non-empty string/,
  );
  assert.throws(
    () => measureImageQuality(img, { channelName: 'x', focusScales: [0] }),
    /focusScales .* got 0/,
  );
  assert.throws(
    () => measureImageQuality(img, { channelName: 'x', percentiles: [101] }),
    /percentiles .* got 101/,
  );
  assert.throws(
    () => measureImageQuality(fromData(new Float32Array(32), 4, 4, { channels: 2 }), { channelName: 'x' }),
    /1 channel, got 2/,
  );
});

test("agrees with CellProfiler's MeasureImageQuality output on ExampleFly (9 real 8-bit fields)", {
  skip: skipUnlessShared(FLY),
}, async () => {
  const root = sharedPath(FLY)!;
  const lines = readFileSync(join(root, 'output/Image.csv'), 'utf8').trim().split(/\r?\n/);
  const split = (l: string) => l.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
  const header = split(lines[0]!);
  const rows = lines.slice(1).map(split);
  let compared = 0;
  for (const row of rows) {
    for (const channel of ['OrigBlue', 'OrigGreen', 'OrigRed']) {
      const raw = await readImage(join(root, 'images', row[header.indexOf(`FileName_${channel}`)]!));
      const scaled = new Float32Array(raw.data.length);
      for (let i = 0; i < scaled.length; i++) scaled[i] = (raw.data[i] as number) / 255;
      const got = measureImageQuality(fromData(scaled, raw.width, raw.height), {
        channelName: channel,
        scaling: 255,
      });
      for (const m of got) {
        const j = header.indexOf(m.spec.name);
        if (j < 0) continue; // our additions (Laplacian variance, percentiles)
        // CellProfiler wrote several of these columns as float32 with 6 significant digits.
        assertClose(m.value, Number(row[j]), { rtol: 2e-5, atol: 1e-9 }, `${channel} ${m.spec.name}`);
        compared++;
      }
    }
  }
  assert.equal(compared, 3 * 3 * 14);
});
