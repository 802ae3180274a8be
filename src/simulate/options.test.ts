import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWellSelection, resolveSimulateOptions } from './options.ts';

test('defaults and the small preset', () => {
  const d = resolveSimulateOptions();
  assert.deepEqual(
    [d.plateFormat, d.wells.length, d.sites, d.size, d.seed, d.cellsPerField, d.bitDepth],
    [96, 96, 1, 512, 1, 120, 16],
  );
  const s = resolveSimulateOptions({ small: true });
  assert.deepEqual(
    [s.wells.length, s.wells[0]!.well, s.wells.at(-1)!.well, s.sites, s.size, s.cellsPerField],
    [24, 'A01', 'B12', 1, 256, 30],
  );
  const o = resolveSimulateOptions({ small: true, size: 128, sites: 2, wells: 'C03' });
  assert.deepEqual([o.size, o.sites, o.wells.map((w) => w.well)], [128, 2, ['C03']]);
});

test('well selections: lists and rectangular ranges', () => {
  assert.deepEqual(
    parseWellSelection('B02-A01, H12', 96).map((w) => w.well),
    ['A01', 'A02', 'B01', 'B02', 'H12'],
  );
  assert.equal(parseWellSelection('A01:P24', 384).length, 384);
  assert.deepEqual(
    parseWellSelection(['a1', 'A01'], 96).map((w) => w.well),
    ['A01'],
  );
});

test('bad options give clear errors naming the option and value', () => {
  const bad = (o: Parameters<typeof resolveSimulateOptions>[0], re: RegExp) =>
    assert.throws(() => resolveSimulateOptions(o), re);
  bad(
    { plateFormat: 100 },
    /simulate: plate format: unknown plate format 100: expected one of 6, 24, 48, 96, 384, 1536/,
  );
  bad({ cellsPerField: 0 }, /simulate: cells per field must be an integer in \[1, \d+\], got 0/);
  bad({ cellsPerField: 100000 }, /cells per field must be an integer in \[1, 163\], got 100000/);
  bad({ size: 100000 }, /simulate: size must be an integer in \[32, 8192\], got 100000/);
  bad({ size: 5 }, /size must be an integer in \[32, 8192\], got 5/);
  bad({ size: 10.5 }, /size must be an integer/);
  bad({ sites: 0 }, /sites must be an integer in \[1, 100\], got 0/);
  bad({ bitDepth: 10 }, /bit depth must be 8, 12 or 16, got 10/);
  bad({ outOfFocusFraction: 2 }, /out-of-focus fraction must be a number in \[0, 1\], got 2/);
  bad({ wells: 'Z99' }, /wells item 'Z99': well 'Z99' does not exist on a 96-well plate/);
  bad({ wells: ' , ' }, /names no well/);
  bad({ plate: 'my_plate' }, /plate name must be 1-64 letters, digits or '-'.*"my_plate"/);
  bad({ nuclearArea: 5 }, /nuclear area must be between 20 and/);
  bad({ seed: -1 }, /seed must be an integer/);
  bad({ plates: 0 }, /plates must be an integer in \[1, 100\], got 0/);
  bad({ edgeEffect: -0.1 }, /edge effect must be a number in \[0, 1\], got -0.1/);
});
