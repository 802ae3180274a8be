// Issue 7 acceptance, fuller report: a random forest trained on 50 labelled cells per class recovers the phenotype
// planted by the plate simulator (marker translocation), on several plates and training samples, with features
// measured (a) on the simulator's ground-truth labels and (b) on our own segmentation (primaryObjects on DNA,
// secondaryObjects propagation on the cell-body stain) matched to the truth by centre. Numbers go to
// docs/validation/learn.md ("Planted phenotype on the simulated plate").
// A harder variant (--dose-series) renders every concentration of the translocator, so that wells near its IC50
// hold cells on both sides of the per-cell cut; it reports accuracy per concentration.
// Run: npx tsx scripts/validation/learn_simulated.ts [--plates 5] [--samples 3] [--size 384] [--no-segmentation]
//      [--dose-series]

import { channelOf, type Image } from '../../src/image/image.ts';
import { type FeatureMatrix, selectFeatureRows } from '../../src/learn/features.ts';
import { impurityImportance } from '../../src/learn/importance.ts';
import { predictClasses, trainRandomForestClassifier } from '../../src/learn/randomForest.ts';
import {
  accuracy,
  type FieldCells,
  measureCells,
  measureTruthField,
  type PhenotypeField,
  permuteColumns,
  phenotypeCells,
  renderPhenotypePlate,
  sampleTraining,
  TRANSLOCATED,
  UNTRANSLOCATED,
} from '../../src/learn/simulatedPhenotype.ts';
import { primaryObjects } from '../../src/segment/primaryObjects.ts';
import { secondaryObjects } from '../../src/segment/secondaryObjects.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1)
    throw new RangeError(`--${name} must be a positive integer, got ${process.argv[i + 1]}`);
  return v;
}
const PLATES = option('plates', 5);
const SAMPLES = option('samples', 3);
const SIZE = option('size', 384);
const SEGMENT = !process.argv.includes('--no-segmentation');
const DOSE_SERIES = process.argv.includes('--dose-series');
const PER_CLASS = 50;
const CLASSES = [UNTRANSLOCATED, TRANSLOCATED];
const isMarker = (name: string) => /_Marker(_|$)/.test(name);

/**
 * Our segmentation of one field, each object matched to the truth by centre: segmented nucleus k is truth cell t
 * when k's centroid lies in truth nucleus t and no other segmented nucleus's centroid does (else unmatched).
 */
function segmentField(field: PhenotypeField): { cells: FieldCells; segmented: number; matched: number } {
  const { image, nuclei: truthNuclei } = field.rendered;
  const dna = channelOf(image, 0) as Image;
  const nuclei = primaryObjects(dna).labels;
  const cells = secondaryObjects(channelOf(image, 1) as Image, nuclei).labels;
  const table = measureCells(image, nuclei, cells);
  const w = image.width;
  const sx = new Float64Array(table.objectNumber.length + 1);
  const sy = new Float64Array(sx.length);
  const sn = new Float64Array(sx.length);
  const row = new Map<number, number>();
  table.objectNumber.forEach((id, i) => {
    row.set(id, i);
  });
  for (let p = 0; p < nuclei.data.length; p++) {
    const r = row.get(nuclei.data[p]!);
    if (r === undefined) continue;
    sx[r]! += p % w;
    sy[r]! += Math.floor(p / w);
    sn[r]!++;
  }
  const claimed = new Map<number, number>();
  const candidate = new Int32Array(table.objectNumber.length);
  for (let r = 0; r < candidate.length; r++) {
    const t = truthNuclei.data[Math.round(sy[r]! / sn[r]!) * w + Math.round(sx[r]! / sn[r]!)]!;
    candidate[r] = t;
    if (t) claimed.set(t, (claimed.get(t) ?? 0) + 1);
  }
  const truth = Int32Array.from(candidate, (t) => (t && claimed.get(t) === 1 ? t : 0));
  const matched = truth.filter((t) => t !== 0).length;
  return { cells: { field, truth, table }, segmented: candidate.length, matched };
}

interface Run {
  accuracy: number;
  confusion: number[][];
  held: number;
  top: string;
  markerShare: number;
  noMarker: number;
  noOther: number;
  importance: Float64Array;
  names: readonly string[];
  /** Held-out row indices and their predictions. */
  test: Int32Array;
  predicted: string[];
}

async function run(features: FeatureMatrix, labels: readonly string[], seed: number): Promise<Run> {
  const { train, test } = sampleTraining(labels, PER_CLASS, seed);
  const forest = await trainRandomForestClassifier(
    selectFeatureRows(features, train),
    Array.from(train, (i) => labels[i]!),
    { seed, threads: 1 },
  );
  const held = selectFeatureRows(features, test);
  const truth = Array.from(test, (i) => labels[i]!);
  const predicted = predictClasses(forest, held);
  const confusion = CLASSES.map((t) =>
    CLASSES.map((p) => truth.filter((l, i) => l === t && predicted[i] === p).length),
  );
  const importance = impurityImportance(forest);
  let top = 0;
  let markerShare = 0;
  importance.forEach((v, f) => {
    if (v > importance[top]!) top = f;
    if (isMarker(features.names[f]!)) markerShare += v;
  });
  return {
    accuracy: accuracy(predicted, truth),
    confusion,
    held: truth.length,
    top: features.names[top]!,
    markerShare,
    noMarker: accuracy(predictClasses(forest, permuteColumns(held, isMarker, seed)), truth),
    noOther: accuracy(
      predictClasses(
        forest,
        permuteColumns(held, (n) => !isMarker(n), seed),
      ),
      truth,
    ),
    importance,
    names: features.names,
    test,
    predicted,
  };
}

function meanSd(xs: readonly number[]): string {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${m.toFixed(4)} ± ${sd.toFixed(4)} (min ${Math.min(...xs).toFixed(4)}, n = ${xs.length})`;
}

function summarise(title: string, runs: readonly Run[]): void {
  const confusion = [
    [0, 0],
    [0, 0],
  ];
  for (const r of runs) {
    r.confusion.forEach((row, t) => {
      row.forEach((v, p) => {
        confusion[t]![p]! += v;
      });
    });
  }
  const tops = new Map<string, number>();
  for (const r of runs) tops.set(r.top, (tops.get(r.top) ?? 0) + 1);
  const meanImportance = new Map<string, number>();
  for (const r of runs) {
    r.names.forEach((n, f) => {
      meanImportance.set(n, (meanImportance.get(n) ?? 0) + r.importance[f]! / runs.length);
    });
  }
  const ranked = [...meanImportance].sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(`\n## ${title}`);
  console.log(`held-out accuracy: ${meanSd(runs.map((r) => r.accuracy))}`);
  console.log(`held-out cells per run: ${meanSd(runs.map((r) => r.held))}`);
  console.log(
    `summed confusion (rows true ${CLASSES.join('/')}, columns predicted): ${JSON.stringify(confusion)}`,
  );
  console.log(`marker share of impurity importance: ${meanSd(runs.map((r) => r.markerShare))}`);
  console.log(`accuracy with every marker feature shuffled: ${meanSd(runs.map((r) => r.noMarker))}`);
  console.log(`accuracy with every other feature shuffled: ${meanSd(runs.map((r) => r.noOther))}`);
  console.log(`top feature per run: ${[...tops].map(([n, c]) => `${n} x${c}`).join(', ')}`);
  console.log(
    `mean impurity importance, top 8: ${ranked.map(([n, v]) => `${n} ${v.toFixed(3)}`).join(', ')}`,
  );
}

const truthRuns: Run[] = [];
const segRuns: Run[] = [];
const t0 = performance.now();
for (let plateSeed = 1; plateSeed <= PLATES; plateSeed++) {
  const plate = renderPhenotypePlate({ seed: plateSeed, size: SIZE });
  const cut = 2 * plate.baselineRatio;
  const truthCells = phenotypeCells(
    plate.fields.map((f) => measureTruthField(f)),
    cut,
  );
  const nT = truthCells.labels.filter((l) => l === TRANSLOCATED).length;
  console.error(
    `plate seed ${plateSeed}: ${plate.compound}, wells ${plate.fields.map((f) => `${f.well} (ratio ${f.expectedRatio.toFixed(2)}, ${f.rendered.cellCount} cells)`).join(', ')}; truth: ${truthCells.labels.length} cells, ${nT} translocated, ${truthCells.dropped} dropped, ${truthCells.features.names.length} features`,
  );
  for (let s = 1; s <= SAMPLES; s++)
    truthRuns.push(await run(truthCells.features, truthCells.labels, 100 * plateSeed + s));
  if (SEGMENT) {
    let segmented = 0;
    let matched = 0;
    let truthTotal = 0;
    const fields = plate.fields.map((f) => {
      const r = segmentField(f);
      segmented += r.segmented;
      matched += r.matched;
      truthTotal += f.rendered.cellCount;
      return r.cells;
    });
    const segCells = phenotypeCells(fields, cut);
    console.error(
      `  segmentation: ${segmented} objects, ${matched} matched to ${truthTotal} truth cells; ${segCells.labels.length} kept (${segCells.dropped} dropped for non-finite features), ${segCells.labels.filter((l) => l === TRANSLOCATED).length} translocated`,
    );
    for (let s = 1; s <= SAMPLES; s++)
      segRuns.push(await run(segCells.features, segCells.labels, 100 * plateSeed + s));
  }
}
console.log(
  `# Planted translocation, ${PLATES} plates (seeds 1-${PLATES}) x ${SAMPLES} training samples, ${SIZE} px fields, ${PER_CLASS} cells per class`,
);
summarise('ground-truth objects', truthRuns);
if (SEGMENT) summarise('our segmentation (matched to truth by centre)', segRuns);

if (DOSE_SERIES) {
  // per concentration rank (0 = DMSO, 1 = lowest ... 8 = top), pooled over plates and samples
  const pooled = new Map<
    number,
    { n: number; correct: number; trueT: number; predT: number; ratio: number[] }
  >();
  const seriesRuns: Run[] = [];
  for (let plateSeed = 1; plateSeed <= PLATES; plateSeed++) {
    const plate = renderPhenotypePlate({ seed: plateSeed, size: SIZE, topDoses: 8 });
    const concentrations = [...new Set(plate.fields.map((f) => f.concentration ?? 0))].sort((a, b) => a - b);
    const rank = new Map(plate.fields.map((f) => [f.well, concentrations.indexOf(f.concentration ?? 0)]));
    const expected = new Map(plate.fields.map((f) => [f.well, f.expectedRatio]));
    const cells = phenotypeCells(
      plate.fields.map((f) => measureTruthField(f)),
      2 * plate.baselineRatio,
    );
    console.error(
      `dose series, plate seed ${plateSeed}: ${plate.fields.length} fields, ${cells.labels.length} cells, ${cells.labels.filter((l) => l === TRANSLOCATED).length} translocated`,
    );
    for (let s = 1; s <= SAMPLES; s++) {
      const r = await run(cells.features, cells.labels, 100 * plateSeed + s);
      seriesRuns.push(r);
      r.test.forEach((i, j) => {
        const k = rank.get(cells.well[i]!)!;
        const e = pooled.get(k) ?? { n: 0, correct: 0, trueT: 0, predT: 0, ratio: [] };
        e.n++;
        if (r.predicted[j] === cells.labels[i]) e.correct++;
        if (cells.labels[i] === TRANSLOCATED) e.trueT++;
        if (r.predicted[j] === TRANSLOCATED) e.predT++;
        if (s === 1 && !e.ratio.includes(expected.get(cells.well[i]!)!))
          e.ratio.push(expected.get(cells.well[i]!)!);
        pooled.set(k, e);
      });
    }
  }
  summarise('whole dose series of the translocator (ground-truth objects)', seriesRuns);
  console.log(
    '| concentration rank | planted well N/C ratios | held-out cells | true translocated | predicted translocated | accuracy |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const [k, e] of [...pooled].sort((a, b) => a[0] - b[0])) {
    const ratios = e.ratio.sort((a, b) => a - b);
    console.log(
      `| ${k === 0 ? 'DMSO' : k} | ${ratios[0]!.toFixed(2)}-${ratios[ratios.length - 1]!.toFixed(2)} | ${e.n} | ${(e.trueT / e.n).toFixed(3)} | ${(e.predT / e.n).toFixed(3)} | ${(e.correct / e.n).toFixed(4)} |`,
    );
  }
}
console.error(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
