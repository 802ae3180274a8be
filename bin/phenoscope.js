#!/usr/bin/env node
// Entry point of the `phenoscope` command. Runs the build (dist/, from `npm run build`, which `npm run demo`
// and `npm test` run first) when it is newer than every source file, else the TypeScript sources through tsx,
// so an edited checkout never runs stale code. The build starts about 0.15 s sooner (no loader, no transpiling).
import { existsSync, readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const stamp = new URL('dist/.built', root);

/** Whether any file under `dir` changed after `time` (ms). */
function changedSince(dir, time) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
    if (entry.isDirectory() ? changedSince(path, time) : statSync(path).mtimeMs > time) return true;
  }
  return false;
}

const built = existsSync(stamp) && !changedSince(new URL('src/', root), statSync(stamp).mtimeMs);
let main;
if (built && !process.env.PHENOSCOPE_FROM_SOURCE) {
  ({ main } = await import(new URL('dist/cli/main.js', root).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(new URL('src/cli/main.ts', root).href));
}
process.exitCode = await main(process.argv);
