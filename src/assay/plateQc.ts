// Per-plate quality control of one readout from its control wells: Z' and robust Z' (Zhang 1999), SSMD
// (Zhang 2007, method-of-moments estimate), signal window (Iversen et al. 2006, NCATS Assay Guidance Manual,
// "HTS Assay Validation": SW = (|μmax − μmin| − 3(σmax + σmin))/σmax), control CVs, and positional effects from a
// B-score median polish of the sample wells (Brideau 2003): row/column effects and the edge effect.
import { mad, mean, median, std } from '../profile/descriptive.ts';
import { bScore } from './bScore.ts';
import { type PlateHeatmap, plateHeatmap } from './plateHeatmap.ts';
import { ssmd } from './ssmd.ts';
import { robustZPrime, zPrime } from './zPrime.ts';

/** Well roles understood by QC and hit calling (plate-map `role` column, case-insensitive). */
export type WellRole = 'negative' | 'positive' | 'sample' | 'empty';

const ROLE_ALIASES: Record<string, WellRole> = {
  negative: 'negative',
  neg: 'negative',
  'negative control': 'negative',
  negative_control: 'negative',
  control: 'negative',
  dmso: 'negative',
  vehicle: 'negative',
  positive: 'positive',
  pos: 'positive',
  'positive control': 'positive',
  positive_control: 'positive',
  sample: 'sample',
  treatment: 'sample',
  compound: 'sample',
  '': 'sample',
  empty: 'empty',
  blank: 'empty',
};

/** Normalise a role string: negative/neg/negative_control/control/dmso/vehicle, positive/pos/positive_control, sample/treatment/compound/'', empty/blank. */
export function parseRole(role: string): WellRole {
  const r = ROLE_ALIASES[role.trim().toLowerCase()];
  if (!r) {
    throw new RangeError(
      `unknown well role '${role}' (expected negative, positive, sample or empty, or an alias: neg, negative_control, control, dmso, vehicle, pos, positive_control, treatment, compound, blank)`,
    );
  }
  return r;
}

export interface PlateQc {
  nNegative: number;
  nPositive: number;
  nSample: number;
  meanNegative: number;
  sdNegative: number;
  cvNegative: number;
  meanPositive: number;
  sdPositive: number;
  cvPositive: number;
  zPrime: number;
  robustZPrime: number;
  /** SSMD of positive against negative controls. */
  ssmd: number;
  signalWindow: number;
  /** (median edge − median interior sample wells) / 1.4826·MAD of sample wells; NaN without both. */
  edgeEffect: number;
  /** Row and column effects of the median polish of the sample wells (NaN when it could not be computed). */
  rowEffects: Float64Array;
  columnEffects: Float64Array;
  /** B-scores laid out on the plate (sample wells only). */
  bScores: PlateHeatmap | undefined;
  /** Raw values on the plate grid. */
  heatmap: PlateHeatmap;
  /** Why some numbers are NaN (e.g. no positive controls). */
  notes: string[];
}

/**
 * QC of one plate: `wells`, `values` and `roles` are parallel arrays. Throws when the plate has no negative
 * control wells (nothing to judge against); without positive controls Z', SSMD and signal window are NaN with a
 * note.
 */
export function plateQc(
  wells: readonly string[],
  values: ArrayLike<number>,
  roles: readonly WellRole[],
): PlateQc {
  if (wells.length !== values.length || wells.length !== roles.length) {
    throw new RangeError(`plateQc: ${wells.length} wells, ${values.length} values, ${roles.length} roles`);
  }
  const pick = (role: WellRole) =>
    Array.from(values).filter((v, i) => roles[i] === role && Number.isFinite(v as number));
  const neg = pick('negative');
  const pos = pick('positive');
  const notes: string[] = [];
  if (neg.length === 0) {
    throw new RangeError(
      'plateQc: the plate has no negative control wells with a value (role negative/dmso)',
    );
  }
  let z = Number.NaN;
  let rz = Number.NaN;
  let s = Number.NaN;
  let sw = Number.NaN;
  if (pos.length >= 2 && neg.length >= 2) {
    z = zPrime(pos, neg);
    rz = robustZPrime(pos, neg);
    s = ssmd(pos, neg);
    const [hi, lo] = mean(pos) >= mean(neg) ? [pos, neg] : [neg, pos];
    sw = (Math.abs(mean(hi) - mean(lo)) - 3 * (std(hi) + std(lo))) / std(hi);
  } else notes.push(`Z', SSMD and signal window need ≥ 2 positive and ≥ 2 negative controls`);
  const heatmap = plateHeatmap(wells, values);
  const roleOf = new Map(wells.map((w, i) => [w, roles[i]!]));
  const sampleValues = Float64Array.from(heatmap.values);
  heatmap.wells.forEach((w, k) => {
    if (!w || roleOf.get(w) !== 'sample') sampleValues[k] = Number.NaN;
  });
  let rowEffects: Float64Array = new Float64Array(heatmap.rows).fill(Number.NaN);
  let columnEffects: Float64Array = new Float64Array(heatmap.columns).fill(Number.NaN);
  let bScores: PlateHeatmap | undefined;
  let edgeEffect = Number.NaN;
  const samples = Array.from(sampleValues).filter(Number.isFinite);
  if (samples.length >= 4 && mad(samples) > 0) {
    const b = bScore(sampleValues, heatmap.rows, heatmap.columns);
    rowEffects = b.row;
    columnEffects = b.column;
    bScores = { ...heatmap, values: b.scores };
    const edge: number[] = [];
    const interior: number[] = [];
    for (let r = 0; r < heatmap.rows; r++) {
      for (let c = 0; c < heatmap.columns; c++) {
        const v = sampleValues[r * heatmap.columns + c]!;
        if (!Number.isFinite(v)) continue;
        const isEdge = r === 0 || c === 0 || r === heatmap.rows - 1 || c === heatmap.columns - 1;
        (isEdge ? edge : interior).push(v);
      }
    }
    if (edge.length > 0 && interior.length > 0) edgeEffect = (median(edge) - median(interior)) / mad(samples);
  } else notes.push('positional effects need ≥ 4 sample wells with non-zero spread');
  const cv = (v: number[]) => (100 * std(v)) / Math.abs(mean(v));
  return {
    nNegative: neg.length,
    nPositive: pos.length,
    nSample: samples.length,
    meanNegative: mean(neg),
    sdNegative: std(neg),
    cvNegative: cv(neg),
    meanPositive: mean(pos),
    sdPositive: std(pos),
    cvPositive: cv(pos),
    zPrime: z,
    robustZPrime: rz,
    ssmd: s,
    signalWindow: sw,
    edgeEffect,
    rowEffects,
    columnEffects,
    bScores,
    heatmap,
    notes,
  };
}
