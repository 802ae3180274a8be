// Test and validation support (imported only by simulatedPhenotype.test.ts and
// scripts/validation/learn_simulated.ts): a small simulated plate with a planted translocation phenotype, per-cell
// CellProfiler-named features of its cells, and per-cell truth from the simulator's ground truth. The phenotype
// follows the simulator's marker model (docs/simulator.md: nuclear marker = cytoplasmic marker x the cell's
// planted N/C ratio); the features follow CellProfiler's export of Nuclei, Cells and Cytoplasm tables joined per
// object. Hand-written glue: it only wires src/simulate, src/measure and src/learn together.
import { channelOf, fromData, type Image } from '../image/image.ts';
import { type MeasureObjectsOptions, measureObjects } from '../measure/measureObjects.ts';
import { type DesignedWell, designPlate } from '../simulate/design.ts';
import { type RenderedField, renderField } from '../simulate/field.ts';
import { illuminationField } from '../simulate/illumination.ts';
import { hashSeed } from '../simulate/prng.ts';
import type { Table } from '../table/table.ts';
import type { FeatureMatrix } from './features.ts';
import { isMetadataName } from './featureTable.ts';
import { createRng } from './random.ts';

/** Class names of the planted phenotype. */
export const TRANSLOCATED = 'translocated';
export const UNTRANSLOCATED = 'untranslocated';

export interface PhenotypePlateOptions {
  /** Seed of the plate design and of every field (as `phenoscope simulate --seed`). @default 1 */
  seed?: number;
  /** Field width and height, pixels. @default 384 */
  size?: number;
  /** Vehicle (DMSO) fields: the first-column wells of this many rows. @default 4 */
  negativeFields?: number;
  /** Highest concentrations of the translocator taken (each in both replicate series). @default 2 */
  topDoses?: number;
  /** Plate name used in the field seeds (as `phenoscope simulate --plate`). @default 'SIM001' */
  plate?: string;
}

export interface PhenotypeField {
  readonly well: string;
  readonly compound: string;
  readonly concentration: number | null;
  /** Planted expected N/C ratio of the well. */
  readonly expectedRatio: number;
  readonly rendered: RenderedField;
}

export interface PhenotypePlate {
  /** Untreated marker N/C ratio (the plate's baseline). */
  readonly baselineRatio: number;
  /** The pure translocator compound whose top doses were rendered. */
  readonly compound: string;
  readonly fields: readonly PhenotypeField[];
}

/**
 * The pure translocator of a design: the compound whose N/C ratio curve is active and whose cell count curve is
 * flat (archetype 'translocator' of src/simulate/design.ts, CPD-02 on a 96-well plate).
 */
function translocator(wells: readonly DesignedWell[], curves: ReturnType<typeof designPlate>['curves']) {
  const names = [...new Set(wells.filter((w) => w.role === 'treatment').map((w) => w.compound))].sort();
  for (const name of names) {
    const mine = curves.filter((c) => c.compound === name);
    const nc = mine.find((c) => c.effect === 'marker_nc_ratio');
    const count = mine.find((c) => c.effect === 'cell_count');
    if (nc?.active && count && !count.active) return name;
  }
  throw new RangeError('simulated plate: the design has no pure translocator compound');
}

/**
 * Render DMSO fields and the translocator's top-dose fields of the default 96-well design, in process, with the
 * same per-field seeds and illumination as `phenoscope simulate` (in focus, exposure 1: no QC defects).
 */
export function renderPhenotypePlate(options: PhenotypePlateOptions = {}): PhenotypePlate {
  const seed = options.seed ?? 1;
  const size = options.size ?? 384;
  const negativeFields = options.negativeFields ?? 4;
  const topDoses = options.topDoses ?? 2;
  const plate = options.plate ?? 'SIM001';
  if (!Number.isInteger(negativeFields) || negativeFields < 1 || negativeFields > 8) {
    throw new RangeError(`negativeFields must be an integer in [1, 8], got ${negativeFields}`);
  }
  if (!Number.isInteger(topDoses) || topDoses < 1 || topDoses > 8) {
    throw new RangeError(`topDoses must be an integer in [1, 8], got ${topDoses}`);
  }
  const cellsPerField = Math.max(1, Math.round((120 * size * size) / (512 * 512)));
  const design = designPlate({
    seed,
    baseline: { cellCount: cellsPerField, nuclearArea: 200, markerNcRatio: 0.5 },
  });
  const compound = translocator(design.wells, design.curves);
  const doses = design.concentrations.slice(-topDoses);
  const chosen = [
    ...design.wells
      .filter((w) => w.role === 'negative_control' && w.well.column === 1)
      .slice(0, negativeFields),
    ...design.wells.filter(
      (w) => w.compound === compound && w.concentration !== null && doses.includes(w.concentration),
    ),
  ];
  const illumination = [0, 1, 2].map((c) => illuminationField(size, size, seed, c));
  const fields = chosen.map((w) => ({
    well: w.well.well,
    compound: w.compound,
    concentration: w.concentration,
    expectedRatio: w.expected.marker_nc_ratio,
    rendered: renderField({
      width: size,
      height: size,
      seed: hashSeed(seed, plate, w.well.well, 1),
      cellCount: w.expected.cell_count,
      nuclearArea: w.expected.nuclear_area,
      markerNcRatio: w.expected.marker_nc_ratio,
      illumination,
    }),
  }));
  return { baselineRatio: design.baseline.markerNcRatio, compound, fields };
}

/** Cytoplasm labels: cell k minus nucleus k (pixels of the cell not in any nucleus). */
export function cytoplasmLabels(cells: Image, nuclei: Image): Image<'uint32'> {
  const out = new Uint32Array(cells.width * cells.height);
  for (let p = 0; p < out.length; p++) out[p] = nuclei.data[p]! === 0 ? cells.data[p]! : 0;
  return fromData(out, cells.width, cells.height) as Image<'uint32'>;
}

/** Position-like columns besides the metadata rule of featureTable.ts: bounding-box corners. */
const POSITION = /BoundingBox(Minimum|Maximum)_[XYZ]$/;

/** True for names that may be features: no identifier, location, centre or bounding-box position. */
export function isLearnableFeature(name: string): boolean {
  return !isMetadataName(name) && !POSITION.test(name);
}

export interface CellTable {
  /** Object number (the label in the nuclei, cells and cytoplasm images) of each row. */
  readonly objectNumber: Int32Array;
  /** Learnable feature names, `<ObjectSet>_<feature>` as CellProfiler's single-table export. */
  readonly names: string[];
  /** Feature columns (float64, NaN where an object set has no object for the row). */
  readonly columns: Float64Array[];
}

/**
 * Measure Nuclei, Cells and Cytoplasm (cells minus nuclei) on the DNA and Marker channels with the default
 * families (location, AreaShape, Intensity, Texture, unless `options` says otherwise) and join the three tables on
 * the object number of the nuclei; identifiers, locations and positions are dropped.
 */
export function measureCells(
  image: Image,
  nuclei: Image,
  cells: Image,
  options: MeasureObjectsOptions = {},
): CellTable {
  const channels = [
    { name: 'DNA', image: channelOf(image, 0) },
    { name: 'Marker', image: channelOf(image, 2) },
  ];
  const measured = measureObjects(
    [
      { name: 'Nuclei', labels: nuclei },
      { name: 'Cells', labels: cells },
      { name: 'Cytoplasm', labels: cytoplasmLabels(cells, nuclei) },
    ],
    channels,
    options,
  );
  const nucleiTable = measured.objects.Nuclei!;
  const objectNumber = Int32Array.from(nucleiTable.columns.ObjectNumber as Float64Array);
  const names: string[] = [];
  const columns: Float64Array[] = [];
  for (const set of ['Nuclei', 'Cells', 'Cytoplasm']) {
    const table: Table = measured.objects[set]!;
    const ids = table.columns.ObjectNumber as Float64Array;
    const row = new Map<number, number>();
    ids.forEach((id, i) => {
      row.set(id, i);
    });
    for (const name of table.names) {
      if (!isLearnableFeature(name)) continue;
      const values = table.columns[name] as Float64Array;
      const column = new Float64Array(objectNumber.length);
      objectNumber.forEach((id, i) => {
        const r = row.get(id);
        column[i] = r === undefined ? Number.NaN : values[r]!;
      });
      names.push(`${set}_${name}`);
      columns.push(column);
    }
  }
  return { objectNumber, names, columns };
}

export interface PhenotypeCells {
  /** Feature matrix (finite values only), one row per kept cell. */
  readonly features: FeatureMatrix;
  /** TRANSLOCATED when the cell's planted N/C ratio is at least `cut`, else UNTRANSLOCATED. */
  readonly labels: string[];
  /** Planted N/C ratio of each kept cell. */
  readonly ratio: Float64Array;
  /** Well of each kept cell. */
  readonly well: string[];
  /** The N/C ratio cut that defines the phenotype. */
  readonly cut: number;
  /** Cells dropped for a non-finite feature (e.g. no cytoplasm pixel, texture of a one-pixel object). */
  readonly dropped: number;
  /** Feature columns dropped because no cell has a finite value in them. */
  readonly droppedFeatures: string[];
}

/** One field's cells with their truth label (the label number in the truth images) and measured features. */
export interface FieldCells {
  readonly field: PhenotypeField;
  /** Truth label of each row of `table` (0 = no truth cell). */
  readonly truth: Int32Array;
  readonly table: CellTable;
}

/** Measure a field on its ground-truth labels: every truth cell is a row. */
export function measureTruthField(field: PhenotypeField, options: MeasureObjectsOptions = {}): FieldCells {
  const { image, nuclei, cells } = field.rendered;
  const table = measureCells(image, nuclei, cells, options);
  return { field, truth: Int32Array.from(table.objectNumber), table };
}

/**
 * Stack fields into one data set labelled by the planted per-cell N/C ratio: translocated when ratio >= cut
 * (default twice the untreated ratio, 1.0, which the per-cell spread, lognormal sigma 0.12, leaves more than
 * 5.7 sigma away from both the untreated 0.5 and the translocator's top-dose plateau of 2 to 3).
 */
export function phenotypeCells(fields: readonly FieldCells[], cut: number): PhenotypeCells {
  if (!(cut > 0)) throw new RangeError(`cut must be > 0, got ${cut}`);
  const first = fields[0];
  if (!first) throw new RangeError('phenotypeCells: no fields');
  const names = first.table.names;
  for (const f of fields) {
    if (f.table.names.join('\n') !== names.join('\n')) {
      throw new RangeError(`phenotypeCells: field ${f.field.well} has different feature columns`);
    }
  }
  const rows: { f: FieldCells; i: number; ratio: number }[] = [];
  for (const f of fields) {
    const byLabel = new Map(f.field.rendered.objects.map((o) => [o.label, o]));
    f.truth.forEach((label, i) => {
      const o = byLabel.get(label);
      if (o) rows.push({ f, i, ratio: o.markerNcRatio });
    });
  }
  // drop feature columns with no finite value, then rows with any non-finite value
  const keepFeature = names.map((_, j) => rows.some((r) => Number.isFinite(r.f.table.columns[j]![r.i]!)));
  const droppedFeatures = names.filter((_, j) => !keepFeature[j]);
  const featureIdx = names.map((_, j) => j).filter((j) => keepFeature[j]);
  const kept = rows.filter((r) => featureIdx.every((j) => Number.isFinite(r.f.table.columns[j]![r.i]!)));
  return {
    features: {
      names: featureIdx.map((j) => names[j]!),
      columns: featureIdx.map((j) => Float32Array.from(kept, (r) => r.f.table.columns[j]![r.i]!)),
    },
    labels: kept.map((r) => (r.ratio >= cut ? TRANSLOCATED : UNTRANSLOCATED)),
    ratio: Float64Array.from(kept, (r) => r.ratio),
    well: kept.map((r) => r.f.field.well),
    cut,
    dropped: rows.length - kept.length,
    droppedFeatures,
  };
}

/**
 * A seeded sample of exactly `perClass` rows of every class for training (Fisher-Yates within each class);
 * every other row is held out. Throws when a class has no more than `perClass` rows (nothing left to test).
 */
export function sampleTraining(
  labels: readonly string[],
  perClass: number,
  seed: number,
): { train: Int32Array; test: Int32Array } {
  const byClass = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const list = byClass.get(l);
    if (list) list.push(i);
    else byClass.set(l, [i]);
  });
  const rng = createRng(seed);
  const train: number[] = [];
  for (const key of [...byClass.keys()].sort()) {
    const rows = byClass.get(key)!;
    if (rows.length <= perClass) {
      throw new RangeError(`class '${key}' has ${rows.length} rows; need more than ${perClass} per class`);
    }
    for (let i = rows.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    train.push(...rows.slice(0, perClass));
  }
  const inTrain = new Uint8Array(labels.length);
  for (const i of train) inTrain[i] = 1;
  const test: number[] = [];
  for (let i = 0; i < labels.length; i++) if (!inTrain[i]) test.push(i);
  return { train: Int32Array.from(train.sort((a, b) => a - b)), test: Int32Array.from(test) };
}

/** Fraction of rows where the predicted class equals the true one. */
export function accuracy(predicted: readonly string[], truth: readonly string[]): number {
  let ok = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] === truth[i]) ok++;
  return ok / truth.length;
}

/** Shuffle the rows of the chosen columns together (one seeded permutation), leaving the others in place. */
export function permuteColumns(
  features: FeatureMatrix,
  chosen: (name: string) => boolean,
  seed: number,
): FeatureMatrix {
  const n = features.columns[0]?.length ?? 0;
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return {
    names: features.names,
    columns: features.columns.map((c, f) =>
      chosen(features.names[f]!) ? Float32Array.from(perm, (k) => c[k]!) : c,
    ),
  };
}
