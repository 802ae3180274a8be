import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { siblingModule, workerBootstrap } from './workerCode.ts';

function firstMessage(code: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once('message', (m) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

test('siblingModule keeps the caller’s extension (sources .ts, build .js)', () => {
  assert.equal(siblingModule('w', 'file:///a/src/x/pool.ts'), 'file:///a/src/x/w.ts');
  assert.equal(siblingModule('w', 'file:///a/dist/x/pool.js'), 'file:///a/dist/x/w.js');
});

test('workerBootstrap starts a compiled module directly and a TypeScript one through tsx', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'phenoscope-worker-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n'); // as this package's own sources
    const post = "import { parentPort } from 'node:worker_threads';\n";
    writeFileSync(join(dir, 'w.js'), `${post}parentPort.postMessage('js');\n`);
    writeFileSync(join(dir, 'w.ts'), `${post}const kind: string = 'ts';\nparentPort!.postMessage(kind);\n`);
    const js = pathToFileURL(join(dir, 'w.js')).href;
    const ts = pathToFileURL(join(dir, 'w.ts')).href;
    assert.doesNotMatch(workerBootstrap(js), /tsx/);
    assert.equal(await firstMessage(workerBootstrap(js)), 'js');
    assert.equal(await firstMessage(workerBootstrap(ts)), 'ts');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
