// The imported ExampleFly pipeline, run field by field through the runner's processField, against CellProfiler's
// own per-object output in ../shared/data (CellProfiler 3 era; no label images were saved, so objects are matched
// by their centroids, CellProfiler's Location_Center_X/Y).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCsvRows } from '../table/csv.ts';
import type { Table } from '../table/table.ts';
import { sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { parseCppipe } from './cppipe.ts';
import { processField } from './fieldTask.ts';
import { importCellProfiler } from './importCppipe.ts';
import { parsePipeline } from './load.ts';

const FLY = 'cp_examplefly_with_cp_output/ExampleFly';
const FIELDS = ['01_POS002', '01_POS076', '01_POS218'];

function readCsv(path: string): { column: (name: string) => number[]; rows: number } {
  const [names = [], ...text] = parseCsvRows(readFileSync(path, 'utf8'), path);
  const rows = text.map((r) => r.map(Number));
  return {
    column: (name) => {
      const c = names.indexOf(name);
      assert.ok(c >= 0, `${path}: no column ${name}`);
      return rows.map((r) => r[c]!);
    },
    rows: rows.length,
  };
}

function column(table: Table | undefined, name: string): number[] {
  const c = table?.columns[name];
  assert.ok(c, `no column ${name}`);
  return Array.from(c as ArrayLike<number>);
}

test("imported ExampleFly reproduces CellProfiler's 82 nuclei, 82 cells and 82 cytoplasms exactly", {
  skip: skipUnlessShared(FLY),
}, async () => {
  const root = sharedPath(FLY)!;
  const file = join(root, 'ExampleFly.cppipe');
  const imported = importCellProfiler(parseCppipe(readFileSync(file, 'utf8'), file));
  const { pipeline } = parsePipeline(imported.yaml, `${file}.yaml`);
  const cp = {
    Nuclei: readCsv(join(root, 'output', 'Nuclei.csv')),
    Cells: readCsv(join(root, 'output', 'Cells.csv')),
    Cytoplasm: readCsv(join(root, 'output', 'Cytoplasm.csv')),
  };
  const cpImage = cp.Nuclei.column('ImageNumber');
  const cpObject = cp.Nuclei.column('ObjectNumber');
  const cpX = cp.Nuclei.column('Location_Center_X');
  const cpY = cp.Nuclei.column('Location_Center_Y');
  const cpArea = cp.Nuclei.column('AreaShape_Area');
  let nuclei = 0;
  const matched = { Cells: 0, Cytoplasm: 0 };
  for (const [f, name] of FIELDS.entries()) {
    const out = await processField(
      {
        key: name,
        plate: 'ExampleFly',
        well: 'A01',
        site: f + 1,
        files: {
          OrigBlue: join(root, 'images', `${name}_D.TIF`),
          OrigGreen: join(root, 'images', `${name}_F.TIF`),
          OrigRed: join(root, 'images', `${name}_R.TIF`),
        },
      },
      { pipeline, baseDir: root, illumination: new Map(), classifiers: [] },
    );
    assert.equal(out.status, 'done', out.reason);
    const rows = cpImage.flatMap((image, i) => (image === f + 1 ? [i] : []));
    const ours = out.objects.Nuclei;
    const x = column(ours, 'AreaShape_Center_X');
    const y = column(ours, 'AreaShape_Center_Y');
    const area = column(ours, 'AreaShape_Area');
    const number = column(ours, 'ObjectNumber');
    // the same thresholds (three-class log Otsu, 15/255, 20/255, 15/255) and the same declumping give the same
    // pixels: equal areas and centroids equal to float rounding (1e-6 px)
    assert.equal(area.length, rows.length, `${name}: ${area.length} nuclei, CellProfiler ${rows.length}`);
    const cpToOurs = new Map<number, number>();
    for (const i of rows) {
      const k = x.findIndex((xk, j) => Math.abs(xk - cpX[i]!) < 1e-6 && Math.abs(y[j]! - cpY[i]!) < 1e-6);
      assert.ok(
        k >= 0,
        `${name}: no nucleus at CellProfiler's nucleus ${cpObject[i]} (${cpX[i]}, ${cpY[i]})`,
      );
      assert.equal(area[k], cpArea[i], `${name}: area of CellProfiler's nucleus ${cpObject[i]}`);
      cpToOurs.set(cpObject[i]!, number[k]!);
      nuclei++;
    }
    // Cells (Propagation from each nucleus, with the border nuclei that IdentifyPrimaryObjects discarded
    // competing for territory) and Cytoplasm (cells minus shrunken nuclei), paired through their parent
    // nucleus: the same pixels, so equal areas and centres equal to float rounding (1e-6 px)
    for (const set of ['Cells', 'Cytoplasm'] as const) {
      const table = out.objects[set];
      const ourNumber = column(table, 'ObjectNumber');
      const ourArea = column(table, 'AreaShape_Area');
      const ourX = column(table, 'Location_Center_X');
      const ourY = column(table, 'Location_Center_Y');
      assert.equal(ourNumber.length, rows.length, `${name}: one ${set} object per nucleus`);
      const c = cp[set];
      const [image, parent, cArea, cX, cY] = [
        c.column('ImageNumber'),
        c.column('Parent_Nuclei'),
        c.column('AreaShape_Area'),
        c.column('Location_Center_X'),
        c.column('Location_Center_Y'),
      ];
      image.forEach((im, i) => {
        if (im !== f + 1) return;
        const k = ourNumber.indexOf(cpToOurs.get(parent[i]!)!);
        assert.ok(k >= 0, `${name}: no ${set} object for CellProfiler's nucleus ${parent[i]}`);
        const what = `${name}: ${set} of nucleus ${parent[i]}`;
        assert.equal(ourArea[k], cArea[i], `${what}: area`);
        assert.ok(
          Math.abs(ourX[k]! - cX[i]!) < 1e-6 && Math.abs(ourY[k]! - cY[i]!) < 1e-6,
          `${what}: centre`,
        );
        matched[set]++;
      });
    }
  }
  assert.equal(nuclei, 82);
  assert.deepEqual(matched, { Cells: 82, Cytoplasm: 82 });
});
