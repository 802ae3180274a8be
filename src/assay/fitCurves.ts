// Fit a 4PL curve per compound of a long-format table (compound, concentration, response; replicates as repeated
// rows) and tabulate parameters, standard errors, intervals, R² and flags: what `phenoscope fit` writes and the
// report draws. Cell-loss gating: with a viability column (fraction of control, 1 = no loss), concentrations
// whose mean viability is below `toxicThreshold` are left out of the fit and the curve is flagged 'toxic'.
import { isNumeric, type Table, tableFromColumns } from '../table/table.ts';
import {
  FOUR_PL_PARAMETERS,
  type FourPLFit,
  type FourPLFlag,
  type FourPLOptions,
  fitFourPL,
} from './fourPL.ts';

export interface FitCurvesOptions extends FourPLOptions {
  /** Column naming the compound (one curve per distinct value). @default 'compound' */
  compoundColumn?: string;
  /** Column of concentrations. @default 'concentration' */
  concentrationColumn?: string;
  /** Column of responses. @default 'response' */
  responseColumn?: string;
  /** Concentrations are already log10 values (else they must be > 0 and are log10-transformed). @default false */
  logConcentration?: boolean;
  /** Optional viability column (fraction of control) for cell-loss gating. @default undefined */
  viabilityColumn?: string;
  /** Mean viability below which a concentration is gated out and the curve flagged 'toxic'. @default 0.5 */
  toxicThreshold?: number;
  /** Name of the source (file) used in error messages. @default 'table' */
  source?: string;
  /** Called after each curve with (done, total), e.g. to draw a progress bar. @default undefined */
  onProgress?: (done: number, total: number) => void;
}

export interface CurveFit {
  compound: string;
  fit: FourPLFit;
  /** The points used (log10 concentration, response) and those gated out as toxic. */
  logConcentration: Float64Array;
  response: Float64Array;
  gatedLogConcentrations: number[];
}

/** A numeric column, or an error naming the source, line (1-based, header = line 1) and offending cell. */
function numbers(table: Table, name: string, source: string): Float64Array {
  const column = table.columns[name];
  if (!column) {
    throw new RangeError(`${source}: no column '${name}'; available columns: ${table.names.join(', ')}`);
  }
  if (isNumeric(column)) return column;
  const bad = column.findIndex((v) => !Number.isFinite(Number(v)) || v.trim() === '');
  throw new TypeError(
    `${source}: line ${bad + 2}, column '${name}': ${JSON.stringify(column[bad])} is not a number`,
  );
}

/** Fit every compound's curve; rows with a missing (NaN) response are skipped. Compounds in first-seen order. */
export function fitCurves(table: Table, options: FitCurvesOptions = {}): CurveFit[] {
  const source = options.source ?? 'table';
  const compoundName = options.compoundColumn ?? 'compound';
  const compoundColumn = table.columns[compoundName];
  if (!compoundColumn) {
    throw new RangeError(
      `${source}: no compound column '${compoundName}'; available columns: ${table.names.join(', ')}`,
    );
  }
  const compounds = isNumeric(compoundColumn) ? Array.from(compoundColumn, String) : compoundColumn;
  const concName = options.concentrationColumn ?? 'concentration';
  const respName = options.responseColumn ?? 'response';
  const conc = numbers(table, concName, source);
  const resp = numbers(table, respName, source);
  const viability = options.viabilityColumn ? numbers(table, options.viabilityColumn, source) : undefined;
  const threshold = options.toxicThreshold ?? 0.5;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < table.rows; i++) {
    const c = conc[i]!;
    if (Number.isNaN(resp[i]!)) continue;
    if (!Number.isFinite(c)) {
      throw new RangeError(`${source}: line ${i + 2}, column '${concName}': concentration is ${c}`);
    }
    if (!options.logConcentration && c <= 0) {
      throw new RangeError(
        `${source}: line ${i + 2}, column '${concName}': concentration ${c} must be > 0 to take log10 ` +
          '(use --log-conc if the column already holds log10 values)',
      );
    }
    if (!Number.isFinite(resp[i]!)) {
      throw new RangeError(`${source}: line ${i + 2}, column '${respName}': response is ${resp[i]}`);
    }
    const key = compounds[i]!;
    let rows = groups.get(key);
    if (!rows) {
      rows = [];
      groups.set(key, rows);
    }
    rows.push(i);
  }
  const out: CurveFit[] = [];
  for (const [compound, rows] of groups) {
    const lx = rows.map((i) => (options.logConcentration ? conc[i]! : Math.log10(conc[i]!)));
    let keep = rows.map((_, k) => k);
    const gated: number[] = [];
    if (viability) {
      const byConc = new Map<number, number[]>();
      rows.forEach((i, k) => {
        const list = byConc.get(lx[k]!) ?? [];
        list.push(viability[i]!);
        byConc.set(lx[k]!, list);
      });
      for (const [x, values] of byConc) {
        const finite = values.filter(Number.isFinite);
        const mean = finite.reduce((s, v) => s + v, 0) / finite.length;
        if (mean < threshold) gated.push(x);
      }
      gated.sort((a, b) => a - b);
      keep = keep.filter((k) => !gated.includes(lx[k]!));
    }
    const logConcentration = Float64Array.from(keep, (k) => lx[k]!);
    const response = Float64Array.from(keep, (k) => resp[rows[k]!]!);
    const fit = fitFourPL(logConcentration, response, options);
    if (gated.length > 0) {
      fit.flags.push('toxic');
      if (fit.reason)
        fit.reason += `; ${gated.length} concentration(s) gated out for viability < ${threshold}`;
    }
    out.push({ compound, fit, logConcentration, response, gatedLogConcentrations: gated });
    options.onProgress?.(out.length, groups.size);
  }
  return out;
}

const COLUMN_OF: Record<(typeof FOUR_PL_PARAMETERS)[number], string> = {
  top: 'top',
  bottom: 'bottom',
  logIC50: 'log10_ic50',
  hill: 'hill',
};

/** One row per compound: estimates, SEs, Wald 95% bounds, profile bounds of log10 IC50, R², flags. */
export function curveFitsTable(fits: readonly CurveFit[]): Table {
  const columns: Record<string, Float64Array | string[]> = { compound: fits.map((f) => f.compound) };
  const num = (get: (f: FourPLFit) => number) => Float64Array.from(fits, (f) => get(f.fit));
  columns.n_points = num((f) => f.n);
  for (const p of FOUR_PL_PARAMETERS) {
    const name = COLUMN_OF[p];
    columns[name] = num((f) => f.params[p]);
    columns[`${name}_se`] = num((f) => f.se[p]);
    columns[`${name}_lo95`] = num((f) => f.lower[p]);
    columns[`${name}_hi95`] = num((f) => f.upper[p]);
  }
  columns.log10_ic50_profile_lo95 = num((f) => f.logIC50Profile[0]);
  columns.log10_ic50_profile_hi95 = num((f) => f.logIC50Profile[1]);
  columns.log10_ic50_boot_lo95 = num((f) => f.logIC50Bootstrap[0]);
  columns.log10_ic50_boot_hi95 = num((f) => f.logIC50Bootstrap[1]);
  columns.r2 = num((f) => f.r2);
  columns.flat_p = num((f) => f.flatP);
  columns.lack_of_fit_p = num((f) => f.lackOfFitP);
  columns.flags = fits.map((f) => f.fit.flags.join(';'));
  columns.reason = fits.map((f) => f.fit.reason ?? '');
  return tableFromColumns(columns);
}

export type { FourPLFlag };
