// Ground-truth label images of the simulated field: each pixel centre inside a nucleus outline belongs to that
// nucleus (the one whose normalised radius is smallest where outlines overlap); cells are Voronoi regions of the
// nucleus centres limited to each cell's star-shaped outline, always containing their own nucleus (as
// CellProfiler's IdentifySecondaryObjects assumes). Each label is then made 4-connected by keeping the part
// reachable from its seed. Hand-written rasterisation: the outlines are our own model (placement.ts).
import { harmonicFactorCS, type SimNucleus } from './placement.ts';

export interface FieldLabels {
  /** Nuclei: 0 background, k = nucleus k (1-based index into the nuclei array). */
  readonly nuclei: Uint32Array;
  /** Cells: same numbering as the nuclei. */
  readonly cells: Uint32Array;
  /** Normalised radius (0 at the centre, 1 on the outline) of the nucleus at each nuclear pixel. */
  readonly nucleusRho: Float32Array;
  /** Normalised radius of the cell outline at each cell pixel. */
  readonly cellRho: Float32Array;
}

/** Rasterise nuclei and cells of a W x H field. */
export function rasterizeLabels(nuclei: readonly SimNucleus[], width: number, height: number): FieldLabels {
  const n = width * height;
  const nucleiLabels = new Uint32Array(n);
  const nucleusRho = new Float32Array(n).fill(Number.POSITIVE_INFINITY);
  nuclei.forEach((nu, index) => {
    const label = index + 1;
    const r = nu.a * (1 + nu.harmonics.reduce((s, h) => s + h.amp, 0)) + 1;
    const cos = Math.cos(nu.angle);
    const sin = Math.sin(nu.angle);
    const x0 = Math.max(0, Math.floor(nu.cx - r));
    const x1 = Math.min(width - 1, Math.ceil(nu.cx + r));
    const y0 = Math.max(0, Math.floor(nu.cy - r));
    const y1 = Math.min(height - 1, Math.ceil(nu.cy + r));
    for (let y = y0; y <= y1; y++) {
      const dy = y - nu.cy;
      for (let x = x0; x <= x1; x++) {
        const dx = x - nu.cx;
        const u = (dx * cos + dy * sin) / nu.a;
        const v = (-dx * sin + dy * cos) / nu.b;
        const rho0 = Math.sqrt(u * u + v * v);
        if (rho0 > 1.3) continue;
        const rho = rho0 === 0 ? 0 : rho0 / harmonicFactorCS(nu.harmonics, u / rho0, v / rho0);
        const p = y * width + x;
        if (rho < 1 && rho < nucleusRho[p]!) {
          nucleusRho[p] = rho;
          nucleiLabels[p] = label;
        }
      }
    }
  });
  keepConnected(
    nucleiLabels,
    width,
    nuclei.map((nu) => [clampIndex(nu, width, height)]),
  );

  const cells = new Uint32Array(n);
  const cellRho = new Float32Array(n);
  const best = new Float32Array(n).fill(Number.POSITIVE_INFINITY);
  nuclei.forEach((nu, index) => {
    const label = index + 1;
    const r = nu.cellRadius * (1 + nu.cellHarmonics.reduce((s, h) => s + h.amp, 0)) + 1;
    const r2 = r * r;
    const x0 = Math.max(0, Math.floor(nu.cx - r));
    const x1 = Math.min(width - 1, Math.ceil(nu.cx + r));
    const y0 = Math.max(0, Math.floor(nu.cy - r));
    const y1 = Math.min(height - 1, Math.ceil(nu.cy + r));
    for (let y = y0; y <= y1; y++) {
      const dy = y - nu.cy;
      for (let x = x0; x <= x1; x++) {
        const dx = x - nu.cx;
        const d2 = dx * dx + dy * dy;
        const p = y * width + x;
        if (d2 >= r2 || d2 >= best[p]!) continue;
        const d = Math.sqrt(d2);
        const outline =
          d === 0 ? nu.cellRadius : nu.cellRadius * harmonicFactorCS(nu.cellHarmonics, dx / d, dy / d);
        if (d2 >= outline * outline) continue;
        best[p] = d2;
        cells[p] = label;
        cellRho[p] = d / outline;
      }
    }
  });
  // a cell always contains its nucleus
  const seeds: number[][] = nuclei.map(() => []);
  for (let p = 0; p < n; p++) {
    const k = nucleiLabels[p]!;
    if (k === 0) continue;
    if (cells[p] !== k) {
      cells[p] = k;
      cellRho[p] = 0.3;
    }
    seeds[k - 1]!.push(p);
  }
  keepConnected(cells, width, seeds);
  return { nuclei: nucleiLabels, cells, nucleusRho, cellRho };
}

function clampIndex(nu: SimNucleus, width: number, height: number): number {
  const x = Math.min(width - 1, Math.max(0, Math.round(nu.cx)));
  const y = Math.min(height - 1, Math.max(0, Math.round(nu.cy)));
  return y * width + x;
}

/**
 * Keep, for every label k, only the pixels 4-connected to one of `seeds[k - 1]` (pixel indices carrying label
 * k); every other pixel of that label becomes 0.
 */
export function keepConnected(
  labels: Uint32Array,
  width: number,
  seeds: readonly (readonly number[])[],
): void {
  const visited = new Uint8Array(labels.length);
  const queue = new Int32Array(labels.length);
  seeds.forEach((list, index) => {
    const k = index + 1;
    let head = 0;
    let tail = 0;
    for (const p of list) {
      if (labels[p] === k && !visited[p]) {
        visited[p] = 1;
        queue[tail++] = p;
      }
    }
    while (head < tail) {
      const p = queue[head++]!;
      const x = p % width;
      for (let dir = 0; dir < 4; dir++) {
        let q: number;
        if (dir === 0) {
          if (x === 0) continue;
          q = p - 1;
        } else if (dir === 1) {
          if (x === width - 1) continue;
          q = p + 1;
        } else if (dir === 2) {
          if (p < width) continue;
          q = p - width;
        } else {
          if (p >= labels.length - width) continue;
          q = p + width;
        }
        if (!visited[q] && labels[q] === k) {
          visited[q] = 1;
          queue[tail++] = q;
        }
      }
    }
  });
  for (let p = 0; p < labels.length; p++) if (labels[p] !== 0 && !visited[p]) labels[p] = 0;
}
