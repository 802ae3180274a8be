// The screening report: a self-contained HTML page (inline CSS and SVG; no scripts, fonts, images or links
// outside the file) with per-plate QC, plate heatmaps of the readout and its B-scores, 4PL dose-response curves
// with 95% confidence bands, a ranked hit table and the cosine-similarity heatmap of treatment profiles. Input:
// one table of wells with plate-map columns (see run.ts).
import { type CurveFit, fitCurves } from '../assay/fitCurves.ts';
import { fourPL, fourPLBand } from '../assay/fourPL.ts';
import {
  controlQuantileThreshold,
  hitList,
  mahalanobisDistances,
  robustZScores,
} from '../assay/hitCalling.ts';
import { plateHeatmap } from '../assay/plateHeatmap.ts';
import { type PlateQc, parseRole, plateQc, type WellRole } from '../assay/plateQc.ts';
import { mad, median } from '../profile/descriptive.ts';
import { featureRows, inferFeatures } from '../profile/matrix.ts';
import { similarityMatrix } from '../profile/similarity.ts';
import { isNumeric, type Table } from '../table/table.ts';
import { curvePlotSvg, escapeXml, heatmapSvg } from './svg.ts';

export interface ReportOptions {
  /** Readout for QC, heatmaps, dose-response and robust z (default: the first feature). @default undefined */
  readout?: string;
  /** Features for profiles, Mahalanobis hits and similarity. @default all numeric non-map columns */
  features?: readonly string[];
  /** Page title. @default 'Phenoscope screening report' */
  title?: string;
  /** Robust z threshold for hits (two-sided). @default 3 */
  zThreshold?: number;
  /** Quantile of the control wells' Mahalanobis distances used as the hit threshold. @default 0.99 */
  distanceQuantile?: number;
  /** Most treatments drawn in the similarity heatmap (the most distant from controls first). @default 60 */
  maxSimilarity?: number;
  /** Source description printed in the header. @default '' */
  source?: string;
  /** Further features drawn as plate heatmaps besides the readout. @default [] */
  heatmapFeatures?: readonly string[];
  /** Cell-count feature for cell-loss gating: viability = value / median of the plate's negative controls. @default undefined */
  viability?: string;
  /** Concentrations whose mean viability is below this are gated out of the fit and the curve flagged toxic. @default 0.5 */
  toxicThreshold?: number;
}

export interface ReportResult {
  html: string;
  qc: { plate: string; qc: PlateQc | undefined; note?: string }[];
  fits: CurveFit[];
  hits: {
    treatment: string;
    robustZ: number;
    distance: number;
    zHit: boolean;
    distanceHit: boolean;
    rank: number;
  }[];
}

const KEY_COLUMNS = ['plate', 'well', 'compound', 'concentration', 'unit', 'role', 'row', 'column', 'site'];

function fmt(v: number, digits = 3): string {
  if (Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(digits);
}

function table(headers: readonly string[], rows: readonly (readonly string[])[], cls = ''): string {
  const head = headers.map((h) => `<th>${escapeXml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table class="${cls}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Build the report from a wells table carrying plate, well, compound, concentration, role and features. */
export function buildReport(wells: Table, options: ReportOptions = {}): ReportResult {
  const text = (c: string) => {
    const col = wells.columns[c];
    if (!col) throw new RangeError(`report: no column '${c}'; available: ${wells.names.join(', ')}`);
    return isNumeric(col) ? Array.from(col, (v) => (Number.isNaN(v) ? '' : String(v))) : col;
  };
  const plates = wells.columns.plate ? text('plate') : Array.from({ length: wells.rows }, () => 'plate');
  const wellNames = text('well');
  const compounds = text('compound');
  const roles: WellRole[] = text('role').map((r, i) => {
    try {
      return parseRole(r);
    } catch (error) {
      throw new RangeError(`report: line ${i + 2}, column 'role': ${(error as Error).message}`);
    }
  });
  const concCol = wells.columns.concentration;
  const conc = concCol && isNumeric(concCol) ? concCol : new Float64Array(wells.rows).fill(Number.NaN);
  const features = options.features ?? inferFeatures(wells, KEY_COLUMNS);
  if (features.length === 0) throw new RangeError('report: the wells table has no numeric feature columns');
  const readout = options.readout ?? features[0]!;
  const values = wells.columns[readout];
  if (!values || !isNumeric(values)) {
    throw new RangeError(
      `report: readout '${readout}' is not a numeric column; features: ${features.join(', ')}`,
    );
  }
  const plateNames = [...new Set(plates)];
  const negativesOf = (plate: string) =>
    plates.map((p, i) => (p === plate && roles[i] === 'negative' ? i : -1)).filter((i) => i >= 0);
  const sections: string[] = [];

  // --- QC and heatmaps per plate ---
  const qc: ReportResult['qc'] = [];
  const heatmaps: string[] = [];
  const robustZ = new Float64Array(wells.rows).fill(Number.NaN);
  for (const plate of plateNames) {
    const idx = plates.map((p, i) => (p === plate ? i : -1)).filter((i) => i >= 0);
    const w = idx.map((i) => wellNames[i]!);
    const v = Float64Array.from(idx, (i) => values[i]!);
    const r = idx.map((i) => roles[i]!);
    let result: PlateQc | undefined;
    let note: string | undefined;
    try {
      result = plateQc(w, v, r);
      const neg = r.map((role, k) => (role === 'negative' ? k : -1)).filter((k) => k >= 0);
      if (neg.length >= 2 && mad(neg.map((k) => v[k]!)) > 0) {
        robustZScores(v, neg).forEach((z, k) => {
          robustZ[idx[k]!] = z;
        });
      }
    } catch (error) {
      note = `QC skipped: ${(error as Error).message}`;
    }
    qc.push({ plate, qc: result, note });
    for (const feature of options.heatmapFeatures ?? []) {
      const col = wells.columns[feature];
      if (!col || !isNumeric(col))
        throw new RangeError(`report: heatmap feature '${feature}' is not a numeric column`);
      const h = plateHeatmap(
        w,
        Float64Array.from(idx, (i) => col[i]!),
      );
      heatmaps.push(
        heatmapSvg({
          title: `${plate}: ${feature}`,
          rowLabels: h.rowLabels,
          columnLabels: h.columnLabels,
          values: h.values,
          tooltips: h.wells,
          cell: h.columns > 24 ? 10 : 22,
        }),
      );
    }
    if (result) {
      heatmaps.push(
        heatmapSvg({
          title: `${plate}: ${readout}`,
          rowLabels: result.heatmap.rowLabels,
          columnLabels: result.heatmap.columnLabels,
          values: result.heatmap.values,
          tooltips: result.heatmap.wells,
          cell: result.heatmap.columns > 24 ? 10 : 22,
        }),
      );
      if (result.bScores) {
        heatmaps.push(
          heatmapSvg({
            title: `${plate}: B-score of ${readout} (sample wells)`,
            rowLabels: result.bScores.rowLabels,
            columnLabels: result.bScores.columnLabels,
            values: result.bScores.values,
            tooltips: result.bScores.wells,
            scale: 'diverging',
            cell: result.bScores.columns > 24 ? 10 : 22,
          }),
        );
      }
    }
  }
  const qcRows = qc.map(({ plate, qc: q, note }) =>
    q
      ? [
          escapeXml(plate),
          String(q.nNegative),
          String(q.nPositive),
          fmt(q.zPrime),
          fmt(q.robustZPrime),
          fmt(q.ssmd),
          fmt(q.signalWindow),
          fmt(q.cvNegative, 1),
          fmt(q.cvPositive, 1),
          fmt(q.edgeEffect),
          escapeXml(q.notes.join('; ')),
        ]
      : [escapeXml(plate), '', '', '', '', '', '', '', '', '', escapeXml(note ?? '')],
  );
  sections.push(
    `<section id="qc"><h2>Plate QC (${escapeXml(readout)})</h2>` +
      table(
        [
          'plate',
          'neg',
          'pos',
          "Z'",
          "robust Z'",
          'SSMD',
          'signal window',
          'CV neg %',
          'CV pos %',
          'edge effect',
          'notes',
        ],
        qcRows,
        'qc',
      ) +
      `<p class="note">Z' = 1 − 3(σp + σn)/|μp − μn| (Zhang 1999); robust Z' with median and 1.4826·MAD; SSMD = (μp − μn)/√(sp² + sn²), method-of-moments (Zhang 2007); signal window (Iversen 2006); edge effect = (median edge − median interior sample wells)/MAD in robust SD units; B-scores from Tukey median polish (Brideau 2003).</p></section>`,
  );
  sections.push(
    `<section id="heatmaps"><h2>Plate heatmaps</h2><div class="grid">${heatmaps.join('\n')}</div></section>`,
  );

  // --- Dose-response ---
  const treated = Array.from({ length: wells.rows }, (_, i) => i).filter(
    (i) => roles[i] === 'sample' && conc[i]! > 0 && Number.isFinite(values[i]!),
  );
  let viability: Float64Array | undefined;
  if (options.viability) {
    const col = wells.columns[options.viability];
    if (!col || !isNumeric(col))
      throw new RangeError(`report: viability '${options.viability}' is not a numeric column`);
    const controlMedian = new Map(
      plateNames.map((p) => [p, median(negativesOf(p).map((i) => col[i]!))] as const),
    );
    viability = Float64Array.from({ length: wells.rows }, (_, i) => col[i]! / controlMedian.get(plates[i]!)!);
  }
  const fitTable: Table = {
    names: ['compound', 'concentration', 'response', 'viability'],
    columns: {
      compound: treated.map((i) => compounds[i]!),
      concentration: Float64Array.from(treated, (i) => conc[i]!),
      response: Float64Array.from(treated, (i) => values[i]!),
      viability: Float64Array.from(treated, (i) => (viability ? viability[i]! : 1)),
    },
    rows: treated.length,
  };
  const fits = fitCurves(fitTable, {
    source: 'report',
    viabilityColumn: viability ? 'viability' : undefined,
    toxicThreshold: options.toxicThreshold,
  });
  const gatedPoints = (f: CurveFit): [number, number][] =>
    treated
      .filter((i) => compounds[i] === f.compound && f.gatedLogConcentrations.includes(Math.log10(conc[i]!)))
      .map((i) => [Math.log10(conc[i]!), values[i]!]);
  const plots = fits.map((f) => {
    const xs = Array.from(f.logConcentration);
    const lo = Math.min(...xs) - 0.5;
    const hi = Math.max(...xs) + 0.5;
    const fitted = Number.isFinite(f.fit.params.logIC50);
    const curve = fitted
      ? Array.from({ length: 61 }, (_, k) => {
          const x = lo + ((hi - lo) * k) / 60;
          const [a, b] = fourPLBand(x, f.fit);
          return [x, fourPL(x, f.fit.params), a, b] as [number, number, number, number];
        })
      : [];
    const flags = f.fit.flags.length ? ` [${f.fit.flags.join(', ')}]` : '';
    return `<figure>${curvePlotSvg({
      title: `${f.compound}${flags}`,
      points: xs.map((x, k) => [x, f.response[k]!]),
      gated: gatedPoints(f),
      curve,
      marker: f.fit.params.logIC50,
    })}<figcaption>log10 IC50 ${fmt(f.fit.params.logIC50)} (95% ${fmt(f.fit.lower.logIC50)} to ${fmt(f.fit.upper.logIC50)}), Hill ${fmt(f.fit.params.hill, 2)}, R² ${fmt(f.fit.r2)}${f.fit.reason ? `; ${escapeXml(f.fit.reason)}` : ''}</figcaption></figure>`;
  });
  const fitRows = fits.map((f) => [
    escapeXml(f.compound),
    fmt(f.fit.params.top),
    fmt(f.fit.params.bottom),
    fmt(f.fit.params.logIC50),
    `${fmt(f.fit.lower.logIC50)} to ${fmt(f.fit.upper.logIC50)}`,
    `${fmt(f.fit.logIC50Profile[0])} to ${fmt(f.fit.logIC50Profile[1])}`,
    fmt(f.fit.params.hill, 2),
    fmt(f.fit.r2),
    escapeXml(f.fit.flags.join(', ')),
  ]);
  sections.push(
    `<section id="dose-response"><h2>Dose-response (${escapeXml(readout)})</h2>` +
      `<p class="note">y = bottom + (top − bottom)/(1 + 10^((log IC50 − log10 x)·Hill)); least squares (Levenberg-Marquardt); shaded: 95% pointwise confidence band (delta method); dashed: log IC50.</p>` +
      `<div class="grid">${plots.join('\n')}</div>` +
      table(
        ['compound', 'top', 'bottom', 'log10 IC50', 'Wald 95%', 'profile 95%', 'Hill', 'R²', 'flags'],
        fitRows,
        'fits',
      ) +
      '</section>',
  );

  // --- Hits: per treatment robust z of the readout and Mahalanobis distance of the profile ---
  const negatives = Array.from({ length: wells.rows }, (_, i) => i).filter((i) => roles[i] === 'negative');
  const usable = features.filter((f) => {
    const c = wells.columns[f] as Float64Array;
    return mad(negatives.map((i) => c[i]!)) > 0;
  });
  const profiles = featureRows(wells, usable).map((row, i) => {
    // Robust z of each feature against the negative controls of the same plate.
    return row.map((v, j) => {
      const c = wells.columns[usable[j]!] as Float64Array;
      const ref = negatives.filter((k) => plates[k] === plates[i]).map((k) => c[k]!);
      const s = mad(ref);
      return s > 0 ? (v - median(ref)) / s : Number.NaN;
    });
  });
  const treatments = new Map<string, number[]>();
  for (let i = 0; i < wells.rows; i++) {
    if (roles[i] !== 'sample' && roles[i] !== 'positive') continue;
    const key = `${compounds[i]} @ ${fmt(conc[i]!, 4)}`;
    const list = treatments.get(key) ?? [];
    list.push(i);
    treatments.set(key, list);
  }
  const names = [...treatments.keys()];
  const consensusRows = names.map((n) => {
    const rows = treatments.get(n)!;
    return Float64Array.from(usable, (_, j) => median(rows.map((r) => profiles[r]![j]!)));
  });
  const zByTreatment = names.map((n) => median(treatments.get(n)!.map((r) => robustZ[r]!)));
  const controlRows = negatives.map((i) => profiles[i]!).filter((r) => r.every(Number.isFinite));
  let distances: Float64Array = new Float64Array(names.length).fill(Number.NaN);
  let distanceThreshold = Number.NaN;
  const clean = (rows: Float64Array[]) => rows.map((r) => r.map((v) => (Number.isFinite(v) ? v : 0)));
  if (controlRows.length >= 3 && usable.length > 0) {
    distances = mahalanobisDistances(clean(consensusRows), controlRows).distances;
    distanceThreshold = controlQuantileThreshold(
      mahalanobisDistances(controlRows, controlRows).distances,
      options.distanceQuantile ?? 0.99,
    );
  }
  const zThreshold = options.zThreshold ?? 3;
  const ranked = hitList(names, distances.some(Number.isFinite) ? distances : zByTreatment, {
    direction: distances.some(Number.isFinite) ? 'greater' : 'two-sided',
    threshold: distances.some(Number.isFinite) ? distanceThreshold : zThreshold,
  });
  const hits: ReportResult['hits'] = ranked.map((h) => {
    const k = names.indexOf(h.id);
    return {
      treatment: h.id,
      robustZ: zByTreatment[k]!,
      distance: distances[k]!,
      zHit: Math.abs(zByTreatment[k]!) >= zThreshold,
      distanceHit: distances[k]! > distanceThreshold,
      rank: h.rank,
    };
  });
  sections.push(
    `<section id="hits"><h2>Hits</h2><p class="note">Ranked by the Mahalanobis distance of each treatment's median profile (${usable.length} features, robust z per plate against negative controls) to the negative-control wells, Ledoit-Wolf-shrunk covariance; distance hit: above the ${fmt((options.distanceQuantile ?? 0.99) * 100, 0)}th percentile of the control wells' own distances (${fmt(distanceThreshold)}); readout hit: |median robust z of ${escapeXml(readout)}| ≥ ${zThreshold}.</p>` +
      table(
        ['rank', 'treatment', `robust z (${readout})`, 'Mahalanobis D', 'readout hit', 'profile hit'],
        hits.map((h) => [
          String(h.rank),
          escapeXml(h.treatment),
          fmt(h.robustZ, 2),
          fmt(h.distance, 2),
          h.zHit ? 'yes' : '',
          h.distanceHit ? 'yes' : '',
        ]),
        'hits',
      ) +
      '</section>',
  );

  // --- Similarity heatmap of treatment profiles ---
  const maxSim = options.maxSimilarity ?? 60;
  const shown = hits.slice(0, maxSim).map((h) => names.indexOf(h.treatment));
  if (shown.length >= 2 && usable.length > 0) {
    const sim = similarityMatrix(clean(shown.map((k) => consensusRows[k]!)), 'cosine');
    const labels = shown.map((k) => names[k]!);
    sections.push(
      `<section id="similarity"><h2>Profile similarity</h2>${heatmapSvg({
        title: 'cosine similarity of treatment profiles',
        rowLabels: labels,
        columnLabels: labels.map((_, k) => String(k + 1)),
        values: sim,
        scale: 'diverging',
        range: [-1, 1],
        cell: shown.length > 30 ? 10 : 18,
        tooltips: labels.flatMap((a) => labels.map((b) => `${a} vs ${b}`)),
      })}</section>`,
    );
  } else {
    sections.push(
      '<section id="similarity"><h2>Profile similarity</h2><p>Fewer than 2 treatments with profiles.</p></section>',
    );
  }

  const title = options.title ?? 'Phenoscope screening report';
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;font-size:12px;margin:8px 0}th,td{border:1px solid #ddd;padding:3px 6px;text-align:right}
th{background:#f3f3f3}td:first-child,td:nth-child(2){text-align:left}
.grid{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}figcaption{font-size:11px;max-width:300px}
.note{font-size:12px;color:#555;max-width:900px}
</style></head><body>
<h1>${escapeXml(title)}</h1>
<p class="note">${escapeXml(options.source ?? '')} ${wells.rows} wells on ${plateNames.length} plate(s); readout ${escapeXml(readout)}; ${features.length} features. Generated by Phenoscope; this file has no external resources.</p>
${sections.join('\n')}
</body></html>
`;
  return { html, qc, fits, hits };
}
