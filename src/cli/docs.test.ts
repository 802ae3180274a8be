// Every command, subcommand and option of the CLI is documented in docs/cli/<command>.md, and README's commands
// section is what scripts/readme.ts builds from those files.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Command } from 'commander';
import { buildReadme } from '../../scripts/readme.ts';
import { buildProgram } from './main.ts';

function walk(command: Command, path: string[], out: { path: string; options: string[] }[]): void {
  for (const sub of command.commands) {
    const p = [...path, sub.name()];
    out.push({ path: p.join(' '), options: sub.options.map((o) => o.long ?? o.short ?? '').filter(Boolean) });
    walk(sub, p, out);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

test('docs/cli/<command>.md documents every command, subcommand and option', () => {
  const commands: { path: string; options: string[] }[] = [];
  walk(buildProgram(), [], commands);
  const missing: string[] = [];
  for (const c of commands) {
    if (c.path === 'help') continue;
    const file = `docs/cli/${c.path.split(' ')[0]}.md`;
    if (!existsSync(file)) {
      missing.push(`${file} is missing (command 'phenoscope ${c.path}')`);
      continue;
    }
    const doc = readFileSync(file, 'utf8');
    if (!doc.includes(`phenoscope ${c.path}`)) missing.push(`${file}: command 'phenoscope ${c.path}'`);
    for (const o of c.options) {
      if (o === '--help' || o === '--version') continue;
      if (!new RegExp(`${escapeRegExp(o)}(?![a-z-])`).test(doc))
        missing.push(`${file}: option ${o} of 'phenoscope ${c.path}'`);
    }
  }
  assert.deepEqual(missing, []);
});

test('README commands section is up to date with docs/cli (run: npx tsx scripts/readme.ts)', () => {
  const readme = readFileSync('README.md', 'utf8');
  assert.equal(readme, buildReadme(readme));
});
