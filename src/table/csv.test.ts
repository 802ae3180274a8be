import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCsvRows, parseCsv, parseCsvRecords } from './csv.ts';

test('parseCsvRecords handles quotes, doubled quotes, CRLF, blank lines and line numbers', () => {
  const text = '\ufeffa,b,c\r\n1,"x, y",3\r\n\r\n"multi\nline","say ""hi""",\n';
  const records = parseCsvRecords(text);
  assert.deepEqual(
    records.map((r) => [r.line, ...r.fields]),
    [
      [1, 'a', 'b', 'c'],
      [2, '1', 'x, y', '3'],
      [4, 'multi\nline', 'say "hi"', ''],
    ],
  );
});

test('formatCsvRows round-trips through parseCsvRecords', () => {
  const rows = [
    ['A01', 'a,b', 1.5],
    ['B02', 'q"uote', ''],
  ];
  const text = formatCsvRows(['well', 'compound', 'concentration'], rows);
  const back = parseCsvRecords(text).map((r) => r.fields);
  assert.deepEqual(back, [['well', 'compound', 'concentration'], ...rows.map((r) => r.map(String))]);
});

test('an unterminated quote is an error naming the line', () => {
  assert.throws(
    () => parseCsvRecords('a,b\n1,"open\n', 'map.csv'),
    /map\.csv: line 2: unterminated quoted field/,
  );
});

test('a row with the wrong number of fields names its line, counting lines inside quoted fields', () => {
  assert.throws(() => parseCsv('a,b\n"x\ny",1\n2\n', 't.csv'), /t\.csv: line 4 has 1 fields, header has 2/);
});
