// CellProfiler's MeasureObjectSizeShape for 2-D objects (CellProfiler/CellProfiler
// src/frontend/cellprofiler/modules/measureobjectsizeshape.py: skimage.measure.regionprops 0.19 properties,
// centrosome feret_diameter and zernike, radii from scipy's distance_transform_edt), one pass per object.

import type { LabelImage } from '../image/image.ts';
import { fromData } from '../image/image.ts';
import { distanceTransform } from '../segment/distanceTransform.ts';
import { convexImageArea, pixelHull } from './convexHull.ts';
import { feretDiameters } from './feret.ts';
import { indexObjects, type ObjectIndex } from './objects.ts';
import type { FeatureColumn, FeatureSet, FeatureSpec } from './types.ts';
import { minimumEnclosingCircle, zernikeIndexes, zernikeMoments, zernikeTable } from './zernike.ts';

export interface AreaShapeOptions {
  /** Compute the Zernike moments (`AreaShape_Zernike_n_m`), as CellProfiler's "Calculate the Zernike features?". @default true */
  zernike?: boolean;
  /** Highest Zernike order n (CellProfiler uses 9: 30 features). @default 9 */
  zernikeOrder?: number;
}

const BASIC: readonly (readonly [string, FeatureSpec['type'], string, string])[] = [
  ['Area', 'integer', 'px^2', 'number of pixels in the object'],
  ['BoundingBoxArea', 'integer', 'px^2', 'area of the bounding box'],
  ['BoundingBoxMaximum_X', 'integer', 'px', 'bounding box right edge (exclusive)'],
  ['BoundingBoxMaximum_Y', 'integer', 'px', 'bounding box bottom edge (exclusive)'],
  ['BoundingBoxMinimum_X', 'integer', 'px', 'bounding box left edge'],
  ['BoundingBoxMinimum_Y', 'integer', 'px', 'bounding box top edge'],
  ['Center_X', 'float', 'px', 'centroid x'],
  ['Center_Y', 'float', 'px', 'centroid y'],
  ['Compactness', 'float', '', 'Perimeter^2 / (4 pi Area)'],
  ['ConvexArea', 'integer', 'px^2', 'pixels in the convex hull image (scikit-image convex_hull_image)'],
  ['Eccentricity', 'float', '', 'eccentricity of the ellipse with the same second moments'],
  ['EquivalentDiameter', 'float', 'px', 'diameter of the circle with the same area'],
  ['EulerNumber', 'integer', '', 'objects (8-connected) minus holes (4-connected)'],
  ['Extent', 'float', '', 'Area / BoundingBoxArea'],
  ['FormFactor', 'float', '', '4 pi Area / Perimeter^2'],
  ['MajorAxisLength', 'float', 'px', 'major axis of the ellipse with the same second moments'],
  ['MaxFeretDiameter', 'float', 'px', 'largest caliper diameter of the hull of pixel centres'],
  ['MaximumRadius', 'float', 'px', 'largest distance from an object pixel to the background'],
  ['MeanRadius', 'float', 'px', 'mean distance of object pixels to the background'],
  ['MedianRadius', 'float', 'px', 'median distance of object pixels to the background'],
  ['MinFeretDiameter', 'float', 'px', 'smallest caliper diameter of the hull of pixel centres'],
  ['MinorAxisLength', 'float', 'px', 'minor axis of the ellipse with the same second moments'],
  ['Orientation', 'float', 'degrees', 'angle between the row axis and the major axis, -90..90'],
  ['Perimeter', 'float', 'px', 'scikit-image regionprops perimeter (4-connected border, weighted)'],
  ['Solidity', 'float', '', 'Area / ConvexArea'],
];

function checkOptions(options: AreaShapeOptions): { zernike: boolean; order: number } {
  const zernike = options.zernike ?? true;
  const order = options.zernikeOrder ?? 9;
  if (!Number.isInteger(order) || order < 0 || order > 20) {
    throw new RangeError(`areaShape: zernikeOrder must be an integer in 0..20, got ${order}`);
  }
  return { zernike, order };
}

/** The AreaShape features, declared up front (names without object prefix, as CellProfiler's columns). */
export function areaShapeSchema(options: AreaShapeOptions = {}): FeatureSpec[] {
  const { zernike, order } = checkOptions(options);
  const specs: FeatureSpec[] = BASIC.map(([name, type, unit, description]) => ({
    name: `AreaShape_${name}`,
    type,
    unit,
    description,
  }));
  if (zernike) {
    for (const [n, m] of zernikeIndexes(order + 1)) {
      specs.push({
        name: `AreaShape_Zernike_${n}_${m}`,
        type: 'float',
        unit: '',
        description: `magnitude of Zernike moment (${n}, ${m}) in the minimum enclosing circle`,
      });
    }
  }
  return specs;
}

// skimage.measure.perimeter: weights of the 3x3 border-pixel codes (1 centre, 2 edge, 10 corner neighbours).
const PERIMETER_WEIGHTS = new Float64Array(50);
for (const v of [5, 7, 15, 17, 25, 27]) PERIMETER_WEIGHTS[v] = 1;
for (const v of [21, 33]) PERIMETER_WEIGHTS[v] = Math.SQRT2;
for (const v of [13, 23]) PERIMETER_WEIGHTS[v] = (1 + Math.SQRT2) / 2;

/**
 * AreaShape features of every object of a label image, in CellProfiler's definitions (see
 * docs/measurement-notes.md). Pass `index` when other families share it.
 */
export function measureAreaShape(
  labels: LabelImage,
  options: AreaShapeOptions = {},
  index: ObjectIndex = indexObjects(labels),
): FeatureSet {
  const { zernike, order } = checkOptions(options);
  if (index.width !== labels.width || index.height !== labels.height) {
    throw new RangeError(
      `areaShape: object index is ${index.width}x${index.height} but the label image is ${labels.width}x${labels.height}`,
    );
  }
  const specs = areaShapeSchema(options);
  const count = index.count;
  const columns = specs.map(() => new Float64Array(count));
  const col = (name: string): Float64Array =>
    columns[specs.findIndex((s) => s.name === `AreaShape_${name}`)]!;
  const [
    area,
    bboxArea,
    maxX,
    maxY,
    minX,
    minY,
    centerX,
    centerY,
    compactness,
    convexArea,
    eccentricity,
    equivalentDiameter,
    euler,
    extent,
    formFactor,
    major,
    maxFeret,
    maxRadius,
    meanRadius,
    medianRadius,
    minFeret,
    minor,
    orientation,
    perimeterCol,
    solidity,
  ] = BASIC.map(([name]) => col(name));
  const table = zernike ? zernikeTable(zernikeIndexes(order + 1)) : undefined;
  const zernikeOut = table ? new Float64Array(table.indexes.length) : undefined;
  const zernikeColumns = columns.slice(BASIC.length);

  const { width } = index;
  for (let k = 0; k < count; k++) {
    const x0 = index.bbox[4 * k]!;
    const y0 = index.bbox[4 * k + 1]!;
    const x1 = index.bbox[4 * k + 2]!;
    const y1 = index.bbox[4 * k + 3]!;
    const w = x1 - x0;
    const h = y1 - y0;
    const W = w + 2;
    const H = h + 2;
    const start = index.offsets[k]!;
    const end = index.offsets[k + 1]!;
    const n = end - start;
    // Object mask in its bounding box padded by one pixel; pixel coordinates.
    const mask = new Uint8Array(W * H);
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    let sx = 0;
    let sy = 0;
    for (let p = 0; p < n; p++) {
      const pix = index.pixels[start + p]!;
      const y = Math.floor(pix / width);
      const x = pix - y * width;
      xs[p] = x;
      ys[p] = y;
      sx += x;
      sy += y;
      mask[(y - y0 + 1) * W + (x - x0 + 1)] = 1;
    }
    const cx = sx / n;
    const cy = sy / n;
    // Second central moments (regionprops inertia tensor) from integer sums in bounding-box coordinates, exact
    // while n * sum(x^2) < 2^53: ties such as a == c (skimage's +-45 degree special case) are then decided exactly.
    let lx = 0;
    let ly = 0;
    let lxx = 0;
    let lyy = 0;
    let lxy = 0;
    for (let p = 0; p < n; p++) {
      const dx = xs[p]! - x0;
      const dy = ys[p]! - y0;
      lx += dx;
      ly += dy;
      lxx += dx * dx;
      lyy += dy * dy;
      lxy += dx * dy;
    }
    const n2 = n * n;
    const a = (n * lxx - lx * lx) / n2; // variance along columns (x)
    const c = (n * lyy - ly * ly) / n2; // variance along rows (y)
    const b = -(n * lxy - lx * ly) / n2;
    const mean = (a + c) / 2;
    const disc = Math.sqrt(((a - c) / 2) ** 2 + b * b);
    const l1 = Math.max(mean + disc, 0);
    const l2 = Math.max(mean - disc, 0);
    const perimeter = maskPerimeter(mask, W, H);
    const convex = convexImageArea(cropMask(mask, W, H), w, h);

    area![k] = n;
    bboxArea![k] = w * h;
    minX![k] = x0;
    minY![k] = y0;
    maxX![k] = x1;
    maxY![k] = y1;
    centerX![k] = cx;
    centerY![k] = cy;
    perimeterCol![k] = perimeter;
    formFactor![k] = (4 * Math.PI * n) / (perimeter * perimeter);
    compactness![k] = (perimeter * perimeter) / Math.max(4 * Math.PI * n, 1);
    convexArea![k] = convex;
    solidity![k] = n / convex;
    extent![k] = n / (w * h);
    equivalentDiameter![k] = Math.sqrt((4 * n) / Math.PI);
    euler![k] = maskEuler(mask, W, H);
    major![k] = 4 * Math.sqrt(l1);
    minor![k] = 4 * Math.sqrt(l2);
    eccentricity![k] = l1 === 0 ? 0 : Math.sqrt(1 - l2 / l1);
    const theta = a - c === 0 ? (b < 0 ? -Math.PI / 4 : Math.PI / 4) : 0.5 * Math.atan2(-2 * b, c - a);
    orientation![k] = (theta * 180) / Math.PI;

    // Radii from the exact Euclidean distance transform of the padded mask.
    const edt = distanceTransform(fromData(mask, W, H)).data;
    const radii = new Float64Array(n);
    let rmax = 0;
    let rsum = 0;
    for (let p = 0; p < n; p++) {
      const d = edt[(ys[p]! - y0 + 1) * W + (xs[p]! - x0 + 1)]!;
      radii[p] = d;
      rsum += d;
      if (d > rmax) rmax = d;
    }
    radii.sort();
    maxRadius![k] = rmax;
    meanRadius![k] = rsum / n;
    medianRadius![k] = n % 2 ? radii[(n - 1) / 2]! : (radii[n / 2 - 1]! + radii[n / 2]!) / 2;

    // Hull of pixel centres: only the first and last pixel of each row can be vertices.
    const hx: number[] = [];
    const hy: number[] = [];
    for (let p = 0; p < n; p++) {
      const isFirst = p === 0 || ys[p - 1] !== ys[p];
      const isLast = p === n - 1 || ys[p + 1] !== ys[p];
      if (isFirst || isLast) {
        hx.push(xs[p]!);
        hy.push(ys[p]!);
      }
    }
    const hull = pixelHull(hx, hy);
    const feret = feretDiameters(hull);
    minFeret![k] = feret.min;
    maxFeret![k] = feret.max;
    if (table && zernikeOut) {
      const circle = minimumEnclosingCircle(hull);
      zernikeMoments(xs, ys, circle, table, zernikeOut);
      for (let q = 0; q < zernikeOut.length; q++) zernikeColumns[q]![k] = zernikeOut[q]!;
    }
  }
  const features: FeatureColumn[] = specs.map((spec, i) => ({ spec, values: columns[i]! }));
  return { objectNumbers: index.labels, features };
}

/** The mask without its one-pixel padding. */
function cropMask(mask: Uint8Array, W: number, H: number): Uint8Array {
  const w = W - 2;
  const out = new Uint8Array(w * (H - 2));
  for (let y = 1; y < H - 1; y++) out.set(mask.subarray(y * W + 1, y * W + 1 + w), (y - 1) * w);
  return out;
}

/** skimage.measure.perimeter(mask, neighbourhood=4) of a mask whose outer ring is background. */
export function maskPerimeter(mask: Uint8Array, W: number, H: number): number {
  const border = new Uint8Array(W * H);
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      if (mask[i] && !(mask[i - 1] && mask[i + 1] && mask[i - W] && mask[i + W])) border[i] = 1;
    }
  }
  let total = 0;
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      if (!border[i]) continue;
      const code =
        1 +
        2 * (border[i - 1]! + border[i + 1]! + border[i - W]! + border[i + W]!) +
        10 * (border[i - W - 1]! + border[i - W + 1]! + border[i + W - 1]! + border[i + W + 1]!);
      total += PERIMETER_WEIGHTS[code]!;
    }
  }
  return total;
}

/**
 * Euler number with 8-connected foreground (skimage.measure.euler_number(connectivity=2)) of a mask whose
 * outer ring is background: counted from 2x2 configurations (Ohser et al. 2002).
 */
export function maskEuler(mask: Uint8Array, W: number, H: number): number {
  let e = 0;
  for (let y = 1; y < H; y++) {
    for (let x = 1; x < W; x++) {
      const i = y * W + x;
      const code = mask[i]! + 4 * mask[i - 1]! + 2 * mask[i - W]! + 8 * mask[i - W - 1]!;
      if (code === 8) e++;
      else if (code === 6 || code === 14) e--;
    }
  }
  return e;
}
