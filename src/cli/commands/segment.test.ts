import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fromData } from '../../image/image.ts';
import { readImage, writeImage } from '../../io/index.ts';
import { runCli } from '../testing.ts';

/** 16-bit image with discs; returns the image and its true label image. */
function scene(w: number, h: number, discs: [number, number, number][]) {
  const img = new Uint16Array(w * h).fill(500);
  const truth = new Uint16Array(w * h);
  discs.forEach(([cx, cy, r], k) => {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) {
          img[y * w + x] = 6000 + 1000 * k;
          truth[y * w + x] = k + 1;
        }
      }
    }
  });
  return { image: fromData(img, w, h), truth: fromData(truth, w, h) };
}

test('phenoscope segment writes <name>_labels.tiff and an overlay; evaluate scores them against truth', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phenoscope-seg-'));
  const input = join(dir, 'in');
  const truthDir = join(dir, 'truth');
  mkdirSync(input);
  mkdirSync(truthDir);
  const a = scene(80, 60, [
    [20, 20, 8],
    [50, 35, 9],
  ]);
  const b = scene(80, 60, [[40, 30, 10]]);
  await writeImage(join(input, 'a.tif'), a.image);
  await writeImage(join(input, 'b.png'), b.image);
  await writeImage(join(truthDir, 'a_labels.tiff'), a.truth);
  await writeImage(join(truthDir, 'b.png'), b.truth);
  const out = join(dir, 'out');
  const seg = await runCli('segment', input, '--out', out, '--method', 'classical', '--no-progress');
  assert.equal(seg.code, 0, seg.stderr);
  for (const f of ['a_labels.tiff', 'a_overlay.png', 'b_labels.tiff', 'b_overlay.png']) {
    assert.ok(existsSync(join(out, f)), f);
  }
  const labels = await readImage(join(out, 'a_labels.tiff'));
  assert.equal(labels.dtype, 'uint16');
  assert.equal(new Set(labels.data).size, 3);
  const csv = join(dir, 'metrics.csv');
  const ev = await runCli('evaluate', '--pred', out, '--truth', truthDir, '--out', csv, '--no-progress');
  assert.equal(ev.code, 0, ev.stderr);
  assert.match(ev.stdout, /F1@0\.5 1\.0000/);
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines.length, 4); // header, a, b, overall
  assert.match(lines[3]!, /^ALL \(pooled\),3,3,3,0,0,/);
});

test('phenoscope segment --object cells writes nuclei and cell labels from two channels', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phenoscope-seg-'));
  const nuc = scene(60, 40, [
    [15, 20, 5],
    [45, 20, 5],
  ]).image;
  const cell = scene(60, 40, [
    [15, 20, 12],
    [45, 20, 12],
  ]).image;
  const two = fromData(new Uint16Array(60 * 40 * 2), 60, 40, { channels: 2 });
  two.data.set(nuc.data, 0);
  two.data.set(cell.data, 60 * 40);
  await writeImage(join(dir, 'field.tif'), two);
  const r = await runCli(
    'segment',
    join(dir, 'field.tif'),
    '--out',
    join(dir, 'o'),
    '--object',
    'cells',
    '--channel',
    '0',
  );
  assert.equal(r.code, 0, r.stderr);
  const cells = await readImage(join(dir, 'o', 'field_labels.tiff'));
  const nuclei = await readImage(join(dir, 'o', 'field_nuclei_labels.tiff'));
  assert.equal(new Set(cells.data).size, 3);
  assert.ok(cells.data.filter((v) => v > 0).length > 2 * nuclei.data.filter((v) => v > 0).length);
});

test('phenoscope segment / evaluate: bad input gives one-line errors', async () => {
  const missing = await runCli('segment', '/no/such/file.tif', '--out', '/tmp/x');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file/);
  const dir = mkdtempSync(join(tmpdir(), 'phenoscope-seg-'));
  await writeImage(join(dir, 'a.tif'), scene(20, 20, [[10, 10, 4]]).image);
  const badThreshold = await runCli('segment', join(dir, 'a.tif'), '--out', dir, '--threshold', 'magic');
  assert.equal(badThreshold.code, 2);
  assert.match(badThreshold.stderr, /--threshold/);
  const badDiameter = await runCli('segment', join(dir, 'a.tif'), '--out', dir, '--diameter', '9,3');
  assert.equal(badDiameter.code, 2);
  const badChannel = await runCli('segment', join(dir, 'a.tif'), '--out', dir, '--object', 'cells');
  assert.equal(badChannel.code, 2);
  assert.match(badChannel.stderr, /cell-channel 1/);
  const noPairs = await runCli('evaluate', '--pred', dir, '--truth', mkdtempSync(join(tmpdir(), 'empty-')));
  assert.equal(noPairs.code, 2);
  assert.match(noPairs.stderr, /no predicted image/);
});

test('phenoscope segment rejects an unknown --cell-method', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phenoscope-seg-'));
  await writeImage(join(dir, 'a.tif'), scene(20, 20, [[10, 10, 4]]).image);
  const r = await runCli(
    'segment',
    join(dir, 'a.tif'),
    '--out',
    dir,
    '--object',
    'cells',
    '--cell-method',
    'magic',
  );
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--cell-method/);
});

test('phenoscope segment --method cnn writes labels; a bad --method is a usage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phenoscope-segcnn-'));
  const w = 64;
  const data = new Uint16Array(w * w).fill(300);
  for (const [cx, cy] of [
    [18, 20],
    [44, 42],
  ] as const) {
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++) if ((x - cx) ** 2 + (y - cy) ** 2 < 49) data[y * w + x] = 4000;
  }
  await writeImage(join(dir, 'two.tif'), fromData(data, w, w));
  const ok = await runCli('segment', join(dir, 'two.tif'), '--out', join(dir, 'out'), '--method', 'cnn');
  assert.equal(ok.code, 0, ok.stderr);
  const labels = await readImage(join(dir, 'out', 'two_labels.tiff'));
  assert.equal(Math.max(...labels.data), 2);
  const bad = await runCli('segment', join(dir, 'two.tif'), '--out', join(dir, 'out'), '--method', 'magic');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--method: expected classical or cnn, got 'magic'/);
});
