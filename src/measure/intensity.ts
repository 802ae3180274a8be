// CellProfiler's MeasureObjectIntensity (CellProfiler/CellProfiler cellprofiler_library/modules/
// _measureobjectintensity.py and functions/measurement.py): sums, moments, CellProfiler's quartile
// interpolation, MAD, edge pixels (skimage find_boundaries mode="inner"), centre of mass and maximum location.
import type { Image, LabelImage } from '../image/image.ts';
import { indexObjects, type ObjectIndex } from './objects.ts';
import type { FeatureColumn, FeatureSet, FeatureSpec } from './types.ts';

export interface IntensityOptions {
  /** Channel name used in the column names, e.g. 'DNA' gives `Intensity_MeanIntensity_DNA`. */
  channelName: string;
}

/** Intensity features in CellProfiler's column order (alphabetical), without the channel suffix. */
const INTENSITY: readonly (readonly [string, string])[] = [
  ['IntegratedIntensityEdge', 'sum of intensities on the object edge'],
  ['IntegratedIntensity', 'sum of intensities'],
  ['LowerQuartileIntensity', '25th percentile (CellProfiler interpolation)'],
  ['MADIntensity', 'median absolute deviation from the median'],
  ['MassDisplacement', 'distance between the centroid and the intensity-weighted centroid'],
  ['MaxIntensityEdge', 'maximum intensity on the edge'],
  ['MaxIntensity', 'maximum intensity'],
  ['MeanIntensityEdge', 'mean intensity on the edge'],
  ['MeanIntensity', 'mean intensity'],
  ['MedianIntensity', 'median (CellProfiler interpolation)'],
  ['MinIntensityEdge', 'minimum intensity on the edge'],
  ['MinIntensity', 'minimum intensity'],
  ['StdIntensityEdge', 'population standard deviation on the edge'],
  ['StdIntensity', 'population standard deviation'],
  ['UpperQuartileIntensity', '75th percentile (CellProfiler interpolation)'],
];

const LOCATION: readonly (readonly [string, string])[] = [
  ['CenterMassIntensity_X', 'intensity-weighted centroid x'],
  ['CenterMassIntensity_Y', 'intensity-weighted centroid y'],
  ['CenterMassIntensity_Z', 'intensity-weighted centroid z (0 in 2-D)'],
  ['MaxIntensity_X', 'x of the brightest pixel'],
  ['MaxIntensity_Y', 'y of the brightest pixel'],
  ['MaxIntensity_Z', 'z of the brightest pixel (0 in 2-D)'],
];

function checkChannel(options: IntensityOptions): string {
  const name = options?.channelName;
  if (typeof name !== 'string' || name.length === 0 || /[\s,]/.test(name)) {
    throw new TypeError(
      `intensity: channelName must be a non-empty name without spaces or commas, got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

/** The 15 Intensity and 6 Location columns for one channel, declared before measuring. */
export function intensitySchema(options: IntensityOptions): FeatureSpec[] {
  const c = checkChannel(options);
  return [
    ...INTENSITY.map(([name, description]) => ({
      name: `Intensity_${name}_${c}`,
      type: 'float' as const,
      unit: name === 'MassDisplacement' ? 'px' : 'intensity',
      description,
    })),
    ...LOCATION.map(([name, description]) => ({
      name: `Location_${name}_${c}`,
      type: 'float' as const,
      unit: 'px',
      description,
    })),
  ];
}

/**
 * CellProfiler's quantile of sorted values `v[0..n)`: index n * fraction, linear between that element and the
 * next (the last element when there is no next). Not numpy's percentile: the median of 4 values is v[2].
 */
export function cellProfilerQuantile(sorted: ArrayLike<number>, n: number, fraction: number): number {
  if (n === 0) return 0;
  const q = n * fraction;
  const qi = Math.floor(q);
  const qf = q - qi;
  if (qi < n - 1) return sorted[qi]! * (1 - qf) + sorted[qi + 1]! * qf;
  return sorted[qi]!;
}

/**
 * Intensity statistics of every object of `labels` on `image` (one channel, intensities already scaled as
 * CellProfiler scales them: integer value / (2^bits - 1), see `toFloat32`). Non-finite pixels are skipped.
 */
export function measureIntensity(
  labels: LabelImage,
  image: Image,
  options: IntensityOptions,
  index: ObjectIndex = indexObjects(labels),
): FeatureSet {
  const channel = checkChannel(options);
  if (image.channels !== 1) {
    throw new RangeError(`measureIntensity: image '${channel}' must have 1 channel, got ${image.channels}`);
  }
  if (image.width !== labels.width || image.height !== labels.height) {
    throw new RangeError(
      `measureIntensity: image '${channel}' is ${image.width}x${image.height} but the labels are ${labels.width}x${labels.height}`,
    );
  }
  if (index.width !== labels.width || index.height !== labels.height) {
    throw new RangeError('measureIntensity: the object index was built for a different label image');
  }
  const specs = intensitySchema({ channelName: channel });
  const count = index.count;
  const columns = specs.map(() => new Float64Array(count));
  const [
    integratedEdge,
    integrated,
    lowerQuartile,
    mad,
    massDisplacement,
    maxEdge,
    max,
    meanEdge,
    mean,
    median,
    minEdge,
    min,
    stdEdge,
    std,
    upperQuartile,
    cmiX,
    cmiY,
    cmiZ,
    maxX,
    maxY,
    maxZ,
  ] = columns;
  const { width, height } = labels;
  const lab = labels.data;
  const src = image.data;
  let scratch = new Float64Array(256);
  let edgeScratch = new Float64Array(256);
  for (let k = 0; k < count; k++) {
    const start = index.offsets[k]!;
    const end = index.offsets[k + 1]!;
    if (scratch.length < end - start) {
      scratch = new Float64Array(end - start);
      edgeScratch = new Float64Array(end - start);
    }
    const label = index.labels[k]!;
    let n = 0;
    let sum = 0;
    let sx = 0;
    let sy = 0;
    let six = 0;
    let siy = 0;
    let vmax = Number.NEGATIVE_INFINITY;
    let vmin = Number.POSITIVE_INFINITY;
    let px = 0;
    let py = 0;
    let ne = 0;
    let esum = 0;
    let emax = Number.NEGATIVE_INFINITY;
    let emin = Number.POSITIVE_INFINITY;
    for (let q = start; q < end; q++) {
      const p = index.pixels[q]!;
      const v = src[p]!;
      if (!Number.isFinite(v)) continue;
      const y = Math.floor(p / width);
      const x = p - y * width;
      scratch[n++] = v;
      sum += v;
      sx += x;
      sy += y;
      six += x * v;
      siy += y * v;
      if (v < vmin) vmin = v;
      // scipy's maximum_position reports the first of tied maxima in raster order.
      if (v > vmax) {
        vmax = v;
        px = x;
        py = y;
      }
      const isEdge =
        (x > 0 && lab[p - 1] !== label) ||
        (x < width - 1 && lab[p + 1] !== label) ||
        (y > 0 && lab[p - width] !== label) ||
        (y < height - 1 && lab[p + width] !== label);
      if (isEdge) {
        edgeScratch[ne++] = v;
        esum += v;
        if (v > emax) emax = v;
        if (v < emin) emin = v;
      }
    }
    if (n === 0) {
      for (const c of columns) c[k] = Number.NaN;
      continue;
    }
    const m = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (scratch[i]! - m) ** 2;
    integrated![k] = sum;
    mean![k] = m;
    std![k] = Math.sqrt(ss / n);
    min![k] = vmin;
    max![k] = vmax;
    maxX![k] = px;
    maxY![k] = py;
    maxZ![k] = 0;
    const cx = sx / n;
    const cy = sy / n;
    cmiX![k] = six / sum;
    cmiY![k] = siy / sum;
    cmiZ![k] = 0;
    massDisplacement![k] = Math.sqrt((cx - six / sum) ** 2 + (cy - siy / sum) ** 2);
    const sorted = scratch.subarray(0, n).sort();
    lowerQuartile![k] = cellProfilerQuantile(sorted, n, 0.25);
    const med = cellProfilerQuantile(sorted, n, 0.5);
    median![k] = med;
    upperQuartile![k] = cellProfilerQuantile(sorted, n, 0.75);
    for (let i = 0; i < n; i++) sorted[i] = Math.abs(sorted[i]! - med);
    mad![k] = cellProfilerQuantile(sorted.sort(), n, 0.5);
    if (ne > 0) {
      const em = esum / ne;
      let es = 0;
      for (let i = 0; i < ne; i++) es += (edgeScratch[i]! - em) ** 2;
      integratedEdge![k] = esum;
      meanEdge![k] = em;
      stdEdge![k] = Math.sqrt(es / ne);
      maxEdge![k] = emax;
      minEdge![k] = emin;
    }
  }
  const features: FeatureColumn[] = specs.map((spec, i) => ({ spec, values: columns[i]! }));
  return { objectNumbers: index.labels, features };
}
