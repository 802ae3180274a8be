// Options of the plate simulator with their defaults, the `small` preset, and validation that names the bad
// option and the received value.
import { allWells, parseWell, plateGeometry, type Well, wellAt } from '../plate/geometry.ts';

export interface SimulateOptions {
  /** Plate format (wells). @default 96 */
  plateFormat?: number;
  /**
   * Wells to render: comma-separated wells and rectangular ranges ('A01-B12,C05'), or a list.
   * @default every well of the plate ('A01-B12' with `small`)
   */
  wells?: string | readonly string[];
  /** Sites (fields) per well. @default 1 */
  sites?: number;
  /** Field width and height in pixels. @default 512 (256 with `small`) */
  size?: number;
  /** Seed of every random choice: the same seed renders the same plate. @default 1 */
  seed?: number;
  /** Expected cells per untreated field. @default round(120 * size^2 / 512^2) */
  cellsPerField?: number;
  /** Expected mean area of untreated nuclei, pixels. @default 200 */
  nuclearArea?: number;
  /** Untreated ratio of nuclear to cytoplasmic marker level. @default 0.5 */
  markerNcRatio?: number;
  /** Effective bits of the camera (8 writes uint8 images, 12 and 16 write uint16). @default 16 */
  bitDepth?: number;
  /** Fraction of fields rendered out of focus (rounded to a count of fields). @default 0.05 */
  outOfFocusFraction?: number;
  /** Fraction of fields rendered over-exposed, with saturated pixels. @default 0.03 */
  saturatedFraction?: number;
  /**
   * Edge effect: fraction of cells lost in the outermost wells (evaporation), e.g. 0.2; applied on top of the
   * planted curves and recorded in fields.csv (`edge_factor`). @default 0
   */
  edgeEffect?: number;
  /** Plate name used in file names. @default 'SIM001' */
  plate?: string;
  /**
   * Replicate plates with the same design (different cells and noise), named `<plate>-1` ... `<plate>-N` when
   * more than one. @default 1
   */
  plates?: number;
  /** Concentrations per dose series. @default 8 */
  concentrations?: number;
  /** Replicate dose series per compound. @default 2 */
  replicates?: number;
  /** Highest concentration, uM. @default 10 */
  topConcentration?: number;
  /** The demo/test preset: 24 wells (A01-B12 of a 96-well plate), 1 site, 256 x 256 fields. @default false */
  small?: boolean;
}

export interface ResolvedSimulateOptions {
  readonly plateFormat: number;
  readonly wells: readonly Well[];
  readonly sites: number;
  readonly size: number;
  readonly seed: number;
  readonly cellsPerField: number;
  readonly nuclearArea: number;
  readonly markerNcRatio: number;
  readonly bitDepth: 8 | 12 | 16;
  readonly outOfFocusFraction: number;
  readonly saturatedFraction: number;
  readonly edgeEffect: number;
  readonly plate: string;
  readonly plates: number;
  readonly concentrations: number;
  readonly replicates: number;
  readonly topConcentration: number;
  readonly small: boolean;
}

/** Largest field side accepted (a 8192 x 8192 x 3 uint16 field is 400 MB). */
export const MAX_FIELD_SIZE = 8192;
/** Smallest field side: a few nuclei must fit. */
export const MIN_FIELD_SIZE = 32;

function integer(name: string, value: unknown, lo: number, hi: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
    throw new RangeError(
      `simulate: ${name} must be an integer in [${lo}, ${hi}], got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function fraction(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new RangeError(`simulate: ${name} must be a number in [0, 1], got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Parse a well selection: comma-separated well names and rectangular ranges 'A01-B12' (every well whose row
 * and column lie between the corners). Throws a RangeError naming the bad item.
 */
export function parseWellSelection(spec: string | readonly string[], plateFormat: number): Well[] {
  const items = (typeof spec === 'string' ? spec.split(',') : spec)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0)
    throw new RangeError(`simulate: wells selection ${JSON.stringify(spec)} names no well`);
  const seen = new Map<string, Well>();
  for (const item of items) {
    const range = /^([A-Za-z]{1,2}\d{1,2})\s*[-:]\s*([A-Za-z]{1,2}\d{1,2})$/.exec(item);
    try {
      if (range) {
        const a = parseWell(range[1]!, plateFormat);
        const b = parseWell(range[2]!, plateFormat);
        for (let r = Math.min(a.rowIndex, b.rowIndex); r <= Math.max(a.rowIndex, b.rowIndex); r++) {
          for (
            let c = Math.min(a.columnIndex, b.columnIndex);
            c <= Math.max(a.columnIndex, b.columnIndex);
            c++
          ) {
            const w = wellAt(r, c, plateFormat);
            seen.set(w.well, w);
          }
        }
      } else {
        const w = parseWell(item, plateFormat);
        seen.set(w.well, w);
      }
    } catch (error) {
      throw new RangeError(`simulate: wells item '${item}': ${(error as Error).message}`, { cause: error });
    }
  }
  return [...seen.values()].sort((x, y) => x.rowIndex - y.rowIndex || x.columnIndex - y.columnIndex);
}

/** Apply defaults and the `small` preset, and validate. Throws RangeError naming the option and value. */
export function resolveSimulateOptions(options: SimulateOptions = {}): ResolvedSimulateOptions {
  const small = options.small ?? false;
  let plateFormat: number;
  try {
    plateFormat = plateGeometry(options.plateFormat ?? 96).format;
  } catch (error) {
    throw new RangeError(`simulate: plate format: ${(error as Error).message}`, { cause: error });
  }
  const wells =
    options.wells !== undefined
      ? parseWellSelection(options.wells, plateFormat)
      : allWells(plateFormat).filter((w) => !small || w.rowIndex < 2);
  const size = integer('size', options.size ?? (small ? 256 : 512), MIN_FIELD_SIZE, MAX_FIELD_SIZE);
  const cellsDefault = Math.max(1, Math.round((120 * size * size) / (512 * 512)));
  const nuclearArea = options.nuclearArea ?? 200;
  if (typeof nuclearArea !== 'number' || !(nuclearArea >= 20 && nuclearArea <= (size * size) / 16)) {
    throw new RangeError(
      `simulate: nuclear area must be between 20 and ${(size * size) / 16} pixels for ${size} x ${size} fields, got ${JSON.stringify(nuclearArea)}`,
    );
  }
  // cells need room: about 10 nuclear areas of free space each (cell bodies are ~2.4x the nuclear radius)
  const maxCells = Math.max(1, Math.floor((size * size) / (nuclearArea * 8)));
  const cellsPerField = integer(
    'cells per field',
    options.cellsPerField ?? Math.min(cellsDefault, maxCells),
    1,
    maxCells,
  );
  const bitDepth = options.bitDepth ?? 16;
  if (bitDepth !== 8 && bitDepth !== 12 && bitDepth !== 16) {
    throw new RangeError(`simulate: bit depth must be 8, 12 or 16, got ${JSON.stringify(bitDepth)}`);
  }
  const markerNcRatio = options.markerNcRatio ?? 0.5;
  if (typeof markerNcRatio !== 'number' || !(markerNcRatio > 0 && markerNcRatio <= 5)) {
    throw new RangeError(
      `simulate: marker N/C ratio must be in (0, 5], got ${JSON.stringify(markerNcRatio)}`,
    );
  }
  const plate = options.plate ?? 'SIM001';
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/.test(plate)) {
    throw new RangeError(
      `simulate: plate name must be 1-64 letters, digits or '-' (no '_', which separates name fields), got ${JSON.stringify(plate)}`,
    );
  }
  const topConcentration = options.topConcentration ?? 10;
  if (typeof topConcentration !== 'number' || !(topConcentration > 0 && Number.isFinite(topConcentration))) {
    throw new RangeError(`simulate: top concentration must be > 0, got ${JSON.stringify(topConcentration)}`);
  }
  return {
    plateFormat,
    wells,
    sites: integer('sites', options.sites ?? 1, 1, 100),
    size,
    seed: integer('seed', options.seed ?? 1, 0, 2 ** 32 - 1),
    cellsPerField,
    nuclearArea,
    markerNcRatio,
    bitDepth,
    outOfFocusFraction: fraction('out-of-focus fraction', options.outOfFocusFraction ?? 0.05),
    saturatedFraction: fraction('saturated fraction', options.saturatedFraction ?? 0.03),
    edgeEffect: fraction('edge effect', options.edgeEffect ?? 0),
    plate,
    plates: integer('plates', options.plates ?? 1, 1, 100),
    concentrations: integer('concentrations', options.concentrations ?? 8, 1, 46),
    replicates: integer('replicates', options.replicates ?? 2, 1, 100),
    topConcentration,
    small,
  };
}
