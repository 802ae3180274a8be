import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { simulatePlate } from '../../simulate/plate.ts';
import { runCli } from '../testing.ts';

async function plate() {
  const dir = mkdtempSync(join(tmpdir(), 'phenoscope-runcli-'));
  await simulatePlate(join(dir, 'plate'), {
    wells: 'A01-A04',
    size: 96,
    seed: 2,
    outOfFocusFraction: 0,
    saturatedFraction: 0,
  });
  writeFileSync(
    join(dir, 'p.yaml'),
    `version: 1
input: { path: plate, pattern: imagexpress, channels: { DNA: w1 } }
objects: [{ name: Nuclei, type: primary, channel: DNA }]
measurements: [{ objects: Nuclei, families: [areashape], zernike: false }]
`,
  );
  return dir;
}

test('phenoscope run: stop after 2 fields, resume, export Parquet; bad options are usage errors', async () => {
  const dir = await plate();
  const first = await runCli(
    'run',
    join(dir, 'p.yaml'),
    '--workers',
    '0',
    '--stop-after',
    '2',
    '--log',
    '--no-progress',
  );
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /SIM001\/A01\/s1 done/);
  assert.match(first.stdout, /stopped: 2 done, 0 excluded, 0 failed, 0 already stored, of 4 fields/);
  const second = await runCli(
    'run',
    join(dir, 'p.yaml'),
    '--workers',
    '0',
    '--export',
    join(dir, 'out'),
    '--no-progress',
  );
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /resuming: 2 field\(s\) already stored, 2 to do/);
  assert.match(second.stdout, /finished: 2 done, 0 excluded, 0 failed, 2 already stored, of 4 fields/);
  assert.ok(existsSync(join(dir, 'out', 'objects_Nuclei.parquet')));
  const bad = await runCli('run', join(dir, 'p.yaml'), '--workers', 'many');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--workers: expected a whole number >= 0, got 'many'/);
  const fmt = await runCli('run', join(dir, 'p.yaml'), '--format', 'xlsx');
  assert.equal(fmt.code, 2);
});

test('Ctrl-C (SIGINT) stops after the fields in flight and marks the run interrupted', async () => {
  const dir = await plate();
  const child = spawn(
    process.execPath,
    ['bin/phenoscope.js', 'run', join(dir, 'p.yaml'), '--workers', '1', '--log', '--no-progress'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (/\/s1 done/.test(stdout) && !child.killed) child.kill('SIGINT');
    });
    child.on('exit', (c) => resolve(c));
  });
  assert.equal(code, 0, stderr);
  assert.match(stderr, /stopping after the fields in flight/);
  assert.match(stdout, /stopped: [1-3] done/);
  const resumed = await runCli('run', join(dir, 'p.yaml'), '--workers', '0', '--no-progress');
  assert.match(
    resumed.stdout,
    /finished: [1-3] done, 0 excluded, 0 failed, [1-3] already stored, of 4 fields/,
  );
});
