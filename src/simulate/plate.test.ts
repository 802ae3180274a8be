import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readImage } from '../io/index.ts';
import { readNpy } from '../io/npy.ts';
import { parsePlateMap } from '../plate/platemap.ts';
import { scanPlate } from '../plate/scan.ts';
import { parseCsvRecords } from '../table/csv.ts';
import { designPlate } from './design.ts';
import { renderField } from './field.ts';
import { simulatePlate } from './plate.ts';

function table(path: string): Record<string, string>[] {
  const [header, ...rows] = parseCsvRecords(readFileSync(path, 'utf8'), path);
  return rows.map((r) => Object.fromEntries(header!.fields.map((h, i) => [h, r.fields[i]!])));
}

test('simulatePlate writes images, ground truth, plate map, planted curves and field metadata', async () => {
  const out = await mkdtemp(join(tmpdir(), 'sim-'));
  const progress: number[] = [];
  const options = {
    wells: 'A01-A12',
    size: 128,
    cellsPerField: 8,
    seed: 3,
    outOfFocusFraction: 0.1,
    saturatedFraction: 0.1,
    edgeEffect: 0.5,
    onProgress: (done: number) => progress.push(done),
  };
  const result = await simulatePlate(out, options);
  assert.deepEqual(
    progress,
    Array.from({ length: 12 }, (_, i) => i + 1),
  );
  const fields = table(join(out, 'fields.csv'));
  assert.equal(fields.length, 12);
  assert.equal(fields.filter((f) => f.out_of_focus === '1').length, 1);
  assert.equal(fields.filter((f) => f.saturated === '1').length, 1);
  // row A is on the plate edge: half the planted cells
  assert.ok(fields.every((f) => f.edge_factor === '0.5'));
  assert.equal(fields[0]!.expected_cell_count, '4');
  for (const f of fields) {
    const image = await readImage(join(out, f.image_w1!));
    assert.deepEqual([image.dtype, image.width, image.height], ['uint16', 128, 128]);
    const nuclei = await readImage(join(out, f.nuclei_labels!));
    const cells = await readImage(join(out, f.cell_labels!));
    assert.equal(nuclei.dtype, 'uint32');
    const count = (d: ArrayLike<number>) => new Set(Array.from(d).filter((v) => v !== 0)).size;
    assert.equal(count(nuclei.data), Number(f.cell_count), `${f.well}: labels vs cell_count`);
    assert.equal(count(cells.data), Number(f.cell_count));
    if (f.saturated === '1') {
      let atMax = 0;
      for (const c of ['image_w1', 'image_w2', 'image_w3']) {
        for (const v of (await readImage(join(out, f[c]!))).data) if (v === 65535) atMax++;
      }
      assert.equal(atMax, Number(f.saturated_pixels));
      assert.ok(atMax > 0, 'a saturated field has max-value pixels');
    }
  }
  const objects = table(join(out, 'truth', 'objects.csv'));
  assert.equal(
    objects.length,
    fields.reduce((s, f) => s + Number(f.cell_count), 0),
  );
  const map = parsePlateMap(readFileSync(join(out, 'platemap.csv'), 'utf8'), { name: 'platemap.csv' });
  assert.deepEqual(
    map.entries.map((e) => e.role),
    [
      'negative_control',
      ...Array(8).fill('treatment'),
      'negative_control',
      'positive_control',
      'positive_control',
    ],
  );
  const planted = table(join(out, 'planted.csv'));
  assert.deepEqual(Object.keys(planted[0]!), [
    'compound',
    'effect',
    'top',
    'bottom',
    'ic50',
    'logIC50',
    'hill',
    'unit',
    'active',
  ]);
  assert.deepEqual([...new Set(planted.map((p) => p.compound))], ['CPD-01', 'PC-1']);
  const json = JSON.parse(readFileSync(join(out, 'planted.json'), 'utf8'));
  assert.equal(json.curves.length, planted.length);
  assert.match(json.model, /logIC50/);
  const illum = await readNpy(join(out, 'truth', 'illumination_w1.npy'));
  assert.deepEqual(illum.shape, [128, 128]);
  // the images folder scans as an ImageXpress plate: 12 fields x 3 channels
  const scan = await scanPlate(join(out, 'images'));
  assert.equal(scan.layout.name, 'imagexpress');
  assert.equal(scan.fields.length, 12);
  assert.ok(scan.fields.every((f) => Object.keys(f.channels).join() === 'w1,w2,w3' && f.plate === 'SIM001'));
  // determinism: the same options write the same bytes
  const again = await mkdtemp(join(tmpdir(), 'sim-'));
  await simulatePlate(again, { ...options, onProgress: undefined, wells: 'A05' });
  const name = result.fields.find((f) => f.well === 'A05')!.images[2]!;
  assert.deepEqual(readFileSync(join(again, name)), readFileSync(join(out, name)));
});

test('replicate plates share the layout and differ in cells; the plate map gets a plate column', async () => {
  const out = await mkdtemp(join(tmpdir(), 'sim-'));
  const r = await simulatePlate(out, { wells: 'A01-A02', size: 64, cellsPerField: 2, plates: 2, seed: 5 });
  assert.deepEqual(
    r.fields.map((f) => `${f.plate}/${f.well}`),
    ['SIM001-1/A01', 'SIM001-1/A02', 'SIM001-2/A01', 'SIM001-2/A02'],
  );
  const map = parsePlateMap(readFileSync(join(out, 'platemap.csv'), 'utf8'));
  assert.deepEqual(
    map.entries.map((e) => `${e.plate}/${e.well}/${e.compound}`),
    ['SIM001-1/A01/DMSO', 'SIM001-1/A02/CPD-01', 'SIM001-2/A01/DMSO', 'SIM001-2/A02/CPD-01'],
  );
  const scan = await scanPlate(join(out, 'images'));
  assert.deepEqual([...new Set(scan.fields.map((f) => f.plate))], ['SIM001-1', 'SIM001-2']);
  const a = readFileSync(join(out, 'images', 'SIM001-1_A01_s1_w1.tif'));
  const b = readFileSync(join(out, 'images', 'SIM001-2_A01_s1_w1.tif'));
  assert.notDeepEqual(a, b);
});

test('bad options are refused before anything is written', async () => {
  const out = join(await mkdtemp(join(tmpdir(), 'sim-')), 'never');
  await assert.rejects(simulatePlate(out, { plateFormat: 97 }), /unknown plate format 97/);
  await assert.rejects(simulatePlate(out, { cellsPerField: 0 }), /cells per field must be an integer/);
  await assert.rejects(simulatePlate(out, { size: 1_000_000 }), /size must be an integer in \[32, 8192\]/);
  assert.equal(existsSync(out), false);
});

test('planted 4PL effects: true per-concentration means follow the planted curves within sampling noise', () => {
  const design = designPlate({ seed: 1, baseline: { cellCount: 40, nuclearArea: 200, markerNcRatio: 0.5 } });
  const series = (compound: string) =>
    design.wells
      .filter((w) => w.compound === compound && w.replicate === 1)
      .sort((a, b) => a.concentration! - b.concentration!);
  const sites = 4;
  // CPD-02 (translocator): nuclear area and marker N/C ratio rise with dose
  const areaMeans: number[] = [];
  for (const w of series('CPD-02')) {
    const areas: number[] = [];
    const ratios: number[] = [];
    for (let s = 0; s < sites; s++) {
      const f = renderField({
        width: 192,
        height: 192,
        seed: 1000 * s + w.well.columnIndex,
        cellCount: w.expected.cell_count,
        nuclearArea: w.expected.nuclear_area,
        markerNcRatio: w.expected.marker_nc_ratio,
      });
      for (const o of f.objects) {
        areas.push(o.nuclearArea);
        ratios.push(o.markerNcRatio);
      }
    }
    const check = (xs: number[], planted: number, what: string) => {
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
      const se = sd / Math.sqrt(xs.length);
      // 4 standard errors of the mean: a false alarm about once in 16,000 checks
      assert.ok(
        Math.abs(m - planted) < 4 * se,
        `${what} at ${w.concentration}: mean ${m} vs planted ${planted} (SE ${se})`,
      );
      return m;
    };
    areaMeans.push(check(areas, w.expected.nuclear_area, 'nuclear area'));
    check(ratios, w.expected.marker_nc_ratio, 'marker N/C ratio');
  }
  assert.ok(areaMeans.at(-1)! > 1.25 * areaMeans[0]!, 'the area effect is visible across the series');
  // CPD-01 (cytotoxic): the cell count per field falls with dose; counts are Poisson around the planted value
  for (const w of series('CPD-01')) {
    let total = 0;
    for (let s = 0; s < sites; s++) {
      total += renderField({
        width: 192,
        height: 192,
        seed: 77 + 1000 * s + w.well.columnIndex,
        cellCount: w.expected.cell_count,
        nuclearArea: w.expected.nuclear_area,
        markerNcRatio: w.expected.marker_nc_ratio,
      }).cellCount;
    }
    const expected = sites * w.expected.cell_count;
    // Poisson: SD sqrt(expected) (dividing pairs add a little variance: x (1 + 3%)); 4 SD
    assert.ok(
      Math.abs(total - expected) < 4 * Math.sqrt(expected * 1.1),
      `cells at ${w.concentration}: ${total} vs ${expected}`,
    );
  }
});
