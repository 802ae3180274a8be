import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedPath, skipUnlessShared } from '../../testing/shared.ts';
import { runCli } from '../testing.ts';

test('phenoscope pipeline check: summary for a valid file, line-precise errors and exit 1 for a typo', async () => {
  const ok = await runCli('pipeline', 'check', 'examples/pipelines/simulated.yaml');
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /pipeline 'simulated-small' \(version 1\)/);
  assert.match(
    ok.stdout,
    /objects: Nuclei \(primary, classical on DNA\), Cells \(secondary\), Cytoplasm \(tertiary\)/,
  );
  const dir = mkdtempSync(join(tmpdir(), 'phenoscope-check-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(
    bad,
    readFileSync('examples/pipelines/simulated.yaml', 'utf8').replace('zernike: false', 'zernikee: false'),
  );
  const res = await runCli('pipeline', 'check', bad);
  assert.equal(res.code, 1);
  assert.match(
    res.stderr,
    /bad\.yaml:\d+:5: measurements\[0\]\.zernikee: unknown option 'zernikee' \(did you mean 'zernike'\?\)/,
  );
  const missing = await runCli('pipeline', 'check', join(dir, 'none.yaml'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read pipeline file/);
});

test('phenoscope pipeline import writes YAML that checks, and reports what was not carried', {
  skip: skipUnlessShared('cp_example_plates/ExampleHuman/ExampleHuman.cppipe'),
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phenoscope-import-'));
  const out = join(dir, 'human.yaml');
  const res = await runCli(
    'pipeline',
    'import',
    sharedPath('cp_example_plates/ExampleHuman/ExampleHuman.cppipe')!,
    '--out',
    out,
    '--name',
    'human',
  );
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stderr, /not carried over or changed \(\d+\):/);
  assert.match(res.stderr, /\[dropped\] 7 RelateObjects: module not available/);
  assert.match(readFileSync(out, 'utf8'), /^# Imported by 'phenoscope pipeline import'/);
  const check = await runCli('pipeline', 'check', out);
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout, /pipeline 'human'/);
  const bad = await runCli('pipeline', 'import', 'examples/pipelines/simulated.yaml');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /line 1: not a CellProfiler pipeline/);
});
