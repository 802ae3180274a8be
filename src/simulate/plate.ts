// The plate simulator: designs a screen (design.ts), renders every selected field (field.ts) with the plate's
// illumination, marks some fields out of focus or saturated, and writes images named ImageXpress-style, ground
// truth, the plate map, the planted dose-response parameters and per-field metadata. Output layout in
// docs/simulator.md.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeImage } from '../io/index.ts';
import { writeNpy } from '../io/npy.ts';
import { isEdgeWell } from '../plate/geometry.ts';
import { formatPlateMap, type PlateMapEntry } from '../plate/platemap.ts';
import { formatCsvRows } from '../table/csv.ts';
import { type CameraModel, defaultCamera } from './camera.ts';
import { type DesignedWell, designPlate, type PlantedCurve, type PlateDesign } from './design.ts';
import { type FieldSpec, type FieldTruth, renderField, SIM_CHANNELS, simulateFieldTruth } from './field.ts';
import { illuminationField } from './illumination.ts';
import { LOGISTIC4_FORMULA } from './logistic.ts';
import { type ResolvedSimulateOptions, resolveSimulateOptions, type SimulateOptions } from './options.ts';
import { createRng, hashSeed } from './prng.ts';

/** Per-field record written to fields.csv. */
export interface SimulatedField {
  readonly plate: string;
  readonly well: string;
  readonly row: string;
  readonly column: number;
  readonly site: number;
  readonly compound: string;
  readonly concentration: number | null;
  readonly role: string;
  /** True number of cells (= nuclei) in the field. */
  readonly cellCount: number;
  /** Mean whole-outline area of the nuclei (the planted quantity). */
  readonly meanNuclearArea: number;
  /** Mean labelled pixels of the nuclei not touching the border. */
  readonly meanInteriorNuclearPixels: number;
  readonly meanMarkerNcRatio: number;
  /** Planted cell count of the well's compound and concentration, times `edgeFactor`. */
  readonly expectedCellCount: number;
  /** 1 - edgeEffect for edge wells, else 1. */
  readonly edgeFactor: number;
  readonly expectedNuclearArea: number;
  readonly expectedMarkerNcRatio: number;
  readonly outOfFocus: boolean;
  readonly blurSigma: number;
  readonly saturated: boolean;
  readonly exposure: number;
  readonly saturatedPixels: number;
  /** Image paths relative to the output folder, one per channel. */
  readonly images: readonly string[];
  readonly nucleiLabels: string;
  readonly cellLabels: string;
}

export interface SimulationResult {
  readonly out: string;
  readonly options: ResolvedSimulateOptions;
  readonly design: PlateDesign;
  readonly camera: CameraModel;
  readonly fields: readonly SimulatedField[];
  /** Curves of the compounds present in the rendered wells. */
  readonly curves: readonly PlantedCurve[];
}

export interface SimulatePlateOptions extends SimulateOptions {
  /** Called after each field with (done, total). @default undefined */
  onProgress?: (done: number, total: number) => void;
}

/** The in-focus PSF sigma, pixels. */
const FOCUS_SIGMA = 1;

/** Plate names: `plate` itself for one plate, `<plate>-1` ... `<plate>-N` for several. */
export function simulatedPlateNames(plate: string, plates: number): string[] {
  return plates === 1 ? [plate] : Array.from({ length: plates }, (_, i) => `${plate}-${i + 1}`);
}

/** File name of one channel image: `<plate>_<well>_s<site>_w<channel>.tif` (channels from 1). */
export function simulatedImageName(plate: string, well: string, site: number, channel: number): string {
  return `${plate}_${well}_s${site}_w${channel}.tif`;
}

function chooseFields(
  total: number,
  fraction: number,
  rng: ReturnType<typeof createRng>,
  taken: Set<number>,
) {
  const count = Math.min(total - taken.size, Math.round(total * fraction));
  const chosen = new Set<number>();
  while (chosen.size < count) {
    const i = rng.int(total);
    if (!taken.has(i)) chosen.add(i);
  }
  for (const i of chosen) taken.add(i);
  return chosen;
}

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(8)) : '');

function designFor(o: ResolvedSimulateOptions): PlateDesign {
  return designPlate({
    plateFormat: o.plateFormat,
    concentrations: o.concentrations,
    replicates: o.replicates,
    topConcentration: o.topConcentration,
    seed: o.seed,
    baseline: { cellCount: o.cellsPerField, nuclearArea: o.nuclearArea, markerNcRatio: o.markerNcRatio },
  });
}

/** The planted part of one field's spec: its own seed, and the well's expected readouts with the edge effect. */
function fieldPlan(o: ResolvedSimulateOptions, w: DesignedWell, plateName: string, site: number) {
  const edgeFactor = isEdgeWell(w.well, o.plateFormat) ? 1 - o.edgeEffect : 1;
  const spec: FieldSpec = {
    width: o.size,
    height: o.size,
    seed: hashSeed(o.seed, plateName, w.well.well, site),
    cellCount: w.expected.cell_count * edgeFactor,
    nuclearArea: w.expected.nuclear_area,
    markerNcRatio: w.expected.marker_nc_ratio,
  };
  return { spec, edgeFactor };
}

/** One field's true readouts from `simulatePlateTruth` (the truth columns of fields.csv). */
export interface SimulatedFieldTruth extends FieldTruth {
  readonly plate: string;
  readonly well: string;
  readonly site: number;
  readonly compound: string;
  readonly concentration: number | null;
  readonly role: string;
  /** Planted cell count of the well's compound and concentration, times `edgeFactor`. */
  readonly expectedCellCount: number;
  readonly expectedNuclearArea: number;
  readonly expectedMarkerNcRatio: number;
  readonly edgeFactor: number;
}

export interface PlateTruth {
  readonly options: ResolvedSimulateOptions;
  readonly design: PlateDesign;
  /** Fields in the order `simulatePlate` renders them (plate, well, site). */
  readonly fields: readonly SimulatedFieldTruth[];
  /** Curves of the compounds present in the selected wells. */
  readonly curves: readonly PlantedCurve[];
}

/**
 * The true per-field readouts of the plate that `simulatePlate(out, options)` renders (same seed, same cells),
 * without drawing or writing images: about 1 ms per field of 120 cells, so many sites per well are cheap (tests,
 * power calculations). Throws RangeError for bad options as `simulatePlate` does.
 */
export function simulatePlateTruth(options: SimulateOptions = {}): PlateTruth {
  const o = resolveSimulateOptions(options);
  const design = designFor(o);
  const byWell = new Map<string, DesignedWell>(design.wells.map((w) => [w.well.well, w]));
  const wells = o.wells.map((w) => byWell.get(w.well)!);
  const fields: SimulatedFieldTruth[] = [];
  for (const plate of simulatedPlateNames(o.plate, o.plates)) {
    for (const w of wells) {
      for (let site = 1; site <= o.sites; site++) {
        const { spec, edgeFactor } = fieldPlan(o, w, plate, site);
        fields.push({
          plate,
          well: w.well.well,
          site,
          compound: w.compound,
          concentration: w.concentration,
          role: w.role,
          ...simulateFieldTruth(spec),
          expectedCellCount: spec.cellCount,
          expectedNuclearArea: spec.nuclearArea,
          expectedMarkerNcRatio: spec.markerNcRatio,
          edgeFactor,
        });
      }
    }
  }
  const present = new Set(wells.map((w) => w.compound));
  return { options: o, design, fields, curves: design.curves.filter((c) => present.has(c.compound)) };
}

/** Simulate a plate into `out` (created if needed). Throws RangeError for bad options before writing anything. */
export async function simulatePlate(
  out: string,
  options: SimulatePlateOptions = {},
): Promise<SimulationResult> {
  const o = resolveSimulateOptions(options);
  const design = designFor(o);
  const camera = defaultCamera(o.bitDepth);
  const byWell = new Map<string, DesignedWell>(design.wells.map((w) => [w.well.well, w]));
  const wells = o.wells.map((w) => byWell.get(w.well)!);
  const plateNames = simulatedPlateNames(o.plate, o.plates);
  const total = plateNames.length * wells.length * o.sites;
  const qcRng = createRng(hashSeed(o.seed, 'qc'));
  const taken = new Set<number>();
  const outOfFocus = chooseFields(total, o.outOfFocusFraction, qcRng, taken);
  const saturated = chooseFields(total, o.saturatedFraction, qcRng, taken);

  await mkdir(join(out, 'images'), { recursive: true });
  await mkdir(join(out, 'truth'), { recursive: true });
  const illumination = [0, 1, 2].map((c) => illuminationField(o.size, o.size, o.seed, c));
  for (let c = 0; c < 3; c++) {
    await writeNpy(join(out, 'truth', `illumination_w${c + 1}.npy`), illumination[c]!, [o.size, o.size]);
  }

  const fields: SimulatedField[] = [];
  const objectRows: unknown[][] = [];
  let index = 0;
  for (const plateName of plateNames) {
    for (const w of wells) {
      for (let site = 1; site <= o.sites; site++, index++) {
        const oof = outOfFocus.has(index);
        const sat = saturated.has(index);
        const blurSigma = oof ? qcRng.range(3.5, 6) : FOCUS_SIGMA;
        const exposure = sat ? qcRng.range(4, 6) : 1;
        const { spec, edgeFactor } = fieldPlan(o, w, plateName, site);
        const rendered = renderField({
          ...spec,
          blurSigma,
          exposure,
          camera,
          illumination,
        });
        const images: string[] = [];
        for (let c = 0; c < 3; c++) {
          const name = join('images', simulatedImageName(plateName, w.well.well, site, c + 1));
          const n = o.size * o.size;
          const plane = {
            ...rendered.image,
            channels: 1,
            data: rendered.image.data.subarray(c * n, (c + 1) * n),
            channelNames: [SIM_CHANNELS[c]!],
          } as typeof rendered.image;
          await writeImage(join(out, name), plane);
          images.push(name);
        }
        const stem = `${plateName}_${w.well.well}_s${site}`;
        const nucleiLabels = join('truth', `${stem}_nuclei.tif`);
        const cellLabels = join('truth', `${stem}_cells.tif`);
        await writeImage(join(out, nucleiLabels), rendered.nuclei, { labels: true, compression: 'deflate' });
        await writeImage(join(out, cellLabels), rendered.cells, { labels: true, compression: 'deflate' });
        for (const obj of rendered.objects) {
          objectRows.push([
            plateName,
            w.well.well,
            site,
            obj.label,
            fmt(obj.x),
            fmt(obj.y),
            obj.kind,
            fmt(obj.nuclearArea),
            obj.nuclearPixels,
            obj.cellPixels,
            obj.touchesBorder ? 1 : 0,
            fmt(obj.dnaLevel),
            fmt(obj.markerNcRatio),
          ]);
        }
        fields.push({
          plate: plateName,
          well: w.well.well,
          row: w.well.row,
          column: w.well.column,
          site,
          compound: w.compound,
          concentration: w.concentration,
          role: w.role,
          cellCount: rendered.cellCount,
          meanNuclearArea: rendered.meanNuclearArea,
          meanInteriorNuclearPixels: rendered.meanInteriorNuclearPixels,
          meanMarkerNcRatio: rendered.meanMarkerNcRatio,
          expectedCellCount: w.expected.cell_count * edgeFactor,
          edgeFactor,
          expectedNuclearArea: w.expected.nuclear_area,
          expectedMarkerNcRatio: w.expected.marker_nc_ratio,
          outOfFocus: oof,
          blurSigma,
          saturated: sat,
          exposure,
          saturatedPixels: rendered.saturatedPixels,
          images,
          nucleiLabels,
          cellLabels,
        });
        options.onProgress?.(index + 1, total);
      }
    }
  }

  const present = new Set(wells.map((w) => w.compound));
  const curves = design.curves.filter((c) => present.has(c.compound));
  const entries: PlateMapEntry[] = plateNames.flatMap((plateName) =>
    wells.map((w) => ({
      ...(plateNames.length > 1 ? { plate: plateName } : {}),
      well: w.well.well,
      row: w.well.row,
      column: w.well.column,
      compound: w.compound,
      concentration: w.concentration,
      unit: w.unit,
      role: w.role,
      annotations: {},
    })),
  );
  await writeFile(join(out, 'platemap.csv'), formatPlateMap(entries));
  await writeFile(
    join(out, 'planted.csv'),
    formatCsvRows(
      ['compound', 'effect', 'top', 'bottom', 'ic50', 'logIC50', 'hill', 'unit', 'active'],
      curves.map((c) => [
        c.compound,
        c.effect,
        fmt(c.top),
        fmt(c.bottom),
        fmt(c.ic50),
        fmt(c.logIC50),
        fmt(c.hill),
        c.unit,
        c.active ? 1 : 0,
      ]),
    ),
  );
  await writeFile(
    join(out, 'planted.json'),
    `${JSON.stringify(
      {
        model: LOGISTIC4_FORMULA,
        notes:
          'x is the concentration in `unit`; DMSO wells have no concentration and take the no-drug plateau (top when hill < 0, bottom when hill > 0). cell_count is expected cells per field, nuclear_area the expected mean area of whole nuclei in pixels, marker_nc_ratio the expected per-cell ratio of nuclear to cytoplasmic marker level.',
        plates: plateNames,
        plateFormat: o.plateFormat,
        seed: o.seed,
        unit: design.unit,
        concentrations: design.concentrations,
        baseline: design.baseline,
        channels: SIM_CHANNELS.map((name, i) => ({ channel: `w${i + 1}`, name })),
        camera,
        options: { ...o, wells: o.wells.map((w) => w.well) },
        curves,
      },
      null,
      2,
    )}\n`,
  );
  await writeFile(
    join(out, 'fields.csv'),
    formatCsvRows(
      [
        'plate',
        'well',
        'row',
        'column',
        'site',
        'compound',
        'concentration',
        'role',
        'cell_count',
        'mean_nuclear_area',
        'mean_interior_nuclear_pixels',
        'mean_marker_nc_ratio',
        'expected_cell_count',
        'expected_nuclear_area',
        'expected_marker_nc_ratio',
        'edge_factor',
        'out_of_focus',
        'blur_sigma',
        'saturated',
        'exposure',
        'saturated_pixels',
        'image_w1',
        'image_w2',
        'image_w3',
        'nuclei_labels',
        'cell_labels',
      ],
      fields.map((f) => [
        f.plate,
        f.well,
        f.row,
        f.column,
        f.site,
        f.compound,
        f.concentration ?? '',
        f.role,
        f.cellCount,
        fmt(f.meanNuclearArea),
        fmt(f.meanInteriorNuclearPixels),
        fmt(f.meanMarkerNcRatio),
        fmt(f.expectedCellCount),
        fmt(f.expectedNuclearArea),
        fmt(f.expectedMarkerNcRatio),
        fmt(f.edgeFactor),
        f.outOfFocus ? 1 : 0,
        fmt(f.blurSigma),
        f.saturated ? 1 : 0,
        fmt(f.exposure),
        f.saturatedPixels,
        ...f.images,
        f.nucleiLabels,
        f.cellLabels,
      ]),
    ),
  );
  await writeFile(
    join(out, 'truth', 'objects.csv'),
    formatCsvRows(
      [
        'plate',
        'well',
        'site',
        'label',
        'x',
        'y',
        'kind',
        'nuclear_area',
        'nuclear_pixels',
        'cell_pixels',
        'touches_border',
        'dna_level',
        'marker_nc_ratio',
      ],
      objectRows,
    ),
  );
  return { out, options: o, design, camera, fields, curves };
}
