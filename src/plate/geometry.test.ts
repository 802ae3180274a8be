import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  allWells,
  isEdgeWell,
  parseWell,
  plateGeometry,
  rowIndexOf,
  rowLetters,
  wellAt,
  wellFromIndex,
  wellName,
} from './geometry.ts';

test('plate formats have the SLAS row x column counts', () => {
  const expected: [number, number, number][] = [
    [6, 2, 3],
    [24, 4, 6],
    [48, 6, 8],
    [96, 8, 12],
    [384, 16, 24],
    [1536, 32, 48],
  ];
  for (const [format, rows, columns] of expected) {
    const g = plateGeometry(format);
    assert.deepEqual([g.rows, g.columns, g.rows * g.columns], [rows, columns, format]);
    assert.equal(allWells(format).length, format);
  }
  assert.equal(plateGeometry('384').format, 384);
});

test('row letters run A..Z then AA..AF', () => {
  assert.equal(rowLetters(0), 'A');
  assert.equal(rowLetters(25), 'Z');
  assert.equal(rowLetters(26), 'AA');
  assert.equal(rowLetters(31), 'AF');
  for (let i = 0; i < 32; i++) assert.equal(rowIndexOf(rowLetters(i)), i);
  assert.equal(wellName(0, 0), 'A01');
  assert.equal(wellName(31, 47), 'AF48');
  assert.deepEqual(
    allWells(1536)
      .slice(-2)
      .map((w) => w.well),
    ['AF47', 'AF48'],
  );
});

test('parseWell accepts common spellings and validates against the format', () => {
  assert.deepEqual(parseWell('A01'), { well: 'A01', row: 'A', column: 1, rowIndex: 0, columnIndex: 0 });
  assert.equal(parseWell('a1').well, 'A01');
  assert.equal(parseWell('H12', 96).well, 'H12');
  assert.equal(parseWell('P24', 384).well, 'P24');
  assert.equal(parseWell('AF48', 1536).well, 'AF48');
  assert.throws(
    () => parseWell('I01', 96),
    /well 'I01' does not exist on a 96-well plate \(rows A-H, columns 1-12\)/,
  );
  assert.throws(() => parseWell('A13', 96), /does not exist on a 96-well plate/);
  assert.throws(() => parseWell('Q01', 384), /384-well/);
  assert.throws(() => parseWell('A00'), /column must be at least 1/);
  assert.throws(() => parseWell('01A'), RangeError);
  assert.throws(() => parseWell(''), /not a well name/);
  assert.throws(() => wellAt(8, 0, 96), /I01/);
});

test('well numbers count row-major from 1 (ScanR)', () => {
  assert.equal(wellFromIndex(1, 96).well, 'A01');
  assert.equal(wellFromIndex(12, 96).well, 'A12');
  assert.equal(wellFromIndex(13, 96).well, 'B01');
  assert.equal(wellFromIndex(96, 96).well, 'H12');
  assert.equal(wellFromIndex(25, 384).well, 'B01');
  assert.throws(() => wellFromIndex(97, 96), /outside a 96-well plate/);
});

test('edge wells', () => {
  assert.equal(isEdgeWell(parseWell('A05'), 96), true);
  assert.equal(isEdgeWell(parseWell('H05'), 96), true);
  assert.equal(isEdgeWell(parseWell('C12'), 96), true);
  assert.equal(isEdgeWell(parseWell('C11'), 96), false);
  assert.equal(allWells(96).filter((w) => isEdgeWell(w, 96)).length, 36);
});

test('unknown plate formats are refused with the supported list', () => {
  assert.throws(
    () => plateGeometry(100),
    /unknown plate format 100: expected one of 6, 24, 48, 96, 384, 1536/,
  );
  assert.throws(() => plateGeometry('big'), /unknown plate format "big"/);
  assert.throws(() => rowLetters(-1), RangeError);
});
