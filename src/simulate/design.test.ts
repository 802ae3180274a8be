import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../testing/assert.ts';
import { designPlate } from './design.ts';
import { logistic4 } from './logistic.ts';

test('96-well design: controls on the edge columns, 8-point half-log series, 4 compounds x 2 replicates', () => {
  const d = designPlate({ seed: 1 });
  assert.equal(d.wells.length, 96);
  assertClose(d.concentrations, [0.00316228, 0.01, 0.0316228, 0.1, 0.316228, 1, 3.16228, 10], {
    rtol: 1e-12,
  });
  const at = (w: string) => d.wells.find((x) => x.well.well === w)!;
  for (const r of 'ABCDEFGH') {
    assert.equal(at(`${r}01`).role, 'negative_control');
    assert.equal(at(`${r}10`).role, 'negative_control');
    assert.equal(at(`${r}11`).role, 'positive_control');
    assert.equal(at(`${r}12`).role, 'positive_control');
  }
  assert.equal(d.wells.filter((w) => w.role === 'negative_control').length, 16);
  assert.equal(d.wells.filter((w) => w.role === 'positive_control').length, 16);
  const treated = d.wells.filter((w) => w.role === 'treatment');
  assert.equal(treated.length, 64);
  const compounds = [...new Set(treated.map((w) => w.compound))].sort();
  assert.deepEqual(compounds, ['CPD-01', 'CPD-02', 'CPD-03', 'CPD-04']);
  for (const c of compounds) {
    const wells = treated.filter((w) => w.compound === c);
    assert.equal(wells.length, 16, `${c}: 8 concentrations x 2 replicates`);
    assert.deepEqual([...new Set(wells.map((w) => w.replicate))].sort(), [1, 2]);
  }
  // replicate series sit in different plate halves: rows A-D replicate 1, E-H replicate 2
  assert.equal(at('A05').compound, at('E05').compound);
  assert.equal(at('A05').replicate, 1);
  assert.equal(at('E05').replicate, 2);
});

test('each well expects what its compound curves give at its concentration', () => {
  const d = designPlate({ seed: 7 });
  for (const w of d.wells) {
    if (w.role === 'negative_control') {
      assert.deepEqual(w.expected, {
        cell_count: d.baseline.cellCount,
        nuclear_area: d.baseline.nuclearArea,
        marker_nc_ratio: d.baseline.markerNcRatio,
      });
      continue;
    }
    for (const c of d.curves.filter((x) => x.compound === w.compound)) {
      assertClose(
        w.expected[c.effect],
        logistic4(w.concentration!, c),
        { rtol: 1e-12 },
        `${w.well.well} ${c.effect}`,
      );
    }
  }
  for (const c of d.curves) {
    assertClose(c.ic50, 10 ** c.logIC50, { rtol: 1e-12 });
    if (!c.active) assert.equal(c.top, c.bottom, 'inactive curves are flat');
    else assert.ok(c.top > c.bottom);
    // planted IC50s lie inside the tested range so that both plateaus are sampled
    if (c.active && c.compound !== 'PC-1') {
      assert.ok(
        c.logIC50 > Math.log10(d.concentrations[0]!) && c.logIC50 < Math.log10(d.concentrations.at(-1)!),
      );
    }
  }
  assert.ok(
    d.curves.some((c) => c.compound === 'CPD-04' && !c.active),
    'an inactive compound for flat-curve checks',
  );
});

test('other plate formats', () => {
  const d384 = designPlate({ plateFormat: 384 });
  assert.equal(d384.wells.length, 384);
  assert.equal(new Set(d384.wells.filter((w) => w.role === 'treatment').map((w) => w.compound)).size, 16);
  const d24 = designPlate({ plateFormat: 24 });
  assert.equal(d24.concentrations.length, 4, 'a 24-well plate has 4 interior columns');
  const d6 = designPlate({ plateFormat: 6 });
  assert.equal(d6.wells.length, 6);
  assert.equal(designPlate({ plateFormat: 1536 }).wells.length, 1536);
  assert.deepEqual(designPlate({ seed: 3 }), designPlate({ seed: 3 }), 'a seed fixes the design');
  assert.notDeepEqual(designPlate({ seed: 3 }).curves, designPlate({ seed: 4 }).curves);
});

test('bad design options are refused', () => {
  assert.throws(() => designPlate({ plateFormat: 100 }), /unknown plate format 100/);
  assert.throws(
    () => designPlate({ concentrations: 0 }),
    /concentrations per series must be an integer in \[1, 46\], got 0/,
  );
  assert.throws(() => designPlate({ replicates: 0 }), /replicates must be a positive integer, got 0/);
  assert.throws(() => designPlate({ dilution: 1 }), /dilution factor must be > 1, got 1/);
});
