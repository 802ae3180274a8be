// Keeps the direction of dependencies drawn in docs/ARCHITECTURE.md: lower layers never import higher ones.
// Tests, and support files that only tests import, may import anything.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { test } from 'node:test';

/** Which top-level modules of src/ each module may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  image: [],
  table: [],
  testing: [],
  runtime: [],
  io: ['image'],
  filter: ['image'],
  threshold: ['image', 'filter'],
  segment: ['image', 'filter', 'threshold'],
  evaluate: ['image', 'io', 'segment'],
  measure: ['image', 'filter', 'threshold', 'segment', 'table', 'io'],
  deep: ['image', 'io', 'filter', 'threshold', 'segment'],
  learn: ['table', 'io', 'runtime'],
  profile: ['table'],
  assay: ['table', 'profile'],
  plate: ['image', 'io', 'table'],
  simulate: ['image', 'io', 'plate', 'table', 'filter', 'assay'],
  report: ['table', 'assay', 'profile'],
  store: ['table', 'image'],
  pipeline: [
    'image',
    'io',
    'plate',
    'filter',
    'threshold',
    'segment',
    'measure',
    'deep',
    'learn',
    'profile',
    'assay',
    'store',
    'table',
    'runtime',
  ],
  server: ['*-except-cli'],
  cli: ['*'],
};

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/**
 * Product files: everything but tests and test support, i.e. files imported only by tests or by other test
 * support (found as a fixpoint over the import graph).
 */
function productFiles(all: string[]): Set<string> {
  const importers = new Map<string, string[]>();
  for (const file of all) {
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = join(dirname(file), m[1]!);
      importers.set(target, [...(importers.get(target) ?? []), file]);
    }
  }
  const support = new Set(all.filter((f) => f.endsWith('.test.ts')));
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of all) {
      const by = importers.get(f) ?? [];
      if (!support.has(f) && by.length > 0 && by.every((i) => support.has(i))) {
        support.add(f);
        changed = true;
      }
    }
  }
  return new Set(all.filter((f) => !support.has(f)));
}

test('src/ modules import only modules below them', () => {
  const violations: string[] = [];
  const all = files('src');
  const product = productFiles(all);
  for (const file of all.filter((f) => product.has(f))) {
    const parts = relative('src', file).split(sep);
    if (parts.length < 2) continue;
    const from = parts[0]!;
    const allowed = ALLOWED[from];
    if (!allowed) {
      violations.push(
        `${file}: module 'src/${from}' is not in the architecture map (add it to ALLOWED and ARCHITECTURE.md)`,
      );
      continue;
    }
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(IMPORT)) {
      const target = relative('src', join(dirname(file), m[1]!)).split(sep)[0]!;
      if (target === from || target.startsWith('..')) continue;
      const ok =
        allowed.includes('*') ||
        (allowed.includes('*-except-cli') && target !== 'cli') ||
        allowed.includes(target);
      if (!ok) violations.push(`${file} imports src/${target} (allowed: ${allowed.join(', ') || 'nothing'})`);
    }
  }
  assert.deepEqual(violations, []);
});
