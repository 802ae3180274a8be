import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadFixtureImage } from '../../filter/testing.ts';
import { readImage, writeImage } from '../../io/index.ts';
import { assertClose } from '../../testing/assert.ts';
import { EXPECTED } from '../../threshold/testing.ts';
import { runCli } from '../testing.ts';

// End to end: the 12-bit blobs fixture written as a 16-bit TIFF; expected values are CellProfiler's Threshold
// module re-expressed in scripts/fixtures/threshold_make.py (Li and three-class Otsu, same tolerance as apply.test.ts).
test('phenoscope threshold: Li and three-class Otsu agree with CellProfiler; mask written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phenoscope-threshold-'));
  const input = join(dir, 'blobs.tif');
  await writeImage(input, await loadFixtureImage('threshold', 'in_u16'));
  const li = await runCli('threshold', input, '--json');
  assert.equal(li.code, 0, li.stderr);
  const liResult = JSON.parse(li.stdout) as { thresholdScaled: number; foregroundFraction: number };
  const e = EXPECTED.cp_li as unknown as { final: number[] };
  assertClose(liResult.thresholdScaled, e.final[0]!, { rtol: 1e-6 });
  const out = join(dir, 'mask.png');
  const otsu = await runCli(
    'threshold',
    input,
    '--method',
    'otsu',
    '--classes',
    '3',
    '--middle',
    'background',
    '--out',
    out,
  );
  assert.equal(otsu.code, 0, otsu.stderr);
  assert.match(otsu.stdout, /threshold {3}[\d.]+ \(image units\)/);
  const e3 = EXPECTED.cp_otsu3_bg as unknown as { final: number[] };
  const mask = await readImage(out);
  const expected = (await loadFixtureImage('threshold', 'cp_otsu3_bg_binary')).data;
  let differ = 0;
  for (let i = 0; i < expected.length; i++) if ((mask.data[i]! > 0 ? 1 : 0) !== expected[i]) differ++;
  assert.ok(differ <= 2, `${differ} mask pixels differ`);
  assert.match(
    otsu.stdout,
    new RegExp(`${String(Number((e3.final[0]! * 65535).toPrecision(6))).replace('.', '\\.')}`),
  );
});

test('phenoscope threshold: bad options are usage errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phenoscope-threshold-'));
  const input = join(dir, 'blobs.tif');
  await writeImage(input, await loadFixtureImage('threshold', 'in_u16'));
  const bad = await runCli('threshold', input, '--method', 'kmeans');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--method must be one of/);
  const window = await runCli('threshold', input, '--strategy', 'adaptive', '--window', '40');
  assert.equal(window.code, 2);
  assert.match(window.stderr, /too large/);
  const bounds = await runCli('threshold', input, '--bounds', '0.5');
  assert.equal(bounds.code, 2);
  const missing = await runCli('threshold', join(dir, 'missing.tif'));
  assert.notEqual(missing.code, 0);
});
