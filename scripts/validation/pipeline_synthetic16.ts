// The imported synthetic16 pipeline (CellProfiler 5, ../shared/data/reference/cellprofiler/synthetic16) against
// CellProfiler's own label images: its nuclei step run as imported, with CellProfiler 2-3's declumping, and as the
// importer carried it before CellProfiler's threshold settings (threshold from the smoothed image, re-thresholding
// of large components); objects matched one-to-one by IoU (src/evaluate/matching.ts). docs/validation/pipeline.md.
// Usage: npx tsx scripts/validation/pipeline_synthetic16.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { combineMatches, matchInstances } from '../../src/evaluate/matching.ts';
import { readImage } from '../../src/io/index.ts';
import { parseCppipe } from '../../src/pipeline/cppipe.ts';
import { importCellProfiler } from '../../src/pipeline/importCppipe.ts';
import { parsePipeline } from '../../src/pipeline/load.ts';
import { type PrimaryObjectsOptions, primaryObjects } from '../../src/segment/primaryObjects.ts';
import { sharedPath } from '../../src/testing/shared.ts';

const root = sharedPath('reference/cellprofiler/synthetic16');
if (!root) {
  console.log('skipped: ../shared/data/reference/cellprofiler/synthetic16 is absent');
  process.exit(0);
}
const file = join(root, 'pipeline.cppipe');
const { pipeline } = parsePipeline(
  importCellProfiler(parseCppipe(readFileSync(file, 'utf8'), file)).yaml,
  `${file}.yaml`,
);
const step = pipeline.objects[0];
if (step?.type !== 'primary' || step.method !== 'classical')
  throw new Error('expected a classical primary step');
const variants: Record<string, PrimaryObjectsOptions> = {
  imported: step.options,
  "imported, with CellProfiler 2-3's declumping (declumpStyle 'cellprofiler')": {
    ...step.options,
    declumpStyle: 'cellprofiler',
  },
  'before (smoothed-image threshold, default declumping, refineFraction 0.05)': {
    ...step.options,
    thresholdSource: 'smoothed',
    declumpStyle: 'default',
    refineFraction: 0.05,
  },
};
const thresholds = [0.5, 0.75, 0.9];
for (const [name, options] of Object.entries(variants)) {
  const results = [];
  const perField: string[] = [];
  for (let k = 0; k < 10; k++) {
    const id = `nuclei_${String(k).padStart(2, '0')}`;
    const image = await readImage(join(root, 'images', `${id}.tif`));
    const truth = await readImage(join(root, 'labels', `${id}_labels.tiff`));
    const r = matchInstances(primaryObjects(image, options).labels, truth, { thresholds });
    results.push(r);
    perField.push(`${r.nPred}/${r.nTrue}`);
  }
  const all = combineMatches(results);
  const row = (t: number) => {
    const p = all.pooled.find((q) => q.threshold === t)!;
    return `F1@${t} ${p.f1.toFixed(3)} (TP ${p.tp}, FP ${p.fp}, FN ${p.fn})`;
  };
  console.log(
    `${name}: ${all.nPred} objects vs CellProfiler ${all.nTrue}; ${thresholds.map(row).join('; ')}`,
  );
  console.log(
    `  merges ${all.merges}, splits ${all.splits}; per field ours/CellProfiler ${perField.join(' ')}`,
  );
}
