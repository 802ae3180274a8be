import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fromData, type Image } from '../image/image.ts';
import { readImage } from '../io/index.ts';
import { readNpy } from '../io/npy.ts';
import { assertClose } from '../testing/assert.ts';
import { sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { colocalizationSchema, measureColocalization, measureImageColocalization } from './colocalization.ts';

const FLY = 'cp_examplefly_with_cp_output/ExampleFly';

async function npyImage(name: string, as: 'int' | 'float'): Promise<Image> {
  const npy = await readNpy(`test/fixtures/measure2/${name}.npy`);
  const [h, w] = npy.shape as [number, number];
  const data =
    as === 'int'
      ? Int32Array.from(npy.data as ArrayLike<number>)
      : Float32Array.from(npy.data as ArrayLike<number>);
  return fromData(data, w, h);
}

test('CellProfiler names in both orders', () => {
  const names = colocalizationSchema({ channelA: 'DNA', channelB: 'GFP' }).map((s) => s.name);
  assert.deepEqual(names, [
    'Correlation_Correlation_DNA_GFP',
    'Correlation_Manders_DNA_GFP',
    'Correlation_Manders_GFP_DNA',
    'Correlation_RWC_DNA_GFP',
    'Correlation_RWC_GFP_DNA',
    'Correlation_Overlap_DNA_GFP',
    'Correlation_K_DNA_GFP',
    'Correlation_K_GFP_DNA',
    'Correlation_Costes_DNA_GFP',
    'Correlation_Costes_GFP_DNA',
  ]);
});

test('matches the NumPy/SciPy transcription of CellProfiler per object (incl. Costes bisection)', async () => {
  const labels = (await npyImage('coloc_labels', 'int')) as Image<'int32'>;
  const a = await npyImage('coloc_first', 'float');
  const b = await npyImage('coloc_second', 'float');
  const expected = (await readNpy('test/fixtures/measure2/coloc_expected.npy')).data as Float64Array;
  const fs = measureColocalization(labels, a, b, { channelA: 'A', channelB: 'B' });
  assert.equal(fs.objectNumbers.length, 4);
  fs.features.forEach((col, f) => {
    const want = Array.from({ length: 4 }, (_, i) => expected[i * 10 + f]!);
    // float64 sums in another order; Costes thresholds are found on the same integer grid.
    assertClose(col.values, want, { rtol: 1e-9, atol: 1e-12 }, col.spec.name);
  });
});

test('hand-computed: identical channels, scaled copies and an anti-correlated pair', () => {
  const labels = fromData(Uint32Array.from([1, 1, 1, 1, 2, 2, 2, 2]), 4, 2);
  const a = fromData(Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.3, 0.4]), 4, 2);
  const b = fromData(Float32Array.from([0.2, 0.4, 0.6, 0.8, 0.4, 0.3, 0.2, 0.1]), 4, 2);
  const fs = measureColocalization(labels, a, b, {
    channelA: 'A',
    channelB: 'B',
    thresholdPercent: 50,
    costes: false,
  });
  const v = (name: string) =>
    Array.from(fs.features.find((f) => f.spec.name === `Correlation_${name}`)!.values);
  assertClose(v('Correlation_A_B'), [1, -1], { atol: 1e-12 });
  // Inputs are float32, so hand values hold to float32 precision.
  const tol = { rtol: 1e-6 };
  // Object 1 (B = 2 A): thresholds 0.2 (A) and 0.4 (B) keep pixels 2..4 in both: M1 = 1, K1 = sum(ab) / sum(a^2) = 2.
  assertClose(v('K_A_B')[0]!, 2, tol);
  assertClose(v('K_B_A')[0]!, 0.5, tol);
  assertClose(v('Overlap_A_B')[0]!, 1, tol);
  // Object 2: A >= 0.2 keeps A = 0.2, 0.3, 0.4; B >= 0.2 keeps B = 0.4, 0.3, 0.2; both at the middle two pixels.
  assertClose(v('Manders_A_B'), [1, 0.5 / 0.9], tol);
  assertClose(v('Manders_B_A'), [1, 0.5 / 0.9], tol);
});

test('bad input', () => {
  const l = fromData(new Uint32Array(4), 2, 2);
  const a = fromData(new Float32Array(4), 2, 2);
  assert.throws(
    () => measureColocalization(l, a, fromData(new Float32Array(6), 3, 2), { channelA: 'A', channelB: 'B' }),
    /differ in size: 2x2 and 3x2/,
  );
  assert.throws(
    () => measureColocalization(l, a, a, { channelA: '', channelB: 'B' }),
    /channelA must be a non-empty string/,
  );
  assert.throws(
    () => measureColocalization(l, a, a, { channelA: 'A', channelB: 'B', thresholdPercent: 120 }),
    /got 120/,
  );
  const empty = measureColocalization(l, a, a, { channelA: 'A', channelB: 'B' });
  assert.equal(empty.objectNumbers.length, 0);
  assert.equal(empty.features.length, 10);
});

test("whole-image values agree with CellProfiler's on ExampleFly's 199 x 199 crops (3 fields)", {
  skip: skipUnlessShared(FLY),
}, async () => {
  const root = sharedPath(FLY)!;
  const lines = readFileSync(join(root, 'output/Image.csv'), 'utf8').trim().split(/\r?\n/);
  const split = (l: string) => l.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
  const header = split(lines[0]!);
  // The pipeline's Crop: rows 251..449, columns 501..699 (0-based), 8-bit intensities / 255.
  const crop = async (file: string) => {
    const img = await readImage(join(root, 'images', file));
    const out = new Float32Array(199 * 199);
    for (let y = 0; y < 199; y++) {
      for (let x = 0; x < 199; x++)
        out[y * 199 + x] = (img.data[(y + 251) * img.width + x + 501] as number) / 255;
    }
    return fromData(out, 199, 199);
  };
  for (const row of lines.slice(1).map(split)) {
    const a = await crop(row[header.indexOf('FileName_OrigBlue')]!);
    const b = await crop(row[header.indexOf('FileName_OrigGreen')]!);
    // CellProfiler 3 computed Costes with an older search, so Costes is not compared (see measurement notes).
    const got = measureImageColocalization(a, b, {
      channelA: 'CropBlue',
      channelB: 'CropGreen',
      costes: false,
    });
    assert.equal(got.length, 9);
    for (const m of got) {
      // The CSV holds 6 significant digits for some columns.
      assertClose(m.value, Number(row[header.indexOf(m.spec.name)]), { rtol: 2e-5 }, m.spec.name);
    }
  }
});
