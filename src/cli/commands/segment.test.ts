import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fromData } from '../../image/image.ts';
import { readImage, writeImage } from '../../io/index.ts';
import { main } from '../main.ts';

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const err = process.stderr.write.bind(process.stderr);
  const out = console.log;
  const warn = console.error;
  let stderr = '';
  let stdout = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  console.log = (...parts: unknown[]) => {
    stdout += `${parts.join(' ')}\n`;
  };
  console.error = (...parts: unknown[]) => {
    stderr += `${parts.join(' ')}\n`;
  };
  try {
    const code = await main(['node', 'phenoscope', ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stderr.write = err;
    console.log = out;
    console.error = warn;
  }
}

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
  const seg = await run('segment', input, '--out', out, '--method', 'classical', '--no-progress');
  assert.equal(seg.code, 0, seg.stderr);
  for (const f of ['a_labels.tiff', 'a_overlay.png', 'b_labels.tiff', 'b_overlay.png']) {
    assert.ok(existsSync(join(out, f)), f);
  }
  const labels = await readImage(join(out, 'a_labels.tiff'));
  assert.equal(labels.dtype, 'uint16');
  assert.equal(new Set(labels.data).size, 3);
  const csv = join(dir, 'metrics.csv');
  const ev = await run('evaluate', '--pred', out, '--truth', truthDir, '--out', csv, '--no-progress');
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
  const r = await run(
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
  const missing = await run('segment', '/no/such/file.tif', '--out', '/tmp/x');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file/);
  const dir = mkdtempSync(join(tmpdir(), 'phenoscope-seg-'));
  await writeImage(join(dir, 'a.tif'), scene(20, 20, [[10, 10, 4]]).image);
  const badThreshold = await run('segment', join(dir, 'a.tif'), '--out', dir, '--threshold', 'magic');
  assert.equal(badThreshold.code, 2);
  assert.match(badThreshold.stderr, /--threshold/);
  const badDiameter = await run('segment', join(dir, 'a.tif'), '--out', dir, '--diameter', '9,3');
  assert.equal(badDiameter.code, 2);
  const badChannel = await run('segment', join(dir, 'a.tif'), '--out', dir, '--object', 'cells');
  assert.equal(badChannel.code, 2);
  assert.match(badChannel.stderr, /cell-channel 1/);
  const noPairs = await run('evaluate', '--pred', dir, '--truth', mkdtempSync(join(tmpdir(), 'empty-')));
  assert.equal(noPairs.code, 2);
  assert.match(noPairs.stderr, /no predicted image/);
});

test('phenoscope segment rejects an unknown --cell-method', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phenoscope-seg-'));
  await writeImage(join(dir, 'a.tif'), scene(20, 20, [[10, 10, 4]]).image);
  const r = await run(
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
