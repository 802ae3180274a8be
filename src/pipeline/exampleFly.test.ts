// The imported ExampleFly pipeline, run field by field through the runner's processField, against CellProfiler's
// own per-object output in ../shared/data (CellProfiler 3 era; no label images were saved, so objects are matched
// by their centroids, CellProfiler's Location_Center_X/Y).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Table } from '../table/table.ts';
import { sharedPath, skipUnlessShared } from '../testing/shared.ts';
import { parseCppipe } from './cppipe.ts';
import { processField } from './fieldTask.ts';
import { importCellProfiler } from './importCppipe.ts';
import { parsePipeline } from './load.ts';

const FLY = 'cp_examplefly_with_cp_output/ExampleFly';
const FIELDS = ['01_POS002', '01_POS076', '01_POS218'];

function readCsv(path: string): { column: (name: string) => number[]; rows: number } {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const names = lines[0]!.split(',');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
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

test("imported ExampleFly reproduces CellProfiler's 82 nuclei exactly; cells and cytoplasm one per nucleus", {
  skip: skipUnlessShared(FLY),
}, async () => {
  const root = sharedPath(FLY)!;
  const file = join(root, 'ExampleFly.cppipe');
  const imported = importCellProfiler(parseCppipe(readFileSync(file, 'utf8'), file));
  const { pipeline } = parsePipeline(imported.yaml, `${file}.yaml`);
  const cp = {
    Nuclei: readCsv(join(root, 'output', 'Nuclei.csv')),
    Cells: readCsv(join(root, 'output', 'Cells.csv')),
  };
  const cpImage = cp.Nuclei.column('ImageNumber');
  const cpObject = cp.Nuclei.column('ObjectNumber');
  const cpX = cp.Nuclei.column('Location_Center_X');
  const cpY = cp.Nuclei.column('Location_Center_Y');
  const cpArea = cp.Nuclei.column('AreaShape_Area');
  const cellImage = cp.Cells.column('ImageNumber');
  const cellObject = cp.Cells.column('ObjectNumber');
  const cellArea = cp.Cells.column('AreaShape_Area');
  const cellRatios: number[] = [];
  let nuclei = 0;
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
    // Cells (Propagation from each nucleus) and Cytoplasm (cells minus nuclei) keep their nucleus' number
    const cells = out.objects.Cells;
    const ourCellNumber = column(cells, 'ObjectNumber');
    const ourCellArea = column(cells, 'AreaShape_Area');
    assert.equal(ourCellArea.length, rows.length, `${name}: one cell per nucleus`);
    assert.equal(column(out.objects.Cytoplasm, 'ObjectNumber').length, rows.length, `${name}: cytoplasm`);
    cellImage.forEach((image, i) => {
      if (image !== f + 1) return;
      const k = ourCellNumber.indexOf(cpToOurs.get(cellObject[i]!)!);
      assert.ok(k >= 0, `${name}: no cell for CellProfiler's cell ${cellObject[i]}`);
      cellRatios.push(ourCellArea[k]! / cellArea[i]!);
    });
  }
  assert.equal(nuclei, 82);
  // Cells are not yet CellProfiler's (docs/validation/pipeline.md: 43 of 82 equal, 72% within 5%, a few merged
  // with a neighbour's territory up to 4x): this floor guards the measured state, the median stays equal
  cellRatios.sort((a, b) => a - b);
  const median = cellRatios[cellRatios.length >> 1]!;
  const within5 = cellRatios.filter((r) => Math.abs(r - 1) <= 0.05).length / cellRatios.length;
  const exact = cellRatios.filter((r) => r === 1).length;
  console.log(
    `ExampleFly cells: ${exact}/${cellRatios.length} equal areas, median ratio ${median.toFixed(4)}, ` +
      `${(100 * within5).toFixed(1)}% within 5%, range ${cellRatios[0]!.toFixed(3)}-${cellRatios.at(-1)!.toFixed(3)}`,
  );
  assert.ok(Math.abs(median - 1) <= 0.01, `median cell area ratio ${median}`);
  assert.ok(within5 >= 0.7 && exact >= 40, `${within5} of cells within 5%, ${exact} equal`);
});
