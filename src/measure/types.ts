/**
 * Per-object features are declared up front as a schema (name, type, unit), as CellProfiler's
 * `get_measurement_columns` does, and computed as columns aligned with the object numbers.
 */

export interface FeatureSpec {
  /** CellProfiler-style name, e.g. 'AreaShape_Area', 'Intensity_MeanIntensity_DNA'. */
  readonly name: string;
  readonly type: 'float' | 'integer';
  /** Unit, e.g. 'px', 'px^2', 'intensity', 'radians', '' for dimensionless. */
  readonly unit: string;
  readonly description?: string;
}

export interface FeatureColumn {
  readonly spec: FeatureSpec;
  /** One value per object, aligned with `FeatureSet.objectNumbers`; NaN where undefined. */
  readonly values: Float64Array;
}

export interface FeatureSet {
  /** Label values of the objects, ascending. */
  readonly objectNumbers: Uint32Array;
  readonly features: readonly FeatureColumn[];
}

/** Join feature sets over the same objects (same `objectNumbers`) into one. */
export function mergeFeatureSets(sets: readonly FeatureSet[]): FeatureSet {
  const first = sets[0];
  if (!first) return { objectNumbers: new Uint32Array(0), features: [] };
  for (const s of sets) {
    if (
      s.objectNumbers.length !== first.objectNumbers.length ||
      s.objectNumbers.some((v, i) => v !== first.objectNumbers[i])
    ) {
      throw new RangeError('mergeFeatureSets: feature sets cover different objects');
    }
  }
  const names = new Set<string>();
  const features = sets.flatMap((s) => s.features);
  for (const f of features) {
    if (names.has(f.spec.name))
      throw new RangeError(`mergeFeatureSets: feature '${f.spec.name}' appears twice`);
    names.add(f.spec.name);
  }
  return { objectNumbers: first.objectNumbers, features };
}

/** Throw a TypeError naming the family and option unless `value` is a non-empty string (a channel name). */
export function checkChannelName(family: string, key: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${family}: ${key} must be a non-empty string, got ${String(value)}`);
  }
}
