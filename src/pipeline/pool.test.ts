import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { FieldJob } from './fieldTask.ts';
import { FieldPool } from './pool.ts';

// A stand-in worker: answers each job with its key, but exits the thread on the job keyed 'crash'.
const WORKER = `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => {
  if (m.type !== 'job') return;
  if (m.job.key === 'crash') process.exit(3);
  parentPort.postMessage({ type: 'outcome', outcome: { key: m.job.key, status: 'done' } });
});
`;

const job = (key: string): FieldJob => ({ key, plate: 'P', well: 'A01', site: 1, files: {} });

test('a crashed worker fails only its field and is replaced', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-pool-'));
  const entry = join(dir, 'worker.mjs');
  await writeFile(entry, WORKER);
  const pool = new FieldPool(
    2,
    { pipelineText: '', file: '', baseDir: '', illumination: [] },
    pathToFileURL(entry).href,
  );
  try {
    const results = await Promise.allSettled(['a', 'crash', 'b', 'c', 'd'].map((k) => pool.run(job(k))));
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value.key : 'rejected')),
      ['a', 'rejected', 'b', 'c', 'd'],
    );
    const crashed = results[1] as PromiseRejectedResult;
    assert.match(String(crashed.reason), /field worker exited with code 3/);
    // still usable after the crash
    assert.equal((await pool.run(job('e'))).key, 'e');
  } finally {
    await pool.close();
    await rm(dir, { recursive: true, force: true });
  }
});
