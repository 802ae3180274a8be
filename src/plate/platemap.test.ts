import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatPlateMap, parsePlateMap, readPlateMap, writePlateMap } from './platemap.ts';

const GOOD = [
  'well,compound,concentration,unit,role,moa',
  'A01,DMSO,,uM,negative_control,',
  'A02,taxol,0.1,uM,treatment,"microtubule stabilizer"',
  'B12,staurosporine,1,µM,positive_control,kinase inhibitor',
  'H12,,,,empty,',
].join('\n');

test('parses wells, roles, blank concentrations and annotations', () => {
  const map = parsePlateMap(GOOD, { name: 'map.csv' });
  assert.equal(map.plateFormat, 96);
  assert.deepEqual(
    map.entries.map((e) => [e.well, e.compound, e.concentration, e.unit, e.role, e.annotations.moa]),
    [
      ['A01', 'DMSO', null, 'uM', 'negative_control', ''],
      ['A02', 'taxol', 0.1, 'uM', 'treatment', 'microtubule stabilizer'],
      ['B12', 'staurosporine', 1, 'µM', 'positive_control', 'kinase inhibitor'],
      ['H12', '', null, 'uM', 'empty', ''],
    ],
  );
});

test('header names are case-insensitive, unit and plate optional, wells normalised', () => {
  const map = parsePlateMap(
    'Plate,Well,Compound,Concentration,Role\np1,a1,x,3,Treatment\np2,a1,x,3,treatment\n',
  );
  assert.deepEqual(
    map.entries.map((e) => [e.plate, e.well, e.unit, e.role]),
    [
      ['p1', 'A01', 'uM', 'treatment'],
      ['p2', 'A01', 'uM', 'treatment'],
    ],
  );
});

test('write then read gives the same entries', async () => {
  const map = parsePlateMap(GOOD);
  const dir = await mkdtemp(join(tmpdir(), 'platemap-'));
  const path = join(dir, 'out.csv');
  await writePlateMap(path, map.entries);
  const back = await readPlateMap(path);
  assert.deepEqual(back.entries, map.entries);
  assert.equal(formatPlateMap(back.entries), formatPlateMap(map.entries));
});

test('bad input: errors name the file, line, column and value', () => {
  const bad = (body: string, re: RegExp, plateFormat?: number) =>
    assert.throws(
      () =>
        parsePlateMap(`well,compound,concentration,unit,role\n${body}`, {
          name: 'map.csv',
          ...(plateFormat ? { plateFormat } : {}),
        }),
      re,
    );
  bad(
    'I01,x,1,uM,treatment',
    /map\.csv: line 2, column 'well', value "I01": well 'I01' does not exist on a 96-well plate/,
  );
  bad('A01,x,1,uM,treatment\nP24,x,1,uM,treatment', /line 3, column 'well', value "P24".*96-well/);
  bad('A01,x,-1,uM,treatment', /line 2, column 'concentration', value "-1": must be a non-negative number/);
  bad('A01,x,abc,uM,treatment', /column 'concentration', value "abc"/);
  bad(
    'A01,x,1,uM,negative',
    /column 'role', value "negative": must be one of negative_control, positive_control, treatment, empty/,
  );
  bad('A01,,1,uM,treatment', /column 'compound'.*needs a compound/);
  bad('A01,x,,uM,treatment', /column 'concentration'.*needs a concentration/);
  bad('A01,x,1,uM,treatment\nA1,y,2,uM,treatment', /map\.csv: line 3: well A01 is already defined on line 2/);
  bad('A01,x,1,uM', /line 2: has 4 field\(s\), the header has 5/);
  bad('Z99,x,1,uM,treatment', /does not exist on a 384-well plate/, 384);
  assert.throws(
    () => parsePlateMap('well,compound,role\n', { name: 'm.csv' }),
    /m\.csv: line 1: missing column 'concentration'/,
  );
  assert.throws(() => parsePlateMap('', { name: 'm.csv' }), /m\.csv: is empty/);
  assert.throws(() => parsePlateMap(GOOD, { plateFormat: 100 }), /unknown plate format 100/);
});

test('a missing file is an error naming it', async () => {
  await assert.rejects(
    readPlateMap('/nonexistent/map.csv'),
    /cannot read plate map '\/nonexistent\/map\.csv'/,
  );
});

test('a 384-well map accepts P24', () => {
  const map = parsePlateMap('well,compound,concentration,role\nP24,x,1,treatment\n', { plateFormat: 384 });
  assert.equal(map.entries[0]!.well, 'P24');
});
