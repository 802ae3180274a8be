// Plate heatmap data: values of one feature laid out on the plate grid (ANSI/SLAS 1-2004 formats), from well
// names like 'A01', 'B7' or 'AF48'. The grid is the smallest standard format that holds every well. (Well-name
// parsing is repeated here in 10 lines because assay may only depend on table and profile.)

export interface PlateHeatmap {
  rows: number;
  columns: number;
  rowLabels: string[];
  columnLabels: string[];
  /** Row-major rows×columns; NaN where no well or no value. */
  values: Float64Array;
  /** Well name per cell ('' where absent). */
  wells: string[];
}

const FORMATS: readonly [number, number][] = [
  [2, 3],
  [4, 6],
  [6, 8],
  [8, 12],
  [16, 24],
  [32, 48],
];

/** 0-based row and column of a well name ('A01' → [0, 0], 'AF48' → [31, 47]); throws on anything else. */
export function parseWell(well: string): [number, number] {
  const m = /^\s*([A-Za-z]{1,2})\s*0*(\d{1,2})\s*$/.exec(well);
  if (!m) throw new RangeError(`not a well name: '${well}' (expected e.g. A01, H12, AF48)`);
  const letters = m[1]!.toUpperCase();
  const row =
    letters.length === 1
      ? letters.charCodeAt(0) - 65
      : (letters.charCodeAt(0) - 64) * 26 + letters.charCodeAt(1) - 65;
  const column = Number(m[2]) - 1;
  if (column < 0) throw new RangeError(`not a well name: '${well}' (columns start at 1)`);
  return [row, column];
}

function rowLabel(r: number): string {
  return r < 26 ? String.fromCharCode(65 + r) : String.fromCharCode(64 + Math.floor(r / 26), 65 + (r % 26));
}

/** Lay `values[i]` of well `wells[i]` on the plate grid; duplicated wells are an error naming the well. */
export function plateHeatmap(wells: readonly string[], values: ArrayLike<number>): PlateHeatmap {
  if (wells.length !== values.length) {
    throw new RangeError(`plateHeatmap: ${wells.length} wells but ${values.length} values`);
  }
  const positions = wells.map(parseWell);
  let maxRow = 0;
  let maxCol = 0;
  for (const [r, c] of positions) {
    maxRow = Math.max(maxRow, r);
    maxCol = Math.max(maxCol, c);
  }
  const format = FORMATS.find(([r, c]) => maxRow < r && maxCol < c);
  if (!format)
    throw new RangeError(`plateHeatmap: well ${rowLabel(maxRow)}${maxCol + 1} is beyond a 1536-well plate`);
  const [rows, columns] = format;
  const grid = new Float64Array(rows * columns).fill(Number.NaN);
  const names = new Array<string>(rows * columns).fill('');
  positions.forEach(([r, c], i) => {
    const k = r * columns + c;
    if (names[k]) throw new RangeError(`plateHeatmap: well '${wells[i]}' appears more than once`);
    names[k] = wells[i]!;
    grid[k] = values[i]!;
  });
  return {
    rows,
    columns,
    rowLabels: Array.from({ length: rows }, (_, r) => rowLabel(r)),
    columnLabels: Array.from({ length: columns }, (_, c) => String(c + 1).padStart(2, '0')),
    values: grid,
    wells: names,
  };
}
