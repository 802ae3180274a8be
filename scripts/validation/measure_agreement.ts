// Feature-by-feature agreement of Phenoscope's per-object measurements with CellProfiler's own output on
// CellProfiler's own objects (label images whose values are ObjectNumber), written to
// docs/validation/measurements.md. Run: npx tsx scripts/validation/measure_agreement.ts [--out FILE]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convert, toFloat32 } from '../../src/image/image.ts';
import { readImage } from '../../src/io/index.ts';
import { measureObjects } from '../../src/measure/measureObjects.ts';
import { isNumeric, numericColumn, readTable, stringColumn, type Table } from '../../src/table/index.ts';
import { sharedPath } from '../../src/testing/shared.ts';

export interface FeatureAgreement {
  feature: string;
  n: number;
  maxAbs: number;
  maxRel: number;
  medianRel: number;
  tolerance: number;
  pass: boolean;
  /** Objects whose relative difference exceeds the tolerance. */
  over: number;
  /** Objects left out of max/median, with the reason (see docs/measurement-notes.md). */
  excluded: number;
  note: string;
}

/** Relative tolerance each feature is held to (the project's acceptance criteria). */
export function toleranceFor(feature: string): number {
  if (feature === 'AreaShape_Area') return 0;
  if (feature.startsWith('AreaShape_Zernike') || feature.startsWith('Texture_')) return 1e-2;
  return 1e-3;
}

/** |ours - cp| / max(|cp|, 1e-6): relative, with a floor so that features near 0 are not blown up. */
export function relativeDifference(ours: number, cp: number): number {
  if (Number.isNaN(ours) && Number.isNaN(cp)) return 0;
  if (ours === cp) return 0; // equal infinities (FormFactor of 1- and 2-pixel objects)
  return Math.abs(ours - cp) / Math.max(Math.abs(cp), 1e-6);
}

interface Dataset {
  name: string;
  folder: string;
  imageFolder: string;
  texture: boolean;
}

const DATASETS: Dataset[] = [
  { name: 'synthetic16', folder: 'reference/cellprofiler/synthetic16', imageFolder: 'images', texture: true },
  {
    name: 'dsb_dev_fluo',
    folder: 'reference/cellprofiler/dsb_dev_fluo',
    imageFolder: 'grey_inputs',
    texture: true,
  },
];

/** Compare one reference folder; returns per-feature agreement over all its objects. */
export async function compareDataset(
  root: string,
  dataset: Dataset,
): Promise<{ rows: FeatureAgreement[]; objects: number; images: number }> {
  const images = await readTable(join(root, 'csv', 'Image.csv'));
  const nuclei = await readTable(join(root, 'csv', 'Nuclei.csv'));
  const fileNames = stringColumn(images, 'FileName_DNA');
  const imageNumbers = numericColumn(images, 'ImageNumber');
  const cpImage = numericColumn(nuclei, 'ImageNumber');
  const cpObject = numericColumn(nuclei, 'ObjectNumber');
  const diffs = new Map<string, { rel: number[]; maxAbs: number; excluded: number; notes: Set<string> }>();
  let objects = 0;
  for (let r = 0; r < images.rows; r++) {
    const file = fileNames[r]!;
    const imageNumber = imageNumbers[r]!;
    const stem = file.replace(/\.tiff?$/i, '');
    const labels = convert(await readImage(join(root, 'labels', `${stem}_labels.tiff`)), 'uint32');
    const image = await readImage(join(root, dataset.imageFolder, file));
    const measured = measureObjects([{ name: 'Nuclei', labels }], [{ name: 'DNA', image }], {
      families: dataset.texture
        ? ['location', 'areashape', 'intensity', 'texture']
        : ['location', 'areashape', 'intensity'],
      imageNumber,
    }).objects.Nuclei!;
    const scaled = toFloat32(image).data;
    const rowOf = new Map<number, number>();
    for (let i = 0; i < nuclei.rows; i++) if (cpImage[i] === imageNumber) rowOf.set(cpObject[i]!, i);
    const ourObjects = numericColumn(measured, 'ObjectNumber');
    const cpMaxX = numericColumn(nuclei, 'Location_MaxIntensity_X_DNA');
    const cpMaxY = numericColumn(nuclei, 'Location_MaxIntensity_Y_DNA');
    const cpMax = numericColumn(nuclei, 'Intensity_MaxIntensity_DNA');
    /** Why a difference is not a disagreement, or undefined. */
    const excused = (name: string, a: number, b: number, row: number): string | undefined => {
      if (a === b || Math.abs(a - b) <= 1e-9 * Math.abs(b)) return undefined;
      if (name === 'AreaShape_Orientation') {
        const d = Math.abs(a - b);
        if (Math.abs(d - 180) < 1e-9) return 'same axis reported as +90 and -90';
        if (Math.abs(Math.abs(a) - 45) < 1e-9 && Math.abs(Math.abs(b) - 45) < 1e-9) {
          return "equal second moments: skimage's +-45 degree special case depends on rounding";
        }
      }
      if (name === 'Location_MaxIntensity_X_DNA' || name === 'Location_MaxIntensity_Y_DNA') {
        const at = scaled[cpMaxY[row]! * image.width + cpMaxX[row]!];
        if (at === cpMax[row]) return "tied maxima: CellProfiler picks one by numpy's unstable argsort";
      }
      return undefined;
    };
    objects += measured.rows;
    if (rowOf.size !== measured.rows) {
      throw new Error(
        `${dataset.name} ${file}: CellProfiler has ${rowOf.size} objects, the label image ${measured.rows}`,
      );
    }
    for (const name of measured.names) {
      if (name === 'ImageNumber' || name === 'ObjectNumber') continue;
      const cp = nuclei.columns[name];
      if (!cp || !isNumeric(cp)) continue;
      const ours = numericColumn(measured, name);
      const entry = diffs.get(name) ?? { rel: [], maxAbs: 0, excluded: 0, notes: new Set<string>() };
      for (let i = 0; i < measured.rows; i++) {
        const row = rowOf.get(ourObjects[i]!);
        if (row === undefined)
          throw new Error(`${dataset.name} ${file}: object ${ourObjects[i]} not in CellProfiler's table`);
        const a = ours[i]!;
        const b = cp[row]!;
        const excuse = excused(name, a, b, row);
        if (excuse) {
          entry.excluded++;
          entry.notes.add(excuse);
          continue;
        }
        entry.rel.push(relativeDifference(a, b));
        if (!(Number.isNaN(a) && Number.isNaN(b)) && a !== b)
          entry.maxAbs = Math.max(entry.maxAbs, Math.abs(a - b));
      }
      diffs.set(name, entry);
    }
  }
  const rows = [...diffs.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([feature, { rel, maxAbs, excluded, notes }]) => {
      const sorted = Float64Array.from(rel).sort();
      const maxRel = sorted[sorted.length - 1] ?? 0;
      const tolerance = toleranceFor(feature);
      return {
        feature,
        n: rel.length,
        maxAbs,
        maxRel,
        medianRel: sorted[sorted.length >> 1] ?? 0,
        tolerance,
        pass: tolerance === 0 ? maxAbs === 0 : maxRel <= tolerance,
        over: tolerance === 0 ? rel.filter((r) => r > 0).length : rel.filter((r) => r > tolerance).length,
        excluded,
        note: excluded > 0 ? `${excluded} excluded: ${[...notes].join('; ')}` : '',
      };
    });
  return { rows, objects, images: images.rows };
}

function fmt(v: number): string {
  return v === 0 ? '0' : v.toExponential(1);
}

function markdown(
  results: { dataset: Dataset; rows: FeatureAgreement[]; objects: number; images: number }[],
): string {
  const lines = [
    '# Agreement of per-object measurements with CellProfiler',
    '',
    'Generated by `npx tsx scripts/validation/measure_agreement.ts` (do not edit by hand). Our measurements run on',
    "CellProfiler 5's own label images (values = ObjectNumber) and input images from",
    '`../shared/data/reference/cellprofiler/` and are compared object by object with its `Nuclei.csv`.',
    'Relative difference = |ours - CellProfiler| / max(|CellProfiler|, 1e-6). Tolerances: `AreaShape_Area` exact,',
    'Zernike and Texture 1e-2, everything else 1e-3 relative. Deliberate differences: `docs/measurement-notes.md`.',
    '',
  ];
  for (const { dataset, rows, objects, images } of results) {
    const failed = rows.filter((r) => !r.pass).length;
    lines.push(
      `## ${dataset.name}: ${images} images, ${objects} objects, ${rows.length} features, ${rows.length - failed} within tolerance`,
      '',
      '| feature | n objects | max abs diff | max rel diff | median rel diff | tolerance | objects over | verdict | note |',
      '|---|---:|---:|---:|---:|---:|---:|---|---|',
    );
    for (const r of rows) {
      lines.push(
        `| ${r.feature} | ${r.n} | ${fmt(r.maxAbs)} | ${fmt(r.maxRel)} | ${fmt(r.medianRel)} | ${r.tolerance === 0 ? 'exact' : fmt(r.tolerance)} | ${r.over} | ${r.pass ? 'agrees' : '**differs**'} | ${r.note} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex > 0 ? process.argv[outIndex + 1]! : 'docs/validation/measurements.md';
  const results = [];
  for (const dataset of DATASETS) {
    const root = sharedPath(dataset.folder);
    if (!root) {
      console.error(`skipping ${dataset.name}: ../shared/data/${dataset.folder} is absent`);
      continue;
    }
    const t0 = performance.now();
    const result = await compareDataset(root, dataset);
    console.error(
      `${dataset.name}: ${result.objects} objects, ${result.rows.filter((r) => !r.pass).length} features outside tolerance (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
    results.push({ dataset, ...result });
  }
  writeFileSync(out, markdown(results));
  console.error(`wrote ${out}`);
}

if (process.argv[1]?.endsWith('measure_agreement.ts')) await main();

export type { Table };
