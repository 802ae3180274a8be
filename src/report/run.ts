// A RUN: a folder with `wells.csv` (one row per well: plate, well, numeric features...) and `platemap.csv`
// (well, compound, concentration, unit, role; optionally plate), or a single wells table that already carries
// those columns. Both are joined on (plate, well) — or on well alone when the plate map has no plate column, so
// one map serves every plate. Documented in docs/cli/report.md.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readTable } from '../table/index.ts';
import { type Column, isNumeric, type Table, tableFromColumns } from '../table/table.ts';

export const PLATEMAP_COLUMNS = ['compound', 'concentration', 'unit', 'role'] as const;

/** Join plate-map columns onto wells; errors name the file, line and duplicated or missing well. */
export function joinPlatemap(
  wells: Table,
  platemap: Table,
  names = { wells: 'wells.csv', platemap: 'platemap.csv' },
): Table {
  for (const c of ['well', 'compound', 'role']) {
    if (!platemap.columns[c]) {
      throw new RangeError(
        `${names.platemap}: no column '${c}'; available columns: ${platemap.names.join(', ')}`,
      );
    }
  }
  if (!wells.columns.well)
    throw new RangeError(`${names.wells}: no column 'well'; available columns: ${wells.names.join(', ')}`);
  const text = (t: Table, c: string) => {
    const col = t.columns[c];
    if (!col) return undefined;
    return isNumeric(col) ? Array.from(col, (v) => (Number.isNaN(v) ? '' : String(v))) : col;
  };
  const byPlate = Boolean(platemap.columns.plate);
  const mapWell = text(platemap, 'well')!;
  const mapPlate = byPlate ? text(platemap, 'plate')! : undefined;
  const index = new Map<string, number>();
  mapWell.forEach((w, i) => {
    const key = `${mapPlate?.[i] ?? ''}\u0000${w
      .trim()
      .toUpperCase()
      .replace(/^([A-Z]+)0*(\d+)$/, '$1$2')}`;
    if (index.has(key)) {
      throw new RangeError(
        `${names.platemap}: line ${i + 2}: well '${w}'${mapPlate ? ` of plate '${mapPlate[i]}'` : ''} appears more than once (first at line ${index.get(key)! + 2})`,
      );
    }
    index.set(key, i);
  });
  const wellNames = text(wells, 'well')!;
  const plates = text(wells, 'plate') ?? wellNames.map(() => 'plate');
  const rows = wellNames.map((w, r) => {
    const key = `${byPlate ? plates[r] : ''}\u0000${w
      .trim()
      .toUpperCase()
      .replace(/^([A-Z]+)0*(\d+)$/, '$1$2')}`;
    const i = index.get(key);
    if (i === undefined) {
      throw new RangeError(
        `${names.wells}: line ${r + 2}: well '${w}' of plate '${plates[r]}' is not in ${names.platemap}`,
      );
    }
    return i;
  });
  const columns: Record<string, Column> = {};
  const order: string[] = [];
  if (!wells.columns.plate) {
    columns.plate = plates;
    order.push('plate');
  }
  for (const n of wells.names) {
    if ((PLATEMAP_COLUMNS as readonly string[]).includes(n)) continue;
    columns[n] = wells.columns[n]!;
    order.push(n);
  }
  for (const c of PLATEMAP_COLUMNS) {
    const col = platemap.columns[c];
    if (c === 'concentration') {
      columns[c] = Float64Array.from(rows, (i) => (col && isNumeric(col) ? col[i]! : Number.NaN));
    } else {
      const t = text(platemap, c);
      columns[c] = rows.map((i) => t?.[i] ?? '');
    }
    order.push(c);
  }
  return tableFromColumns(columns, order);
}

/** Read a RUN folder (wells.csv + platemap.csv) or a single wells table (.csv/.parquet) with the map columns. */
export async function readRun(path: string, platemapPath?: string): Promise<Table> {
  if (existsSync(path) && statSync(path).isDirectory()) {
    const wellsPath = join(path, 'wells.csv');
    const mapPath = platemapPath ?? join(path, 'platemap.csv');
    for (const p of [wellsPath, mapPath])
      if (!existsSync(p)) throw new Error(`${path}: RUN folder lacks ${p}`);
    return joinPlatemap(await readTable(wellsPath), await readTable(mapPath), {
      wells: wellsPath,
      platemap: mapPath,
    });
  }
  const wells = await readTable(path);
  if (platemapPath) {
    return joinPlatemap(wells, await readTable(platemapPath), { wells: path, platemap: platemapPath });
  }
  for (const c of ['well', 'compound', 'role']) {
    if (!wells.columns[c]) {
      throw new RangeError(
        `${path}: no column '${c}' (give a RUN folder, or --platemap, or a table with well, compound, concentration, role)`,
      );
    }
  }
  return wells;
}
