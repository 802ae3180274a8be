import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../testing.ts';

test('phenoscope simulate writes a plate that phenoscope plate scan reads back with its plate map', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'phenoscope-sim-')), 'plate');
  const sim = await runCli(
    'simulate',
    '--out',
    dir,
    '--small',
    '--wells',
    'A01-A04',
    '--size',
    '96',
    '--cells-per-field',
    '5',
    '--no-progress',
  );
  assert.equal(sim.code, 0, sim.stderr);
  assert.match(
    sim.stdout,
    /wrote 4 fields \(4 wells x 1 site\(s\), 96x96, 16-bit, 3 channels\) of plate SIM001/,
  );
  assert.equal(readdirSync(join(dir, 'images')).length, 12);
  const csvPath = join(dir, 'scan.csv');
  const scan = await runCli(
    'plate',
    'scan',
    join(dir, 'images'),
    '--platemap',
    join(dir, 'platemap.csv'),
    '--out',
    csvPath,
  );
  assert.equal(scan.code, 0, scan.stderr);
  assert.match(scan.stdout, /layout imagexpress \(12 file\(s\)\): 12 image file\(s\) in 4 field\(s\)/);
  assert.match(scan.stdout, /wells 4, sites 1 \(1\), channels 3 \(w1, w2, w3\)/);
  assert.match(scan.stdout, /files unmatched 0/);
  const lines = readFileSync(csvPath, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'path,plate,well,row,column,site,channel,z,t,compound,concentration,unit,role');
  assert.equal(lines.length, 13);
  assert.equal(lines[1], 'SIM001_A01_s1_w1.tif,SIM001,A01,A,1,1,w1,,,DMSO,,uM,negative_control');
});

test('bad simulate options exit with code 2 and a one-line message; nothing is written', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'phenoscope-sim-')), 'never');
  const cases: [string[], RegExp][] = [
    [['--plate-format', '100'], /unknown plate format 100/],
    [['--cells-per-field', '0'], /cells per field must be an integer in \[1, \d+\], got 0/],
    [['--size', '99999'], /size must be an integer in \[32, 8192\], got 99999/],
    [['--size', 'big'], /--size: expected a number, got 'big'/],
    [['--bit-depth', '10'], /bit depth must be 8, 12 or 16, got 10/],
    [['--wells', 'Q99'], /wells item 'Q99'/],
  ];
  for (const [args, re] of cases) {
    const r = await runCli('simulate', '--out', dir, ...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line, no stack');
  }
  assert.equal(existsSync(dir), false);
});

test('plate scan: bad pattern, missing folder and bad plate map give clear errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phenoscope-scan-'));
  const badRegex = await runCli('plate', 'scan', dir, '--pattern', '(?<plate>x');
  assert.equal(badRegex.code, 1);
  assert.match(badRegex.stderr, /not a valid regular expression/);
  const missing = await runCli('plate', 'scan', join(dir, 'nope'));
  assert.match(missing.stderr, /cannot list plate folder/);
  const format = await runCli('plate', 'scan', dir, '--plate-format', '100');
  assert.equal(format.code, 2);
  assert.match(
    format.stderr,
    /--plate-format: unknown plate format "100"|--plate-format: unknown plate format 100/,
  );
});
