import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { concatTables, parseCsv, readTable, selectRows, tableFromColumns, writeTable } from './index.ts';

test('CSV: quoting, numeric detection, missing values', () => {
  const t = parseCsv('id,name,x\n1,"a, b",2.5\n2,"say ""hi""",\n3,c,NaN\n', 'in.csv');
  assert.deepEqual(t.names, ['id', 'name', 'x']);
  assert.deepEqual([...(t.columns.id as Float64Array)], [1, 2, 3]);
  assert.deepEqual(t.columns.name, ['a, b', 'say "hi"', 'c']);
  assert.ok(Number.isNaN((t.columns.x as Float64Array)[1]!));
});

test('CSV: malformed input names the file and line', () => {
  assert.throws(() => parseCsv('a,b\n1,2,3\n', 'bad.csv'), /bad.csv: line 2 has 3 fields, header has 2/);
  assert.throws(() => parseCsv('a,"b\n', 'q.csv'), /q.csv: line 1: unterminated quoted field/);
  assert.throws(() => parseCsv('a,a\n1,2\n', 'd.csv'), /duplicate column name 'a'/);
  assert.throws(() => parseCsv('', 'e.csv'), /e.csv: empty CSV/);
});

test('CSV and Parquet round-trip exactly (DuckDB)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-table-'));
  const t = tableFromColumns({
    well: ['A01', 'B02', 'C03'],
    v: new Float64Array([0.1, Number.NaN, -1e-300]),
  });
  for (const file of ['t.csv', 't.parquet']) {
    await writeTable(join(dir, file), t);
    const back = await readTable(join(dir, file));
    assert.deepEqual(back.names, t.names);
    assert.deepEqual(back.columns.well, t.columns.well);
    assert.deepEqual([...(back.columns.v as Float64Array)], [...(t.columns.v as Float64Array)]);
  }
  await writeFile(join(dir, 'x.parquet'), 'not parquet');
  await assert.rejects(readTable(join(dir, 'x.parquet')), /x.parquet: cannot read Parquet/);
  await assert.rejects(readTable(join(dir, 'x.xlsx')), /unknown table format/);
});

test('select and concatenate rows', () => {
  const t = tableFromColumns({ a: new Float64Array([1, 2, 3]), b: ['x', 'y', 'z'] });
  const s = selectRows(t, [2, 0]);
  assert.deepEqual([...(s.columns.a as Float64Array)], [3, 1]);
  const c = concatTables([t, s]);
  assert.equal(c.rows, 5);
  assert.deepEqual(c.columns.b, ['x', 'y', 'z', 'z', 'x']);
  assert.throws(() => tableFromColumns({ a: new Float64Array(2), b: ['x'] }), /column 'b' has 1 rows/);
});

test('tables in a DuckDB file (FILE.duckdb:TABLE) round-trip and replace; joinColumn matches keys as text', async () => {
  const { joinColumn } = await import('./table.ts');
  const dir = await mkdtemp(join(tmpdir(), 'phenoscope-table-'));
  const store = join(dir, 'results.duckdb');
  const t = tableFromColumns({
    well: ['A01', 'A02'],
    ObjectNumber: new Float64Array([1, 2]),
    v: new Float64Array([0.5, Number.NaN]),
  });
  await writeTable(`${store}:objects_Nuclei`, t);
  await writeTable(`${store}:objects_Nuclei`, t); // replaced, not appended
  const back = await readTable(`${store}:objects_Nuclei`);
  assert.equal(back.rows, 2);
  assert.deepEqual(back.columns.well, ['A01', 'A02']);
  assert.ok(Number.isNaN((back.columns.v as Float64Array)[1]!));
  await assert.rejects(readTable(`${store}:nope`), /results.duckdb: no readable table 'nope'/);
  const labels = tableFromColumns({ well: ['A02'], ObjectNumber: ['2'], class: ['mitotic'] });
  const joined = joinColumn(back, labels, ['well', 'ObjectNumber'], 'class');
  assert.deepEqual(joined.columns.class, ['', 'mitotic']);
  assert.throws(() => joinColumn(back, labels, ['plate'], 'class'), /key column 'plate' is missing/);
  const dup = tableFromColumns({ well: ['A02', 'A02'], ObjectNumber: ['2', '2'], class: ['a', 'b'] });
  assert.throws(() => joinColumn(back, dup, ['well', 'ObjectNumber'], 'class'), /appears twice/);
});
