import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parsePipeline } from './load.ts';
import { planFields } from './runner.ts';

test('fields: keys from plate/well/site (folders tell plate-less names apart), missing channels, well filter', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-plan-'));
  try {
    for (const folder of ['day1', 'day2']) {
      await mkdir(join(dir, folder));
      for (const name of [
        'A01_s1_w1.tif',
        'A01_s1_w2.tif',
        'A02_s1_w1.tif',
        'B01_s2_w1.tif',
        'B01_s2_w2.tif',
      ]) {
        await writeFile(join(dir, folder, name), ''); // names only: planning reads no pixels
      }
    }
    const text = (wells = '') =>
      `version: 1\ninput: { path: ${JSON.stringify(dir)}, pattern: imagexpress, channels: { DNA: w1, GFP: w2 }${wells} }\n`;
    const planned = await planFields(parsePipeline(text(), 'p.yaml').pipeline, '.');
    assert.deepEqual(
      planned.map((p) => [p.job.key, p.missing !== undefined]),
      [
        ['day1/A01/s1', false],
        ['day2/A01/s1', false],
        ['day1/A02/s1', true],
        ['day2/A02/s1', true],
        ['day1/B01/s2', false],
        ['day2/B01/s2', false],
      ],
    );
    assert.match(planned[2]!.missing!, /missing channel file\(s\) GFP \(w2\); found w1/);
    assert.equal(planned[0]!.job.files.GFP, join(dir, 'day1', 'A01_s1_w2.tif'));
    const only = await planFields(parsePipeline(text(', wells: [B01]'), 'p.yaml').pipeline, '.');
    assert.deepEqual(
      only.map((p) => p.job.key),
      ['day1/B01/s2', 'day2/B01/s2'],
    );
    await assert.rejects(
      planFields(parsePipeline(text(', wells: [H12]'), 'p.yaml').pipeline, '.'),
      /no field found .*wells H12/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
