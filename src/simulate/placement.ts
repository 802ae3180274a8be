// Where the simulated nuclei are and what shape they have: Poisson-distributed counts, random sequential
// adsorption (dart throwing with a minimum distance) for isolated nuclei, deliberately touching neighbours,
// pairs of daughter nuclei after division, and small round mitotic nuclei. Shapes are ellipses with low-order
// harmonic boundary perturbations (the star-shaped model of SimuCell, Rajaram et al. 2012, Nat Methods 9:634,
// and of Lehmussola et al. 2007, IEEE TMI 26:1010). Hand-written: no library models cell populations.
import type { Rng } from './prng.ts';

export type NucleusKind = 'interphase' | 'mitotic' | 'dividing';

/** One harmonic of a star-shaped outline: r(phi) = r0 * (1 + sum amp * cos(k * phi + phase)). */
export interface Harmonic {
  readonly k: number;
  readonly amp: number;
  readonly phase: number;
  /** amp * cos(phase) and amp * sin(phase), precomputed for per-pixel use. */
  readonly ac: number;
  readonly as: number;
}

export interface SimNucleus {
  /** Centre in pixel coordinates (pixel (x, y) has its centre at (x, y)). */
  readonly cx: number;
  readonly cy: number;
  /** Semi-axes (a >= b) of the underlying ellipse, in pixels. */
  readonly a: number;
  readonly b: number;
  /** Orientation of the major axis, radians. */
  readonly angle: number;
  readonly harmonics: readonly Harmonic[];
  readonly kind: NucleusKind;
  /** True for G2 (doubled DNA) interphase nuclei: larger and brighter. */
  readonly g2: boolean;
  /** Area of the continuous outline, pixels. */
  readonly area: number;
  /** Mean radius of the cell body around this nucleus, pixels. */
  readonly cellRadius: number;
  readonly cellHarmonics: readonly Harmonic[];
  /** Placed touching another nucleus. */
  readonly touching: boolean;
}

export interface PlacementOptions {
  width: number;
  height: number;
  /** Expected number of nuclei (cells) in the field; the actual number is Poisson-distributed around it. */
  cellCount: number;
  /** Expected mean area of whole nuclei, pixels. */
  nuclearArea: number;
  /** Fraction of placement events that are single mitotic nuclei (small, round). @default 0.04 */
  mitoticFraction?: number;
  /** Fraction of placement events that are pairs of daughter nuclei. @default 0.03 */
  dividingFraction?: number;
  /** Probability that a new interphase nucleus is placed touching an existing one. @default 0.15 */
  touchingFraction?: number;
  /** Log-normal sigma of nuclear area. @default 0.25 */
  areaSpread?: number;
}

const G2_FRACTION = 0.25;
const G2_AREA = 1.25;
const MITOTIC_AREA = 0.6;
const DAUGHTER_AREA = 0.5;

function harmonics(rng: Rng, amp: number, ks: readonly number[]): Harmonic[] {
  return ks.map((k) => {
    const a = amp * rng.range(0.3, 1);
    const phase = rng.range(0, 2 * Math.PI);
    return { k, amp: a, phase, ac: a * Math.cos(phase), as: a * Math.sin(phase) };
  });
}

/** Area factor of a star-shaped outline: mean of (1 + sum amp cos)^2 over angle = 1 + sum amp^2 / 2. */
function harmonicAreaFactor(hs: readonly Harmonic[]): number {
  return 1 + hs.reduce((s, h) => s + (h.amp * h.amp) / 2, 0);
}

/** Outline radius factor at angle phi. */
export function harmonicFactor(hs: readonly Harmonic[], phi: number): number {
  let f = 1;
  for (const h of hs) f += h.amp * Math.cos(h.k * phi + h.phase);
  return f;
}

/**
 * Outline radius factor at the angle whose cosine and sine are `c` and `s`: cos(k phi + phase) expanded with
 * cos(k phi), sin(k phi) from the Chebyshev recurrence, avoiding atan2 and cos per pixel.
 */
export function harmonicFactorCS(hs: readonly Harmonic[], c: number, s: number): number {
  let f = 1;
  for (const h of hs) {
    // cos(k phi) and sin(k phi) by repeated rotation (k <= 5)
    let ck = c;
    let sk = s;
    for (let j = 1; j < h.k; j++) {
      const t = ck * c - sk * s;
      sk = sk * c + ck * s;
      ck = t;
    }
    f += ck * h.ac - sk * h.as;
  }
  return f;
}

/** Largest outline radius of a nucleus (bounding radius). */
export function boundingRadius(n: Pick<SimNucleus, 'a' | 'harmonics'>): number {
  return n.a * (1 + n.harmonics.reduce((s, h) => s + h.amp, 0));
}

/** Outline radius of a nucleus towards the direction `theta` (image angle). */
export function radiusToward(n: SimNucleus, theta: number): number {
  const t = theta - n.angle;
  const u = Math.cos(t) / n.a;
  const v = Math.sin(t) / n.b;
  const phi = Math.atan2(v, u);
  return harmonicFactor(n.harmonics, phi) / Math.sqrt(u * u + v * v);
}

/**
 * Place nuclei in a field. The number of placement events is Poisson with mean cellCount / (1 + dividing
 * fraction), so the expected number of nuclei is `cellCount`; nuclear areas are scaled so their expected mean
 * is `nuclearArea`. Events that find no free space after 40 tries are dropped (dense fields hold fewer cells).
 */
export function placeNuclei(options: PlacementOptions, rng: Rng): SimNucleus[] {
  const { width, height } = options;
  const pm = options.mitoticFraction ?? 0.04;
  const pd = options.dividingFraction ?? 0.03;
  const pt = options.touchingFraction ?? 0.15;
  const sigma = options.areaSpread ?? 0.25;
  const pi = 1 - pm - pd;
  const nucleiPerEvent = 1 + pd;
  // scale so that E[area of a nucleus] = nuclearArea
  const areaPerEvent =
    pi * (1 - G2_FRACTION + G2_FRACTION * G2_AREA) + pm * MITOTIC_AREA + pd * 2 * DAUGHTER_AREA;
  const scale = (options.nuclearArea * nucleiPerEvent) / areaPerEvent;
  const events = rng.poisson(options.cellCount / nucleiPerEvent);
  const placed: SimNucleus[] = [];
  const shape = (
    kind: NucleusKind,
    factor: number,
    g2: boolean,
    cx: number,
    cy: number,
    touching: boolean,
  ) => {
    const area = scale * factor * rng.lognormal((-sigma * sigma) / 2, sigma);
    const aspect = kind === 'interphase' ? 1 + Math.abs(rng.normal()) * 0.3 : 1 + rng.uniform() * 0.08;
    const hs = harmonics(rng, kind === 'interphase' ? 0.05 : 0.02, [2, 3, 4]);
    const r0 = Math.sqrt(area / (Math.PI * harmonicAreaFactor(hs)));
    const cellScale = kind === 'interphase' ? rng.range(2, 2.8) : kind === 'mitotic' ? 1.5 : 1.7;
    return {
      cx,
      cy,
      a: r0 * Math.sqrt(aspect),
      b: r0 / Math.sqrt(aspect),
      angle: rng.range(0, Math.PI),
      harmonics: hs,
      kind,
      g2,
      area,
      cellRadius: Math.sqrt(area / Math.PI) * cellScale,
      cellHarmonics: harmonics(rng, kind === 'interphase' ? 0.1 : 0.04, [2, 3, 4]),
      touching,
    } satisfies SimNucleus;
  };
  // bounding radii of the placed nuclei, kept beside them (the overlap test runs for every pair and attempt)
  const radii: number[] = [];
  const place = (...ns: SimNucleus[]) => {
    for (const n of ns) {
      placed.push(n);
      radii.push(boundingRadius(n));
    }
  };
  const free = (n: SimNucleus, ignore: SimNucleus | undefined, gap: number) => {
    const rn = boundingRadius(n);
    for (let i = 0; i < placed.length; i++) {
      const m = placed[i]!;
      if (m === ignore) continue;
      const dx = m.cx - n.cx;
      const dy = m.cy - n.cy;
      const limit = (rn + radii[i]!) * gap;
      const d2 = dx * dx + dy * dy;
      const l2 = limit * limit;
      // squared distances decide all but near-ties, which Math.hypot (slow in V8) settles as before
      if (d2 > l2 * (1 + 1e-9)) continue;
      if (d2 < l2 * (1 - 1e-9) || Math.hypot(dx, dy) < limit) return false;
    }
    return true;
  };
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x <= width - 1 && y <= height - 1;
  // Shapes are drawn once per event and only their positions are retried, so crowding drops events without
  // favouring small nuclei (which would bias the mean area below the planted value).
  for (let e = 0; e < events; e++) {
    const u = rng.uniform();
    const kind: NucleusKind = u < pm ? 'mitotic' : u < pm + pd ? 'dividing' : 'interphase';
    if (kind === 'dividing') {
      const first = shape('dividing', DAUGHTER_AREA, false, 0, 0, false);
      const second = shape('dividing', DAUGHTER_AREA, false, 0, 0, false);
      const dist = (boundingRadius(first) + boundingRadius(second)) * 1.3;
      for (let attempt = 0; attempt < 40; attempt++) {
        const x = rng.range(0, width - 1);
        const y = rng.range(0, height - 1);
        const theta = rng.range(0, 2 * Math.PI);
        const a = { ...first, cx: x, cy: y };
        const b = { ...second, cx: x + dist * Math.cos(theta), cy: y + dist * Math.sin(theta) };
        if (!inside(b.cx, b.cy) || !free(a, undefined, 1.1) || !free(b, undefined, 1.1)) continue;
        place(a, b);
        break;
      }
      continue;
    }
    const g2 = kind === 'interphase' && rng.uniform() < G2_FRACTION;
    const factor = kind === 'mitotic' ? MITOTIC_AREA : g2 ? G2_AREA : 1;
    const touching = kind === 'interphase' && placed.length > 0 && rng.uniform() < pt;
    const probe = shape(kind, factor, g2, 0, 0, touching);
    for (let attempt = 0; attempt < 40; attempt++) {
      const target = touching ? placed[rng.int(placed.length)] : undefined;
      if (target && target.kind === 'interphase') {
        const theta = rng.range(0, 2 * Math.PI);
        // centre distance so that the outlines meet along the line of centres, overlapping by ~5%
        const d = (radiusToward(target, theta) + radiusToward(probe, theta + Math.PI)) * 0.95;
        const n = { ...probe, cx: target.cx + d * Math.cos(theta), cy: target.cy + d * Math.sin(theta) };
        if (!inside(n.cx, n.cy) || !free(n, target, 1.1)) continue;
        place(n);
        break;
      }
      const n = { ...probe, cx: rng.range(0, width - 1), cy: rng.range(0, height - 1), touching: false };
      if (!free(n, undefined, 1.15)) continue;
      place(n);
      break;
    }
  }
  return placed;
}
