// Plate-map CSV: what is in each well (compound, concentration, unit, control role), validated with a zod
// schema row by row; errors name the file, line, column and received value. Format documented in docs/cli/plate.md.
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { formatCsvRows, parseCsvRecords } from '../table/csv.ts';
import { parseWell, plateGeometry, rowIndexOf } from './geometry.ts';

/** Role of a well in the assay. */
export const WELL_ROLES = ['negative_control', 'positive_control', 'treatment', 'empty'] as const;
export type WellRole = (typeof WELL_ROLES)[number];

/** One well of a plate map. */
export interface PlateMapEntry {
  /** Plate name when the map covers several plates (optional `plate` column). */
  readonly plate?: string | undefined;
  /** Canonical well name, e.g. 'A01'. */
  readonly well: string;
  readonly row: string;
  readonly column: number;
  /** Compound name ('' for empty wells; e.g. 'DMSO' for vehicle controls). */
  readonly compound: string;
  /** Concentration in `unit`; null when blank (allowed for controls and empty wells). */
  readonly concentration: number | null;
  /** Concentration unit, e.g. 'uM'. */
  readonly unit: string;
  readonly role: WellRole;
  /** Any further columns (e.g. moa), verbatim. */
  readonly annotations: Readonly<Record<string, string>>;
}

export interface PlateMap {
  /** Plate format the wells were checked against. */
  readonly plateFormat: number;
  readonly entries: readonly PlateMapEntry[];
}

export interface ParsePlateMapOptions {
  /** File name used in error messages. @default 'plate map' */
  name?: string;
  /** Plate format every well must exist on. @default 96 */
  plateFormat?: number;
  /** Unit used when the `unit` column is absent or blank. @default 'uM' */
  defaultUnit?: string;
}

const REQUIRED = ['well', 'compound', 'concentration', 'role'] as const;
const KNOWN = new Set(['plate', 'well', 'compound', 'concentration', 'unit', 'role']);

/** Schema of one raw row (strings from the CSV) to a typed row; `format` is the plate format. */
function rowSchema(format: number, defaultUnit: string) {
  return z
    .object({
      plate: z.string().trim().optional(),
      well: z
        .string()
        .trim()
        .transform((s, ctx) => {
          try {
            return parseWell(s, format);
          } catch (error) {
            ctx.addIssue({ code: 'custom', message: (error as Error).message });
            return z.NEVER;
          }
        }),
      compound: z.string().trim(),
      concentration: z
        .string()
        .trim()
        .transform((s, ctx) => {
          if (s === '') return null;
          const v = Number(s);
          if (!Number.isFinite(v) || v < 0) {
            ctx.addIssue({ code: 'custom', message: 'must be a non-negative number or blank' });
            return z.NEVER;
          }
          return v;
        }),
      unit: z
        .string()
        .trim()
        .optional()
        .transform((s) => (s === undefined || s === '' ? defaultUnit : s)),
      role: z
        .string()
        .trim()
        .transform((s, ctx) => {
          const r = s.toLowerCase();
          if (!(WELL_ROLES as readonly string[]).includes(r)) {
            ctx.addIssue({ code: 'custom', message: `must be one of ${WELL_ROLES.join(', ')}` });
            return z.NEVER;
          }
          return r as WellRole;
        }),
    })
    .superRefine((row, ctx) => {
      if (row.role === 'treatment' && row.compound === '') {
        ctx.addIssue({ code: 'custom', path: ['compound'], message: 'a treatment well needs a compound' });
      }
      if (row.role === 'treatment' && row.concentration === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['concentration'],
          message: 'a treatment well needs a concentration',
        });
      }
    });
}

/**
 * Parse plate-map CSV text. Columns (header names case-insensitive, any order): `well`, `compound`,
 * `concentration`, `role` (required), `unit`, `plate` (optional), anything else kept as annotations. Throws an
 * Error naming the file, line, column and value of the first bad cell, or both lines of a duplicated well.
 */
export function parsePlateMap(text: string, options: ParsePlateMapOptions = {}): PlateMap {
  const name = options.name ?? 'plate map';
  const format = plateGeometry(options.plateFormat ?? 96).format;
  const records = parseCsvRecords(text, name);
  const header = records[0];
  if (!header) throw new Error(`${name}: is empty (expected a header line with ${REQUIRED.join(', ')})`);
  const columns = header.fields.map((h) => h.trim().toLowerCase());
  for (const required of REQUIRED) {
    if (!columns.includes(required)) {
      throw new Error(
        `${name}: line ${header.line}: missing column '${required}' (header has: ${header.fields.join(', ')})`,
      );
    }
  }
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  if (duplicate) throw new Error(`${name}: line ${header.line}: column '${duplicate}' appears twice`);
  const schema = rowSchema(format, options.defaultUnit ?? 'uM');
  const seen = new Map<string, number>();
  const entries: PlateMapEntry[] = [];
  for (const record of records.slice(1)) {
    if (record.fields.length !== columns.length) {
      throw new Error(
        `${name}: line ${record.line}: has ${record.fields.length} field(s), the header has ${columns.length}`,
      );
    }
    const raw: Record<string, string> = {};
    const annotations: Record<string, string> = {};
    columns.forEach((c, i) => {
      const value = record.fields[i]!;
      if (KNOWN.has(c)) raw[c] = value;
      else annotations[header.fields[i]!.trim()] = value;
    });
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const column = String(issue.path[0] ?? '');
      throw new Error(
        `${name}: line ${record.line}, column '${column}', value ${JSON.stringify(raw[column] ?? '')}: ${issue.message}`,
      );
    }
    const row = parsed.data;
    const plate = row.plate === undefined || row.plate === '' ? undefined : row.plate;
    const k = `${plate ?? ''}\u0000${row.well.well}`;
    const previous = seen.get(k);
    if (previous !== undefined) {
      throw new Error(
        `${name}: line ${record.line}: well ${row.well.well}${plate ? ` of plate ${plate}` : ''} is already defined on line ${previous}`,
      );
    }
    seen.set(k, record.line);
    entries.push({
      ...(plate !== undefined ? { plate } : {}),
      well: row.well.well,
      row: row.well.row,
      column: row.well.column,
      compound: row.compound,
      concentration: row.concentration,
      unit: row.unit,
      role: row.role,
      annotations,
    });
  }
  return { plateFormat: format, entries };
}

/** Read and parse a plate-map CSV file; errors name the file. */
export async function readPlateMap(path: string, options: Omit<ParsePlateMapOptions, 'name'> = {}) {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read plate map '${path}'`, { cause: error });
  }
  return parsePlateMap(text, { ...options, name: path });
}

/** Plate-map CSV text for `entries` (columns plate (if any entry has one), well, compound, concentration, unit, role, annotations). */
export function formatPlateMap(entries: readonly PlateMapEntry[]): string {
  const hasPlate = entries.some((e) => e.plate !== undefined);
  const extra = [...new Set(entries.flatMap((e) => Object.keys(e.annotations)))];
  const header = [
    ...(hasPlate ? ['plate'] : []),
    'well',
    'compound',
    'concentration',
    'unit',
    'role',
    ...extra,
  ];
  const sorted = [...entries].sort(
    (a, b) =>
      (a.plate ?? '').localeCompare(b.plate ?? '') ||
      rowIndexOf(a.row) - rowIndexOf(b.row) ||
      a.column - b.column,
  );
  const rows = sorted.map((e) => [
    ...(hasPlate ? [e.plate ?? ''] : []),
    e.well,
    e.compound,
    e.concentration === null ? '' : e.concentration,
    e.unit,
    e.role,
    ...extra.map((k) => e.annotations[k] ?? ''),
  ]);
  return formatCsvRows(header, rows);
}

/** Write a plate-map CSV file. */
export async function writePlateMap(path: string, entries: readonly PlateMapEntry[]): Promise<void> {
  await writeFile(path, formatPlateMap(entries));
}
