import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv } from '../table/index.ts';
import { buildReport } from './buildReport.ts';
import { joinPlatemap } from './run.ts';
import { smallRun } from './testRun.ts';

test('report renders every section, with curves, bands and heatmaps, and no external resources', () => {
  const run = smallRun();
  const table = joinPlatemap(parseCsv(run.wells, 'wells.csv'), parseCsv(run.platemap, 'platemap.csv'));
  const result = buildReport(table, { readout: 'area', heatmapFeatures: ['intensity'] });
  const html = result.html;
  assert.match(html, /aria-label="P1: intensity"/);
  for (const id of ['qc', 'heatmaps', 'dose-response', 'hits', 'similarity']) {
    assert.match(html, new RegExp(`<section id="${id}">`), `section ${id}`);
  }
  assert.ok(
    (html.match(/<svg /g) ?? []).length >= 6,
    'two heatmaps, B-score, two curves and similarity SVGs',
  );
  assert.match(html, /class="ci-band"/);
  assert.match(html, /class="fit"/);
  // Self-contained: no URLs, no scripts, no external stylesheets or images.
  assert.doesNotMatch(html, /https?:\/\/|\/\/[a-z]/i);
  assert.doesNotMatch(html, /<script|<link|<img|@import|url\(/i);
  // The numbers behind it: both planted IC50s recovered, good Z', the positive control ranked as a hit.
  assert.equal(result.fits.length, 2);
  const a = result.fits.find((f) => f.compound === 'cpd-a')!.fit;
  const b = result.fits.find((f) => f.compound === 'cpd-b')!.fit;
  assert.ok(Math.abs(a.params.logIC50 + 1) < 0.1, `cpd-a logIC50 ${a.params.logIC50}`);
  assert.ok(Math.abs(b.params.logIC50) < 0.1, `cpd-b logIC50 ${b.params.logIC50}`);
  assert.ok(result.qc[0]!.qc!.zPrime > 0.5);
  assert.ok(result.hits.find((h) => h.treatment.startsWith('PC'))!.distanceHit);
});

test('cell-loss gating in the report: toxic concentrations drawn as crosses and flagged', () => {
  const run = smallRun();
  // Make cpd-b kill cells at its two top concentrations (columns 10 and 11): intensity = cell count proxy.
  const wells = run.wells
    .split('\n')
    .map((line) => (/^P1,[CD](10|11),/.test(line) ? line.replace(/,[^,]+$/, ',50') : line))
    .join('\n');
  const table = joinPlatemap(parseCsv(wells), parseCsv(run.platemap));
  const result = buildReport(table, { readout: 'area', viability: 'intensity', toxicThreshold: 0.3 });
  const b = result.fits.find((f) => f.compound === 'cpd-b')!;
  assert.ok(b.fit.flags.includes('toxic'));
  assert.equal(b.gatedLogConcentrations.length, 2);
  assert.ok(!result.fits.find((f) => f.compound === 'cpd-a')!.fit.flags.includes('toxic'));
  assert.match(result.html, /<path d="M/);
});

test('report falls back when a plate has no negative controls, and rejects bad plate maps', () => {
  const run = smallRun();
  const noNeg = run.platemap.replaceAll('negative_control', 'treatment');
  const table = joinPlatemap(parseCsv(run.wells, 'wells.csv'), parseCsv(noNeg, 'platemap.csv'));
  const result = buildReport(table, { readout: 'area' });
  assert.match(result.qc[0]!.note ?? '', /no negative control wells/);
  assert.match(result.html, /QC skipped/);
  const duplicated = `${run.platemap}\nA1,x,1,uM,treatment`;
  assert.throws(
    () => joinPlatemap(parseCsv(run.wells), parseCsv(duplicated), { wells: 'w.csv', platemap: 'm.csv' }),
    /m\.csv: line 50: well 'A1' appears more than once \(first at line 2\)/,
  );
  const missing = run.platemap.split('\n').slice(0, 10).join('\n');
  assert.throws(
    () => joinPlatemap(parseCsv(run.wells), parseCsv(missing), { wells: 'w.csv', platemap: 'm.csv' }),
    /w\.csv: line 11: well 'A10' of plate 'P1' is not in m\.csv/,
  );
  assert.throws(() => buildReport(table, { readout: 'nope' }), /readout 'nope' is not a numeric column/);
});
