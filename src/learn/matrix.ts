// Dense row-major float64 matrices: the input of the unsupervised learners (k-means, hierarchical, PCA, UMAP).
import type { FeatureMatrix } from './features.ts';

export interface Matrix {
  /** Row-major values, `data[i * cols + j]`. */
  data: Float64Array;
  rows: number;
  cols: number;
}

/** Rows of a feature matrix as a row-major float64 matrix. */
export function matrixFromFeatures(features: FeatureMatrix): Matrix {
  const rows = features.columns[0]?.length ?? 0;
  const cols = features.columns.length;
  const data = new Float64Array(rows * cols);
  features.columns.forEach((column, j) => {
    for (let i = 0; i < rows; i++) data[i * cols + j] = column[i]!;
  });
  return { data, rows, cols };
}

/** Throws a RangeError naming the first non-finite value (clustering and embeddings need finite input). */
export function checkMatrix(m: Matrix, what: string): void {
  if (m.data.length !== m.rows * m.cols)
    throw new RangeError(`${what}: ${m.data.length} values for ${m.rows} x ${m.cols}`);
  for (let i = 0; i < m.data.length; i++) {
    if (!Number.isFinite(m.data[i]!)) {
      throw new RangeError(
        `${what}: non-finite value ${m.data[i]} at row ${Math.floor(i / m.cols)}, column ${i % m.cols}`,
      );
    }
  }
}
