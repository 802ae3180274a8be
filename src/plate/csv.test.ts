import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCsv, parseCsv } from './csv.ts';

test('parseCsv handles quotes, doubled quotes, CRLF, blank lines and line numbers', () => {
  const text = '\ufeffa,b,c\r\n1,"x, y",3\r\n\r\n"multi\nline","say ""hi""",\n';
  const records = parseCsv(text);
  assert.deepEqual(
    records.map((r) => [r.line, ...r.fields]),
    [
      [1, 'a', 'b', 'c'],
      [2, '1', 'x, y', '3'],
      [4, 'multi\nline', 'say "hi"', ''],
    ],
  );
});

test('formatCsv round-trips through parseCsv', () => {
  const rows = [
    ['A01', 'a,b', 1.5],
    ['B02', 'q"uote', ''],
  ];
  const text = formatCsv(['well', 'compound', 'concentration'], rows);
  const back = parseCsv(text).map((r) => r.fields);
  assert.deepEqual(back, [['well', 'compound', 'concentration'], ...rows.map((r) => r.map(String))]);
});

test('an unterminated quote is an error naming the line', () => {
  assert.throws(() => parseCsv('a,b\n1,"open\n', 'map.csv'), /map\.csv: line 2: unterminated quoted field/);
});
