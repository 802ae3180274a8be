import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fromData } from '../../image/image.ts';
import { writeImage } from '../../io/index.ts';
import { runCli } from '../testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'phenoscope-measure-'));
const labelsPath = join(dir, 'labels.tiff');
const imagePath = join(dir, 'dna.tif');
const smallPath = join(dir, 'small.tif');

async function setup(): Promise<void> {
  const labels = new Uint16Array(20 * 16);
  for (let y = 2; y < 7; y++) for (let x = 3; x < 9; x++) labels[y * 20 + x] = 4;
  for (let y = 9; y < 14; y++) for (let x = 10; x < 18; x++) labels[y * 20 + x] = 7;
  await writeImage(labelsPath, fromData(labels, 20, 16));
  const pixels = Uint16Array.from({ length: 20 * 16 }, (_, i) => (i * 37) % 65536);
  await writeImage(imagePath, fromData(pixels, 20, 16));
  await writeImage(smallPath, fromData(new Uint16Array(100), 10, 10));
}

test('phenoscope measure: writes Nuclei.csv (one row per label value) and Image.csv', async () => {
  await setup();
  const out = join(dir, 'out');
  const { code, stderr } = await runCli(
    'measure',
    '--labels',
    labelsPath,
    '--image',
    `DNA=${imagePath}`,
    '--out',
    out,
  );
  assert.equal(code, 0, stderr);
  const lines = readFileSync(join(out, 'Nuclei.csv'), 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  assert.deepEqual(header.slice(0, 3), ['ImageNumber', 'ObjectNumber', 'AreaShape_Area']);
  assert.ok(
    header.includes('Intensity_MeanIntensity_DNA') && header.includes('Texture_Contrast_DNA_3_00_256'),
  );
  assert.equal(header.length, 134); // ImageNumber, ObjectNumber + the 132 columns of CellProfiler's nuclei pipeline
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(',').slice(0, 3).join(',')),
    ['1,4,30', '1,7,40'],
  );
  assert.equal(readFileSync(join(out, 'Image.csv'), 'utf8').trim(), 'ImageNumber,Count_Nuclei\n1,2');
});

test('phenoscope measure: bad input gives one-line errors', async () => {
  await setup();
  const out = join(dir, 'bad');
  const cases: [string[], RegExp][] = [
    [['--image', `DNA=${smallPath}`], /10x10 but the first input is 20x16/],
    [['--image', 'DNA'], /expected NAME=FILE/],
    [['--image', `DNA=${join(dir, 'missing.tif')}`], /cannot read image DNA .*missing\.tif/],
    [['--image', `DNA=${imagePath}`, '--features', 'areashape,shapes'], /unknown family 'shapes'/],
    [['--image', `DNA=${imagePath}`, '--format', 'xlsx'], /expected csv and\/or parquet/],
    [[], /need at least one --image/],
    [['--image', `DNA=${imagePath}`, '--features', 'colocalization'], /needs at least two --image/],
  ];
  for (const [extra, message] of cases) {
    const { code, stderr } = await runCli('measure', '--labels', labelsPath, '--out', out, ...extra);
    assert.notEqual(code, 0, extra.join(' '));
    assert.match(stderr, message);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
  }
  const missing = await runCli(
    'measure',
    '--labels',
    join(dir, 'nope.tiff'),
    '--image',
    `DNA=${imagePath}`,
    '--out',
    out,
  );
  assert.match(missing.stderr, /cannot read label image .*nope\.tiff/);
});
