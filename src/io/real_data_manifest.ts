// Test helper: the manifest.csv of a DSB 2018 set in ../shared/data, keyed by image id.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_DATA } from '../testing/shared.ts';

export function manifest(set: string): Map<string, Record<string, string>> {
  const text = readFileSync(join(SHARED_DATA, set, 'manifest.csv'), 'utf8')
    .trim()
    .split(/\r?\n/);
  const header = text[0]!.split(',');
  return new Map(
    text.slice(1).map((line) => {
      const cells = line.split(',');
      return [cells[0]!, Object.fromEntries(header.map((h, i) => [h, cells[i]!]))];
    }),
  );
}
