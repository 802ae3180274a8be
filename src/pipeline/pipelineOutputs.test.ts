// Illumination functions estimated from a simulated plate against the simulator's true illumination
// (truth/illumination_w1.npy), label image outputs, and a random forest applied to the object table.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readImage } from '../io/index.ts';
import { readNpy } from '../io/npy.ts';
import { featureMatrix } from '../learn/features.ts';
import { writeForest } from '../learn/modelJson.ts';
import { trainRandomForestClassifier } from '../learn/randomForest.ts';
import { simulatePlate } from '../simulate/plate.ts';
import { openStore } from '../store/store.ts';
import { parsePipeline } from './load.ts';
import { computeIllumination, planFields, runPipeline } from './runner.ts';

let dir = '';

const pipeline = (extra: string) => `version: 1
input: { path: plate, pattern: imagexpress, channels: { DNA: w1, CellBody: w2 } }
illumination: [{ channel: CellBody, method: median, smoothing: gaussian, size: 30 }]
qc: { excludeEmpty: false }
objects:
  - { name: Nuclei, type: primary, channel: DNA, options: { diameter: [6, 40] } }
  - { name: Cells, type: secondary, primary: Nuclei, channel: CellBody, method: distance, distance: 5 }
measurements:
  - { objects: Nuclei, families: [areashape, intensity], channels: [DNA], zernike: false }
${extra}`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phenoscope-outputs-'));
  await simulatePlate(join(dir, 'plate'), {
    wells: 'A01-B12',
    size: 96,
    seed: 5,
    cellsPerField: 2,
    outOfFocusFraction: 0,
    saturatedFraction: 0,
  });
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('the illumination function of a plate follows the simulator truth', async () => {
  const { pipeline: p } = parsePipeline(pipeline(''), 'p.yaml');
  const planned = await planFields(p, dir);
  const fns = await computeIllumination(p, planned);
  const fn = fns.get('SIM001\u0000CellBody')!;
  const truth = (await readNpy(join(dir, 'plate', 'truth', 'illumination_w2.npy'))).data as Float32Array;
  const sorted = Float32Array.from(truth).sort();
  const med = sorted[sorted.length >> 1]!;
  // correlation of the shapes over the interior: with 2 cells per field the per-pixel median of 24 fields is
  // background x illumination plus camera noise, which the smoothing averages out; edges excluded (the
  // Gaussian's border bias). Measured r = 0.988; 0.9 leaves room for other seeds.
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let y = 10; y < 86; y++) {
    for (let x = 10; x < 86; x++) {
      const a = fn[y * 96 + x]!;
      const b = truth[y * 96 + x]! / med;
      sx += a;
      sy += b;
      sxx += a * a;
      syy += b * b;
      sxy += a * b;
      n++;
    }
  }
  const r = (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
  assert.ok(r > 0.9, `correlation with the true illumination ${r}`);
});

test('label images are written per field and object set; a classifier adds its columns', async () => {
  // a forest that calls nuclei 'big' above 150 px^2, trained on synthetic areas
  const areas = Float64Array.from({ length: 200 }, (_, i) => 50 + i * 1.5);
  const forest = await trainRandomForestClassifier(
    featureMatrix({ AreaShape_Area: areas }),
    Array.from(areas, (a) => (a > 150 ? 'big' : 'small')),
    { trees: 10, seed: 1 },
  );
  await writeForest(join(dir, 'forest.json'), forest);
  await writeFile(
    join(dir, 'p.yaml'),
    pipeline(`image: { colocalization: [DNA, CellBody] }
classifiers: [{ model: forest.json, objects: Nuclei, column: Size }]
outputs: { store: out.duckdb, labels: ${JSON.stringify(join(dir, 'labels'))} }`), // absolute path
  );
  const summary = await runPipeline(join(dir, 'p.yaml'), { workers: 0 });
  assert.equal(summary.done, 24);
  const files = (await readdir(join(dir, 'labels'))).sort();
  assert.equal(files.length, 48);
  assert.equal(files[0], 'SIM001_A01_s1_Cells.tif');
  const store = await openStore(join(dir, 'out.duckdb'));
  try {
    const labels = await readImage(join(dir, 'labels', 'SIM001_A01_s1_Nuclei.tif'));
    const ids = new Set(Array.from(labels.data).filter((v) => v !== 0));
    const [row] = await store.query(`SELECT Count_Nuclei FROM image WHERE well = 'A01'`);
    assert.equal(ids.size, row!.Count_Nuclei);
    const rows = await store.query(
      'SELECT AreaShape_Area AS a, Size_is_big AS big, Size_is_small AS small FROM objects_Nuclei',
    );
    assert.ok(rows.length > 20);
    for (const r of rows) {
      assert.equal(Number(r.big) + Number(r.small), 1);
      // the forest's split lies between the training areas around 150: allow that band
      if (Number(r.a) > 155) assert.equal(r.big, 1, `area ${r.a}`);
      if (Number(r.a) < 145) assert.equal(r.small, 1, `area ${r.a}`);
    }
  } finally {
    store.close();
  }
});
