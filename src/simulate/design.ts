// The simulated screen's plate design: negative (vehicle) controls in the first column, positive controls in the
// last, and compounds as dose series along rows (one run of `concentrations` wells per compound replicate), with
// planted 4-parameter logistic effects on cell count, nuclear area and marker translocation per compound. The
// layout follows common practice in high-content screening (controls on the plate edge columns; Zhang et al.
// 1999 for Z' on such controls). Parameters are drawn from a seeded stream, so a seed fixes the whole design.
import { allWells, plateGeometry, type Well } from '../plate/geometry.ts';
import type { WellRole } from '../plate/platemap.ts';
import { type Logistic4, logistic4 } from './logistic.ts';
import { createRng, hashSeed, type Rng } from './prng.ts';

/** The planted per-well effects. */
export type EffectName = 'cell_count' | 'nuclear_area' | 'marker_nc_ratio';
export const EFFECTS: readonly EffectName[] = ['cell_count', 'nuclear_area', 'marker_nc_ratio'];

/** Values of each effect without drug. */
export interface Baseline {
  /** Expected cells per field. */
  readonly cellCount: number;
  /** Expected mean nuclear area in pixels. */
  readonly nuclearArea: number;
  /** Expected ratio of mean nuclear to mean cytoplasmic marker intensity per cell. */
  readonly markerNcRatio: number;
}

/** One planted curve: a compound's effect on one readout, as a 4PL in the plate's concentration unit. */
export interface PlantedCurve extends Logistic4 {
  readonly compound: string;
  readonly effect: EffectName;
  /** 10^logIC50, in `unit`. */
  readonly ic50: number;
  readonly unit: string;
  /** False for a flat curve (top = bottom: the compound does not change this readout). */
  readonly active: boolean;
}

export interface DesignedWell {
  readonly well: Well;
  readonly compound: string;
  /** null for vehicle controls. */
  readonly concentration: number | null;
  readonly unit: string;
  readonly role: WellRole;
  /** 1-based replicate of this compound's dose series (0 for controls). */
  readonly replicate: number;
  /** Planted expected value of each effect in this well. */
  readonly expected: Readonly<Record<EffectName, number>>;
}

export interface PlateDesign {
  readonly plateFormat: number;
  readonly concentrations: readonly number[];
  readonly unit: string;
  readonly baseline: Baseline;
  /** Every well of the plate, row-major. */
  readonly wells: readonly DesignedWell[];
  /** Curves of every compound and of the positive control. */
  readonly curves: readonly PlantedCurve[];
}

export interface DesignOptions {
  /** Plate format (wells). @default 96 */
  plateFormat?: number;
  /** Concentrations per dose series (capped by the plate's interior columns). @default 8 */
  concentrations?: number;
  /** Highest concentration. @default 10 */
  topConcentration?: number;
  /** Dilution factor between neighbouring concentrations. @default Math.sqrt(10) (half-log series) */
  dilution?: number;
  /** Concentration unit. @default 'uM' */
  unit?: string;
  /** Replicate dose series per compound. @default 2 */
  replicates?: number;
  /** No-drug values of the effects. @default { cellCount: 120, nuclearArea: 200, markerNcRatio: 0.5 } */
  baseline?: Baseline;
  /** Seed of the design's random stream. @default 1 */
  seed?: number;
  /** Vehicle control compound. @default 'DMSO' */
  negativeControl?: string;
  /** Positive control compound. @default 'PC-1' */
  positiveControl?: string;
}

type Archetype = 'toxic' | 'translocator' | 'enlarger' | 'inactive' | 'translocator_toxic';
const ARCHETYPES: readonly Archetype[] = [
  'toxic',
  'translocator',
  'enlarger',
  'inactive',
  'translocator_toxic',
];

function curve(
  compound: string,
  effect: EffectName,
  unit: string,
  top: number,
  bottom: number,
  logIC50: number,
  hill: number,
  active: boolean,
): PlantedCurve {
  return { compound, effect, unit, top, bottom, logIC50, ic50: 10 ** logIC50, hill, active };
}

function flat(
  compound: string,
  effect: EffectName,
  unit: string,
  value: number,
  logMid: number,
): PlantedCurve {
  return curve(compound, effect, unit, value, value, logMid, -1, false);
}

/** The three curves of one compound of a given archetype; IC50s drawn inside the tested range. */
function compoundCurves(
  compound: string,
  kind: Archetype,
  base: Baseline,
  logLo: number,
  logHi: number,
  unit: string,
  rng: Rng,
): PlantedCurve[] {
  const mid = (logLo + logHi) / 2;
  const logIC50 = () => rng.range(logLo, logHi);
  const hill = (lo: number, hi: number) => rng.range(lo, hi);
  const count = (bottomFraction: number) =>
    curve(
      compound,
      'cell_count',
      unit,
      base.cellCount,
      base.cellCount * bottomFraction,
      logIC50(),
      -hill(1, 2),
      true,
    );
  const area = (topFactor: number) =>
    curve(
      compound,
      'nuclear_area',
      unit,
      base.nuclearArea * topFactor,
      base.nuclearArea,
      logIC50(),
      hill(0.8, 1.8),
      true,
    );
  const nc = (topFactor: number) =>
    curve(
      compound,
      'marker_nc_ratio',
      unit,
      base.markerNcRatio * topFactor,
      base.markerNcRatio,
      logIC50(),
      hill(1, 2),
      true,
    );
  switch (kind) {
    case 'toxic':
      return [
        count(rng.range(0.1, 0.3)),
        flat(compound, 'nuclear_area', unit, base.nuclearArea, mid),
        flat(compound, 'marker_nc_ratio', unit, base.markerNcRatio, mid),
      ];
    case 'translocator':
      return [
        flat(compound, 'cell_count', unit, base.cellCount, mid),
        area(rng.range(1.4, 1.7)),
        nc(rng.range(4, 6)),
      ];
    case 'enlarger':
      return [
        count(rng.range(0.5, 0.7)),
        area(rng.range(1.6, 2)),
        flat(compound, 'marker_nc_ratio', unit, base.markerNcRatio, mid),
      ];
    case 'inactive':
      return [
        flat(compound, 'cell_count', unit, base.cellCount, mid),
        flat(compound, 'nuclear_area', unit, base.nuclearArea, mid),
        flat(compound, 'marker_nc_ratio', unit, base.markerNcRatio, mid),
      ];
    case 'translocator_toxic':
      return [
        count(rng.range(0.2, 0.4)),
        flat(compound, 'nuclear_area', unit, base.nuclearArea, mid),
        nc(rng.range(3, 5)),
      ];
  }
}

function expectedAt(curves: readonly PlantedCurve[], concentration: number): Record<EffectName, number> {
  const out = {} as Record<EffectName, number>;
  for (const c of curves) out[c.effect] = logistic4(concentration, c);
  return out;
}

/** The default baseline. */
export const DEFAULT_BASELINE: Baseline = { cellCount: 120, nuclearArea: 200, markerNcRatio: 0.5 };

/** Design a whole plate. Throws RangeError for an unknown format or impossible options. */
export function designPlate(options: DesignOptions = {}): PlateDesign {
  const g = plateGeometry(options.plateFormat ?? 96);
  const unit = options.unit ?? 'uM';
  const base = options.baseline ?? DEFAULT_BASELINE;
  const replicates = options.replicates ?? 2;
  const nConcRequested = options.concentrations ?? 8;
  const top = options.topConcentration ?? 10;
  const dilution = options.dilution ?? Math.sqrt(10);
  if (!Number.isInteger(nConcRequested) || nConcRequested < 1 || nConcRequested > 46) {
    throw new RangeError(`concentrations per series must be an integer in [1, 46], got ${nConcRequested}`);
  }
  if (!Number.isInteger(replicates) || replicates < 1) {
    throw new RangeError(`replicates must be a positive integer, got ${replicates}`);
  }
  if (!(top > 0) || !Number.isFinite(top)) throw new RangeError(`top concentration must be > 0, got ${top}`);
  if (!(dilution > 1) || !Number.isFinite(dilution))
    throw new RangeError(`dilution factor must be > 1, got ${dilution}`);
  const interior = Math.max(0, g.columns - 2);
  const nConc = Math.max(1, Math.min(nConcRequested, interior));
  // rounded to 6 significant digits, as a plate map would state them
  const concentrations = Array.from({ length: nConc }, (_, k) =>
    Number((top / dilution ** (nConc - 1 - k)).toPrecision(6)),
  );
  const runsPerRow = interior >= nConc ? Math.floor(interior / nConc) : 0;
  const nRuns = runsPerRow * g.rows;
  const nCompounds = Math.max(1, Math.floor(nRuns / replicates));
  const rng = createRng(hashSeed(options.seed ?? 1, 'design'));
  const logLo = Math.log10(concentrations[0]!);
  const logHi = Math.log10(concentrations[nConc - 1]!);
  // IC50s are drawn in the middle of the tested range so both plateaus are sampled
  const span = logHi - logLo;
  const drawLo = nConc >= 4 ? logLo + 0.25 * span : logLo;
  const drawHi = nConc >= 4 ? logHi - 0.25 * span : logHi;
  const neg = options.negativeControl ?? 'DMSO';
  const pos = options.positiveControl ?? 'PC-1';
  const curves: PlantedCurve[] = [];
  const byCompound = new Map<string, PlantedCurve[]>();
  const digits = Math.max(2, String(nCompounds).length);
  const compoundName = (i: number) => `CPD-${String(i + 1).padStart(digits, '0')}`;
  for (let i = 0; i < nCompounds && nRuns > 0; i++) {
    const name = compoundName(i);
    const cs = compoundCurves(name, ARCHETYPES[i % ARCHETYPES.length]!, base, drawLo, drawHi, unit, rng);
    byCompound.set(name, cs);
    curves.push(...cs);
  }
  // positive control: every readout at full effect (IC50 two log units below the control's concentration)
  const posLog = Math.log10(top) - 2;
  const posCurves = [
    curve(pos, 'cell_count', unit, base.cellCount, base.cellCount * 0.3, posLog, -1.5, true),
    curve(pos, 'nuclear_area', unit, base.nuclearArea * 1.6, base.nuclearArea, posLog, 1.5, true),
    curve(pos, 'marker_nc_ratio', unit, base.markerNcRatio * 5, base.markerNcRatio, posLog, 1.5, true),
  ];
  curves.push(...posCurves);
  const baseExpected: Record<EffectName, number> = {
    cell_count: base.cellCount,
    nuclear_area: base.nuclearArea,
    marker_nc_ratio: base.markerNcRatio,
  };
  const leftover = interior - runsPerRow * nConc;
  const wells: DesignedWell[] = allWells(g.format).map((well) => {
    const c = well.columnIndex;
    const negative = (): DesignedWell => ({
      well,
      compound: neg,
      concentration: null,
      unit,
      role: 'negative_control',
      replicate: 0,
      expected: baseExpected,
    });
    const positive = (): DesignedWell => ({
      well,
      compound: pos,
      concentration: top,
      unit,
      role: 'positive_control',
      replicate: 0,
      expected: expectedAt(posCurves, top),
    });
    if (g.columns === 1 || c === 0) return negative();
    if (c === g.columns - 1) return positive();
    const k = c - 1; // interior column index
    if (k < runsPerRow * nConc) {
      const run = well.rowIndex * runsPerRow + Math.floor(k / nConc);
      const compoundIndex = run % nCompounds;
      const replicate = Math.floor(run / nCompounds) + 1;
      const name = compoundName(compoundIndex);
      const cs = byCompound.get(name);
      if (!cs || replicate > replicates) return negative();
      const concentration = concentrations[k % nConc]!;
      return {
        well,
        compound: name,
        concentration,
        unit,
        role: 'treatment',
        replicate,
        expected: expectedAt(cs, concentration),
      };
    }
    // leftover interior columns: the last one holds more positive controls when there are two or more
    return leftover >= 2 && c === g.columns - 2 ? positive() : negative();
  });
  return { plateFormat: g.format, concentrations, unit, baseline: base, wells, curves };
}
