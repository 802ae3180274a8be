// Microplate well geometry (ANSI/SLAS 1-2004 footprint formats: 6, 24, 48, 96, 384 and 1536 wells), well names
// like 'A01' .. 'AF48' (rows A..Z then AA..AF), parsing and validation. Written by hand: a few lines of
// arithmetic that no npm package provides with the error messages we need.

/** The standard plate formats: number of wells. */
export type PlateFormat = 6 | 24 | 48 | 96 | 384 | 1536;

export interface PlateGeometry {
  readonly format: PlateFormat;
  readonly rows: number;
  readonly columns: number;
}

const GEOMETRIES: Readonly<Record<PlateFormat, PlateGeometry>> = {
  6: { format: 6, rows: 2, columns: 3 },
  24: { format: 24, rows: 4, columns: 6 },
  48: { format: 48, rows: 6, columns: 8 },
  96: { format: 96, rows: 8, columns: 12 },
  384: { format: 384, rows: 16, columns: 24 },
  1536: { format: 1536, rows: 32, columns: 48 },
};

/** All supported formats, smallest first. */
export const PLATE_FORMATS: readonly PlateFormat[] = [6, 24, 48, 96, 384, 1536];

export function isPlateFormat(value: unknown): value is PlateFormat {
  return typeof value === 'number' && (PLATE_FORMATS as readonly number[]).includes(value);
}

/** Rows and columns of a plate format; throws a RangeError naming the supported formats otherwise. */
export function plateGeometry(format: number | string): PlateGeometry {
  const n = typeof format === 'string' && /^\s*\d+\s*$/.test(format) ? Number(format) : format;
  if (!isPlateFormat(n)) {
    throw new RangeError(
      `unknown plate format ${JSON.stringify(format)}: expected one of ${PLATE_FORMATS.join(', ')} wells`,
    );
  }
  return GEOMETRIES[n];
}

/** Row letters of a 0-based row index: 0 -> 'A', 25 -> 'Z', 26 -> 'AA', 31 -> 'AF'. */
export function rowLetters(rowIndex: number): string {
  if (!Number.isInteger(rowIndex) || rowIndex < 0 || rowIndex >= 26 * 27) {
    throw new RangeError(`row index must be an integer in [0, ${26 * 27 - 1}], got ${rowIndex}`);
  }
  const A = 65;
  if (rowIndex < 26) return String.fromCharCode(A + rowIndex);
  return String.fromCharCode(A + Math.floor(rowIndex / 26) - 1) + String.fromCharCode(A + (rowIndex % 26));
}

/** 0-based row index of row letters ('A' -> 0, 'AF' -> 31), case-insensitive. */
export function rowIndexOf(letters: string): number {
  const s = letters.toUpperCase();
  if (!/^[A-Z]{1,2}$/.test(s)) throw new RangeError(`row must be one or two letters A..Z, got '${letters}'`);
  if (s.length === 1) return s.charCodeAt(0) - 65;
  return (s.charCodeAt(0) - 64) * 26 + (s.charCodeAt(1) - 65);
}

/** The parsed form of a well name. */
export interface Well {
  /** Canonical name: row letters and a column zero-padded to two digits, e.g. 'A01', 'AF48'. */
  readonly well: string;
  /** Row letters, e.g. 'A'. */
  readonly row: string;
  /** Column number, 1-based as printed on the plate. */
  readonly column: number;
  /** 0-based row index (A = 0). */
  readonly rowIndex: number;
  /** 0-based column index (column 1 = 0). */
  readonly columnIndex: number;
}

/** Canonical well name of 0-based indices: wellName(0, 0) === 'A01', wellName(31, 47) === 'AF48'. */
export function wellName(rowIndex: number, columnIndex: number): string {
  if (!Number.isInteger(columnIndex) || columnIndex < 0 || columnIndex > 98) {
    throw new RangeError(`column index must be an integer in [0, 98], got ${columnIndex}`);
  }
  return rowLetters(rowIndex) + String(columnIndex + 1).padStart(2, '0');
}

function check(well: Well, format: number | string | undefined, original: string): Well {
  if (format === undefined) return well;
  const g = plateGeometry(format);
  if (well.rowIndex >= g.rows || well.column > g.columns || well.column < 1) {
    throw new RangeError(
      `well '${original}' does not exist on a ${g.format}-well plate (rows A-${rowLetters(g.rows - 1)}, columns 1-${g.columns})`,
    );
  }
  return well;
}

/**
 * Parse a well name ('A01', 'a1', 'AF48', 'B 3'), optionally checking it exists on a plate format. Throws a
 * RangeError naming the received text.
 */
export function parseWell(name: string, format?: number | string): Well {
  const m = /^\s*([A-Za-z]{1,2})\s*0*(\d{1,2})\s*$/.exec(String(name));
  if (!m) throw new RangeError(`not a well name: '${name}' (expected row letters and a column, e.g. 'A01')`);
  const rowIndex = rowIndexOf(m[1]!);
  const column = Number(m[2]);
  if (column < 1) throw new RangeError(`well '${name}': column must be at least 1`);
  return check(wellFromIndices(rowIndex, column - 1), format, name);
}

/** The well at 0-based row and column indices, optionally checked against a plate format. */
export function wellAt(rowIndex: number, columnIndex: number, format?: number | string): Well {
  const w = wellFromIndices(rowIndex, columnIndex);
  return check(w, format, w.well);
}

function wellFromIndices(rowIndex: number, columnIndex: number): Well {
  return {
    well: wellName(rowIndex, columnIndex),
    row: rowLetters(rowIndex),
    column: columnIndex + 1,
    rowIndex,
    columnIndex,
  };
}

/** Every well of a plate in row-major order (A01, A02, ..., B01, ...). */
export function allWells(format: number | string): Well[] {
  const g = plateGeometry(format);
  const out: Well[] = [];
  for (let r = 0; r < g.rows; r++) for (let c = 0; c < g.columns; c++) out.push(wellFromIndices(r, c));
  return out;
}

/** The well with 1-based row-major index `index` (1 = A01), as instruments such as Olympus ScanR number wells. */
export function wellFromIndex(index: number, format: number | string): Well {
  const g = plateGeometry(format);
  if (!Number.isInteger(index) || index < 1 || index > g.format) {
    throw new RangeError(`well index ${index} is outside a ${g.format}-well plate (1-${g.format})`);
  }
  return wellFromIndices(Math.floor((index - 1) / g.columns), (index - 1) % g.columns);
}

/** True when the well lies on the outermost rows or columns of the plate. */
export function isEdgeWell(well: Well, format: number | string): boolean {
  const g = plateGeometry(format);
  return (
    well.rowIndex === 0 || well.columnIndex === 0 || well.rowIndex === g.rows - 1 || well.column === g.columns
  );
}
