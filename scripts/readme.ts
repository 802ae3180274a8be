// Rebuilds the "Commands" section of README.md from docs/cli/*.md (one file per command), so the README carries
// the usage of every command and cannot drift from the per-command docs. Run: npx tsx scripts/readme.ts
// (src/cli/docs.test.ts fails when the README is stale or a command or option is undocumented).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** Commands in the order a user meets them; any other docs/cli/*.md follow alphabetically. */
const ORDER = [
  'demo',
  'info',
  'inspect',
  'simulate',
  'plate',
  'threshold',
  'segment',
  'evaluate',
  'measure',
  'classify',
  'cluster',
  'fit',
  'profile',
  'report',
  'pipeline',
  'run',
];

export function commandsSection(): string {
  const files = readdirSync('docs/cli').filter((f) => f.endsWith('.md'));
  const names = [
    ...ORDER.filter((n) => files.includes(`${n}.md`)),
    ...files
      .map((f) => f.slice(0, -3))
      .filter((n) => !ORDER.includes(n))
      .sort(),
  ];
  return names
    .map((n) => {
      // demote headings by one level so each command sits under README's "## Commands"
      const text = readFileSync(`docs/cli/${n}.md`, 'utf8').trim();
      return text.replace(/^(#{1,5}) /gm, '#$1 ');
    })
    .join('\n\n');
}

const START = '<!-- commands -->';
const END = '<!-- /commands -->';

export function buildReadme(readme: string): string {
  const start = readme.indexOf(START);
  if (start < 0) throw new Error(`README.md lacks the marker ${START}`);
  const end = readme.indexOf(END);
  const tail = end >= 0 ? readme.slice(end + END.length) : readme.slice(start + START.length);
  return `${readme.slice(0, start)}${START}\n\n${commandsSection()}\n\n${END}${tail}`;
}

if (process.argv[1]?.endsWith('readme.ts') && existsSync('README.md')) {
  writeFileSync('README.md', buildReadme(readFileSync('README.md', 'utf8')));
  console.log('README.md: commands section rebuilt from docs/cli/*.md');
}
