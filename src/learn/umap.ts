// UMAP embedding (McInnes, Healy & Melville 2018, arXiv:1802.03426) through `umap-js` (the PAIR-code port),
// seeded with our generator so that the same seed gives the same embedding.
import { UMAP } from 'umap-js';
import { checkMatrix, type Matrix } from './matrix.ts';
import { createRng } from './random.ts';

export interface UmapOptions {
  /** Output dimensions. @default 2 */
  components?: number;
  /** Neighbours of the fuzzy graph (clamped to rows - 1). @default 15 */
  neighbors?: number;
  /** Minimum distance between embedded points. @default 0.1 */
  minDist?: number;
  /** Optimisation epochs. @default umap-js's choice (500 for < 10,000 rows, else 200) */
  epochs?: number;
  /** Seed. @default 0 */
  seed?: number;
}

/** Embed the rows of `m`; returns rows x components row-major. */
export function umap(m: Matrix, options: UmapOptions = {}): Float64Array {
  checkMatrix(m, 'umap');
  const { components = 2, neighbors = 15, minDist = 0.1, seed = 0 } = options;
  if (m.rows < 3) throw new RangeError(`umap: need at least 3 rows, got ${m.rows}`);
  const rng = createRng(seed);
  const model = new UMAP({
    nComponents: components,
    nNeighbors: Math.min(neighbors, m.rows - 1),
    minDist,
    random: () => rng.nextFloat(),
    ...(options.epochs === undefined ? {} : { nEpochs: options.epochs }),
  });
  const rows = Array.from({ length: m.rows }, (_, i) =>
    Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)),
  );
  const embedding = model.fit(rows);
  const out = new Float64Array(m.rows * components);
  embedding.forEach((row, i) => {
    row.forEach((v, c) => {
      out[i * components + c] = v;
    });
  });
  return out;
}
