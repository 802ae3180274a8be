// Inline SVG charts for the self-contained HTML report: plate and matrix heatmaps with a colour bar, and
// dose-response plots with fitted curve and confidence band. No scripts, fonts or external references.

/** Escape text for HTML/SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(digits);
}

// Viridis anchor colours (matplotlib's viridis at 0, 0.25, 0.5, 0.75, 1).
const VIRIDIS: readonly [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
// Diverging blue-white-red for signed data (B-scores, similarities).
const DIVERGING: readonly [number, number, number][] = [
  [33, 102, 172],
  [247, 247, 247],
  [178, 24, 43],
];

function interpolate(stops: readonly [number, number, number][], t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  const c = [0, 1, 2].map((k) => Math.round(a[k]! + f * (b[k]! - a[k]!)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

export interface HeatmapOptions {
  title: string;
  rowLabels: readonly string[];
  columnLabels: readonly string[];
  /** Row-major values; NaN drawn grey. */
  values: ArrayLike<number>;
  /** Colour scale: sequential viridis or diverging around 0. @default 'sequential' */
  scale?: 'sequential' | 'diverging';
  /** Cell size in pixels. @default 22 */
  cell?: number;
  /** Tooltips per cell (e.g. well names). @default labels */
  tooltips?: readonly string[];
  /** Fixed colour range [min, max]; default the data range (symmetric for diverging). @default undefined */
  range?: [number, number];
}

/** A heatmap as an inline <svg> element. */
export function heatmapSvg(options: HeatmapOptions): string {
  const cell = options.cell ?? 22;
  const rows = options.rowLabels.length;
  const cols = options.columnLabels.length;
  const finite = Array.from(options.values).filter(Number.isFinite);
  let [lo, hi] = options.range ?? [Math.min(...finite), Math.max(...finite)];
  if (options.scale === 'diverging' && !options.range) {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    [lo, hi] = [-m, m];
  }
  if (!(hi > lo)) hi = lo + 1;
  const stops = options.scale === 'diverging' ? DIVERGING : VIRIDIS;
  const labelW = Math.max(24, 7 * Math.max(...options.rowLabels.map((l) => l.length)));
  const top = 40;
  const width = labelW + cols * cell + 90;
  const height = top + rows * cell + 30;
  const parts: string[] = [
    `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(options.title)}">`,
    `<text x="0" y="14" font-size="13" font-weight="bold">${escapeXml(options.title)}</text>`,
  ];
  const small = cell < 14;
  options.columnLabels.forEach((l, c) => {
    if (small && c % 4 !== 0) return;
    parts.push(
      `<text x="${labelW + c * cell + cell / 2}" y="${top - 6}" font-size="9" text-anchor="middle">${escapeXml(l)}</text>`,
    );
  });
  options.rowLabels.forEach((l, r) => {
    if (small && r % 4 !== 0) return;
    parts.push(
      `<text x="${labelW - 4}" y="${top + r * cell + cell / 2 + 3}" font-size="9" text-anchor="end">${escapeXml(l)}</text>`,
    );
  });
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = options.values[r * cols + c]!;
      const fill = Number.isFinite(v) ? interpolate(stops, (v - lo) / (hi - lo)) : '#ddd';
      const tip = options.tooltips?.[r * cols + c] ?? `${options.rowLabels[r]}${options.columnLabels[c]}`;
      parts.push(
        `<rect x="${labelW + c * cell}" y="${top + r * cell}" width="${cell - 1}" height="${cell - 1}" fill="${fill}"><title>${escapeXml(`${tip}: ${fmt(v)}`)}</title></rect>`,
      );
    }
  }
  // Colour bar.
  const barX = labelW + cols * cell + 16;
  const barH = rows * cell;
  for (let k = 0; k < 20; k++) {
    parts.push(
      `<rect x="${barX}" y="${top + (barH * (19 - k)) / 20}" width="12" height="${barH / 20 + 0.5}" fill="${interpolate(stops, k / 19)}"/>`,
    );
  }
  parts.push(`<text x="${barX + 16}" y="${top + 8}" font-size="9">${fmt(hi)}</text>`);
  parts.push(`<text x="${barX + 16}" y="${top + barH}" font-size="9">${fmt(lo)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

export interface CurvePlotOptions {
  title: string;
  /** Observed points (log10 concentration, response); gated points drawn as crosses. */
  points: readonly [number, number][];
  gated?: readonly [number, number][];
  /** Fitted curve and band samples: [logx, y, lower, upper]. */
  curve?: readonly [number, number, number, number][];
  /** Vertical marker (log IC50). */
  marker?: number;
  xLabel?: string;
  yLabel?: string;
}

/** A dose-response plot (log10 concentration axis) as an inline <svg>. */
export function curvePlotSvg(options: CurvePlotOptions): string {
  const w = 300;
  const h = 210;
  const m = { l: 48, r: 10, t: 22, b: 34 };
  const xs = [...options.points.map((p) => p[0]), ...(options.gated ?? []).map((p) => p[0])];
  const ys = [
    ...options.points.map((p) => p[1]),
    ...(options.gated ?? []).map((p) => p[1]),
    ...(options.curve ?? []).map((c) => c[1]).filter(Number.isFinite),
  ];
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  if (!(x1 > x0)) [x0, x1] = [x0 - 1, x0 + 1];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (!(y1 > y0)) [y0, y1] = [y0 - 1, y0 + 1];
  // the confidence band widens the axis by at most half the data span each way (an unidentifiable fit's band
  // is unbounded; it is drawn clipped instead of flattening the data)
  const bandValues = (options.curve ?? []).flatMap((c) => [c[2], c[3]]).filter(Number.isFinite);
  if (bandValues.length) {
    const span = y1 - y0;
    y0 = Math.max(Math.min(y0, ...bandValues), y0 - span / 2);
    y1 = Math.min(Math.max(y1, ...bandValues), y1 + span / 2);
  }
  const pad = 0.05 * (y1 - y0);
  y0 -= pad;
  y1 += pad;
  const X = (v: number) => m.l + ((v - x0) / (x1 - x0)) * (w - m.l - m.r);
  const Y = (v: number) => h - m.b - ((Math.min(Math.max(v, y0), y1) - y0) / (y1 - y0)) * (h - m.t - m.b);
  const parts = [
    `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeXml(options.title)}">`,
    `<text x="${m.l}" y="14" font-size="12" font-weight="bold">${escapeXml(options.title)}</text>`,
    `<line x1="${m.l}" y1="${h - m.b}" x2="${w - m.r}" y2="${h - m.b}" stroke="#333"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${h - m.b}" stroke="#333"/>`,
  ];
  for (let k = Math.ceil(x0); k <= Math.floor(x1); k++) {
    parts.push(`<line x1="${X(k)}" y1="${h - m.b}" x2="${X(k)}" y2="${h - m.b + 4}" stroke="#333"/>`);
    parts.push(`<text x="${X(k)}" y="${h - m.b + 14}" font-size="9" text-anchor="middle">${k}</text>`);
  }
  for (let k = 0; k <= 4; k++) {
    const v = y0 + ((y1 - y0) * k) / 4;
    parts.push(`<text x="${m.l - 4}" y="${Y(v) + 3}" font-size="9" text-anchor="end">${fmt(v, 2)}</text>`);
  }
  parts.push(
    `<text x="${(m.l + w - m.r) / 2}" y="${h - 4}" font-size="10" text-anchor="middle">${escapeXml(options.xLabel ?? 'log10 concentration')}</text>`,
  );
  const curve = options.curve ?? [];
  const band = curve.filter((c) => Number.isFinite(c[2]) && Number.isFinite(c[3]));
  if (band.length > 1) {
    const upper = band.map((c) => `${X(c[0]).toFixed(1)},${Y(c[3]).toFixed(1)}`);
    const lower = band.map((c) => `${X(c[0]).toFixed(1)},${Y(c[2]).toFixed(1)}`).reverse();
    parts.push(
      `<polygon class="ci-band" points="${[...upper, ...lower].join(' ')}" fill="#9ecae1" fill-opacity="0.5"/>`,
    );
  }
  if (curve.length > 1) {
    parts.push(
      `<polyline class="fit" points="${curve.map((c) => `${X(c[0]).toFixed(1)},${Y(c[1]).toFixed(1)}`).join(' ')}" fill="none" stroke="#08519c" stroke-width="2"/>`,
    );
  }
  if (
    options.marker !== undefined &&
    Number.isFinite(options.marker) &&
    options.marker >= x0 &&
    options.marker <= x1
  ) {
    parts.push(
      `<line x1="${X(options.marker)}" y1="${m.t}" x2="${X(options.marker)}" y2="${h - m.b}" stroke="#e6550d" stroke-dasharray="4 3"/>`,
    );
  }
  for (const [x, y] of options.points) {
    parts.push(`<circle cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="3" fill="#252525"/>`);
  }
  for (const [x, y] of options.gated ?? []) {
    const cx = X(x);
    const cy = Y(y);
    parts.push(
      `<path d="M${cx - 3},${cy - 3}L${cx + 3},${cy + 3}M${cx - 3},${cy + 3}L${cx + 3},${cy - 3}" stroke="#e6550d"/>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
