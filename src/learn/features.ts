// Columnar Float32 feature matrices: what the learners take. Finite values are required; `checkFinite` names the
// first offending column and row.

/** Named Float32 feature columns of equal length. */
export interface FeatureMatrix {
  names: readonly string[];
  columns: readonly Float32Array[];
}

export function featureRows(features: FeatureMatrix): number {
  return features.columns[0]?.length ?? 0;
}

/** Build a matrix from named numeric columns (converted to Float32). */
export function featureMatrix(columns: Record<string, ArrayLike<number>>): FeatureMatrix {
  const names = Object.keys(columns);
  return { names, columns: names.map((n) => Float32Array.from(columns[n]!)) };
}

/** Throws a RangeError naming the column, row and value of the first NaN or infinite feature value. */
export function checkFinite(features: FeatureMatrix, what = 'features'): void {
  const rows = featureRows(features);
  features.columns.forEach((column, f) => {
    if (column.length !== rows) {
      throw new RangeError(
        `${what}: column '${features.names[f]}' has ${column.length} rows, expected ${rows}`,
      );
    }
    for (let i = 0; i < column.length; i++) {
      if (!Number.isFinite(column[i]!)) {
        let count = 0;
        for (let j = i; j < column.length; j++) if (!Number.isFinite(column[j]!)) count++;
        throw new RangeError(
          `${what}: column '${features.names[f]}' has ${count} non-finite value(s), first at row ${i} (${column[i]}); ` +
            'drop or impute them first',
        );
      }
    }
  });
}

/** Rows selected by index. */
export function selectFeatureRows(features: FeatureMatrix, indices: ArrayLike<number>): FeatureMatrix {
  return {
    names: features.names,
    columns: features.columns.map((c) => {
      const out = new Float32Array(indices.length);
      for (let i = 0; i < indices.length; i++) out[i] = c[indices[i]!]!;
      return out;
    }),
  };
}
