// Rendering of one simulated high-content field in three channels -- DNA (nuclei), cell body (cytoplasm) and a
// marker that moves between cytoplasm and nucleus (NF-kB-like translocation) -- with its ground truth. The image
// model follows the fluorescence simulators SIMCEP (Lehmussola et al. 2007, IEEE TMI 26:1010) and SimuCell
// (Rajaram et al. 2012): object intensities with texture, optical blur (Gaussian PSF; a wide one for
// out-of-focus fields), multiplicative uneven illumination, then a linear camera with shot and read noise.
import { gaussian } from '../filter/gaussian.ts';
import { fromData, type Image } from '../image/image.ts';
import { type CameraModel, defaultCamera, expose } from './camera.ts';
import { rasterizeLabels } from './labels.ts';
import { type NucleusKind, placeNuclei, type SimNucleus } from './placement.ts';
import { createRng, hashSeed } from './prng.ts';
import { smoothNoise } from './texture.ts';

/** Channel names of a simulated field, in order. */
export const SIM_CHANNELS = ['DNA', 'CellBody', 'Marker'] as const;

/** Mean signal levels as fractions of the camera's full scale at exposure 1 and illumination 1. */
export interface ChannelLevels {
  /** Background (autofluorescence, out-of-focus haze) per channel. @default [0.01, 0.012, 0.01] */
  readonly background: readonly [number, number, number];
  /** Mean DNA stain level of an interphase G1 nucleus. @default 0.16 */
  readonly dna: number;
  /** Mean cell-body stain level in the cytoplasm. @default 0.06 */
  readonly cellBody: number;
  /** Mean marker level in the cytoplasm (the nucleus holds ratio x this). @default 0.05 */
  readonly marker: number;
}

export const DEFAULT_LEVELS: ChannelLevels = {
  background: [0.01, 0.012, 0.01],
  dna: 0.16,
  cellBody: 0.06,
  marker: 0.05,
};

export interface FieldSpec {
  /** Field width in pixels. */
  width: number;
  /** Field height in pixels. */
  height: number;
  /** Seed of this field's random streams. */
  seed: number;
  /** Expected number of cells (the count is Poisson-distributed around it). */
  cellCount: number;
  /** Expected mean area of whole nuclei, pixels. */
  nuclearArea: number;
  /** Expected per-cell ratio of nuclear to cytoplasmic marker level. */
  markerNcRatio: number;
  /** Standard deviation of the Gaussian PSF in pixels; about 1 in focus, 3-6 out of focus. @default 1 */
  blurSigma?: number;
  /** Exposure multiplier (a saturated field uses 4 or more). @default 1 */
  exposure?: number;
  /** Camera. @default defaultCamera(16) */
  camera?: CameraModel;
  /** Multiplicative illumination per channel (3 planes of W x H, max 1). @default flat */
  illumination?: readonly Float32Array[];
  /** Signal levels. @default DEFAULT_LEVELS */
  levels?: ChannelLevels;
  /** Also return the noise-free expected image in ADU (for noise tests). @default false */
  returnExpected?: boolean;
}

/** Ground truth of one cell of the field. */
export interface CellTruth {
  /** Label in both the nuclei and the cell label images. */
  readonly label: number;
  readonly x: number;
  readonly y: number;
  readonly kind: NucleusKind;
  /** Area of the whole nucleus outline (also the part outside the field), pixels. */
  readonly nuclearArea: number;
  /** Nuclear pixels inside the field. */
  readonly nuclearPixels: number;
  /** Cell pixels inside the field. */
  readonly cellPixels: number;
  /** True when the nucleus touches the field border. */
  readonly touchesBorder: boolean;
  /** DNA stain level of the nucleus (fraction of full scale before illumination and exposure). */
  readonly dnaLevel: number;
  /** Planted ratio of nuclear to cytoplasmic marker level. */
  readonly markerNcRatio: number;
}

export interface RenderedField {
  /** 3 channels (DNA, CellBody, Marker), uint16 (uint8 for 8-bit cameras), `bitDepth` set. */
  readonly image: Image<'uint16'> | Image<'uint8'>;
  readonly nuclei: Image<'uint32'>;
  readonly cells: Image<'uint32'>;
  readonly objects: readonly CellTruth[];
  /** Number of cells (= nuclei) in the field. */
  readonly cellCount: number;
  /**
   * Mean area of the whole nucleus outlines of every nucleus (the planted quantity; NaN when there are none).
   */
  readonly meanNuclearArea: number;
  /**
   * Mean labelled pixel count of the nuclei that do not touch the border, what a pipeline that removes border
   * objects measures: about 1.5% below `meanNuclearArea` (large nuclei touch the border more often, and
   * touching nuclei share their overlap).
   */
  readonly meanInteriorNuclearPixels: number;
  /** Mean planted marker N/C ratio over the cells (NaN when there are none). */
  readonly meanMarkerNcRatio: number;
  /** Pixels at the camera's maximum value, over all channels. */
  readonly saturatedPixels: number;
  /** Noise-free expected image in ADU (same layout as `image`) when `returnExpected`. */
  readonly expected?: Float32Array;
}

/** The cells of a field before any pixel is drawn: nuclei with their outlines, and each cell's levels. */
export interface FieldPopulation {
  /** Nuclei (= cells), label k at index k - 1. */
  readonly nuclei: readonly SimNucleus[];
  /** DNA stain level per label (index 0 unused), fraction of full scale. */
  readonly dna: Float64Array;
  /** Cell-body stain level per label (index 0 unused). */
  readonly body: Float64Array;
  /** Cytoplasmic marker level per label (index 0 unused). */
  readonly marker: Float64Array;
  /** Planted nuclear-to-cytoplasmic marker ratio per label (index 0 unused). */
  readonly ratio: Float64Array;
}

/** The truth a field's readouts are planted in, without rendering: what `renderField` reports for the same spec. */
export interface FieldTruth {
  /** Number of cells (= nuclei) in the field. */
  readonly cellCount: number;
  /** Mean area of the whole nucleus outlines (NaN when there are none). */
  readonly meanNuclearArea: number;
  /** Mean planted marker N/C ratio over the cells (NaN when there are none). */
  readonly meanMarkerNcRatio: number;
}

function checkFieldSpec(spec: FieldSpec): void {
  const exposure = spec.exposure ?? 1;
  const blur = spec.blurSigma ?? 1;
  if (!(exposure > 0)) throw new RangeError(`exposure must be > 0, got ${exposure}`);
  if (!(blur >= 0)) throw new RangeError(`blur sigma must be >= 0, got ${blur}`);
  if (!(spec.nuclearArea >= 10))
    throw new RangeError(`nuclear area must be at least 10 pixels, got ${spec.nuclearArea}`);
  if (!(spec.cellCount >= 0)) throw new RangeError(`cell count must be >= 0, got ${spec.cellCount}`);
  if (!(spec.markerNcRatio > 0))
    throw new RangeError(`marker N/C ratio must be > 0, got ${spec.markerNcRatio}`);
}

/**
 * Place the field's nuclei and draw each cell's stain levels and N/C ratio from the field's 'shapes' stream:
 * the first step of `renderField`, so the same spec gives the same cells. Throws RangeError as `renderField`.
 */
export function simulateFieldPopulation(spec: FieldSpec): FieldPopulation {
  checkFieldSpec(spec);
  const levels = spec.levels ?? DEFAULT_LEVELS;
  const shapeRng = createRng(hashSeed(spec.seed, 'shapes'));
  const nuclei = placeNuclei(
    { width: spec.width, height: spec.height, cellCount: spec.cellCount, nuclearArea: spec.nuclearArea },
    shapeRng,
  );
  const count = nuclei.length;
  const dna = new Float64Array(count + 1);
  const body = new Float64Array(count + 1);
  const marker = new Float64Array(count + 1);
  const ratio = new Float64Array(count + 1);
  nuclei.forEach((nu, i) => {
    const k = i + 1;
    let level = levels.dna * shapeRng.lognormal(0, 0.3) * (nu.g2 ? 1.3 : 1);
    if (nu.kind === 'mitotic') level *= 2.4;
    if (nu.kind === 'dividing') level *= 2;
    dna[k] = Math.min(0.6, Math.max(levels.dna * 0.3, level)); // dim nuclei stay above background
    body[k] = levels.cellBody * shapeRng.lognormal(0, 0.3) * (nu.kind === 'interphase' ? 1 : 1.6);
    marker[k] = levels.marker * shapeRng.lognormal(0, 0.25);
    ratio[k] = spec.markerNcRatio * shapeRng.lognormal(-0.12 * 0.12 * 0.5, 0.12);
  });
  return { nuclei, dna, body, marker, ratio };
}

/**
 * The field's true readouts (cell count, mean whole-nucleus area, mean N/C ratio) without drawing pixels: equal to
 * `renderField(spec)`'s and about 100x faster, for statistics over many fields.
 */
export function simulateFieldTruth(spec: FieldSpec): FieldTruth {
  const { nuclei, ratio } = simulateFieldPopulation(spec);
  let area = 0;
  let nc = 0;
  nuclei.forEach((nu, i) => {
    area += nu.area;
    nc += ratio[i + 1]!;
  });
  const count = nuclei.length;
  return {
    cellCount: count,
    meanNuclearArea: count ? area / count : Number.NaN,
    meanMarkerNcRatio: count ? nc / count : Number.NaN,
  };
}

/** Render one field. Throws RangeError for sizes or parameters outside the model. */
export function renderField(spec: FieldSpec): RenderedField {
  const { width, height } = spec;
  const camera = spec.camera ?? defaultCamera(16);
  const levels = spec.levels ?? DEFAULT_LEVELS;
  const exposure = spec.exposure ?? 1;
  const blur = spec.blurSigma ?? 1;
  const n = width * height;
  const { nuclei, dna, body, marker, ratio } = simulateFieldPopulation(spec);
  const labels = rasterizeLabels(nuclei, width, height);
  const count = nuclei.length;

  const textureRng = createRng(hashSeed(spec.seed, 'texture'));
  const texDna = smoothNoise(width, height, 1.2, textureRng);
  const texBody = smoothNoise(width, height, 3, textureRng);
  const texMarker = smoothNoise(width, height, 0.8, textureRng);

  // signal in fractions of full scale, planar channels
  const signal = new Float32Array(3 * n);
  const [bg0, bg1, bg2] = levels.background;
  const { nuclei: nl, cells: cl, nucleusRho, cellRho } = labels;
  for (let p = 0; p < n; p++) {
    const nk = nl[p]!;
    const ck = cl[p]!;
    let s0 = bg0;
    let s1 = bg1;
    let s2 = bg2;
    if (nk !== 0) {
      const rho = nucleusRho[p]!;
      s0 += dna[nk]! * (1 - 0.25 * rho * rho) * Math.max(0.3, 1 + 0.25 * texDna[p]!);
    }
    if (ck !== 0) {
      const rho = cellRho[p]!;
      s1 += body[ck]! * (nk !== 0 ? 0.7 : 1) * (1 - 0.35 * rho * rho) * Math.max(0.3, 1 + 0.2 * texBody[p]!);
      s2 += marker[ck]! * (nk !== 0 ? ratio[ck]! : 1) * Math.max(0.2, 1 + 0.3 * texMarker[p]!);
    }
    signal[p] = s0;
    signal[n + p] = s1;
    signal[2 * n + p] = s2;
  }
  const blurred =
    blur > 0
      ? gaussian(fromData(signal, width, height, { channels: 3 }), { sigma: blur, truncate: 3 }).data
      : signal;

  // illumination, exposure, electrons
  const max = 2 ** camera.bitDepth - 1;
  const toElectrons = max * camera.gain * exposure;
  for (let c = 0; c < 3; c++) {
    const illum = spec.illumination?.[c];
    if (illum && illum.length !== n) {
      throw new RangeError(`illumination plane ${c} has ${illum.length} values, the field has ${n} pixels`);
    }
    const off = c * n;
    for (let p = 0; p < n; p++) blurred[off + p] = blurred[off + p]! * toElectrons * (illum ? illum[p]! : 1);
  }
  const expected = spec.returnExpected
    ? Float32Array.from(blurred, (e) => camera.offset + e / camera.gain)
    : undefined;
  const noiseRng = createRng(hashSeed(spec.seed, 'noise'));
  const pixels = camera.bitDepth === 8 ? new Uint8Array(3 * n) : new Uint16Array(3 * n);
  const saturatedPixels = expose(blurred, camera, noiseRng, pixels);

  // truth per cell
  const nucPixels = new Float64Array(count + 1);
  const cellPixels = new Float64Array(count + 1);
  const border = new Uint8Array(count + 1);
  for (let p = 0; p < n; p++) {
    const nk = nl[p]!;
    if (nk !== 0) {
      nucPixels[nk]!++;
      const x = p % width;
      if (x === 0 || x === width - 1 || p < width || p >= n - width) border[nk] = 1;
    }
    const ck = cl[p]!;
    if (ck !== 0) cellPixels[ck]!++;
  }
  const objects: CellTruth[] = nuclei.map((nu, i) => ({
    label: i + 1,
    x: nu.cx,
    y: nu.cy,
    kind: nu.kind,
    nuclearArea: nu.area,
    nuclearPixels: nucPixels[i + 1]!,
    cellPixels: cellPixels[i + 1]!,
    touchesBorder: border[i + 1] === 1,
    dnaLevel: dna[i + 1]!,
    markerNcRatio: ratio[i + 1]!,
  }));
  const interior = objects.filter((o) => !o.touchesBorder);
  const mean = (xs: readonly number[]) =>
    xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : Number.NaN;
  const image = fromData(pixels, width, height, {
    channels: 3,
    channelNames: [...SIM_CHANNELS],
    bitDepth: camera.bitDepth,
  }) as Image<'uint16'> | Image<'uint8'>;
  return {
    image,
    nuclei: fromData(nl, width, height) as Image<'uint32'>,
    cells: fromData(cl, width, height) as Image<'uint32'>,
    objects,
    cellCount: count,
    meanNuclearArea: mean(objects.map((o) => o.nuclearArea)),
    meanInteriorNuclearPixels: mean(interior.map((o) => o.nuclearPixels)),
    meanMarkerNcRatio: mean(objects.map((o) => o.markerNcRatio)),
    saturatedPixels,
    ...(expected ? { expected } : {}),
  };
}
