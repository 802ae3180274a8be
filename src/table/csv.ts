// CSV reading and writing (RFC 4180 quoting). Hand-written: the parser is a 40-line state machine and the
// npm CSV packages would add streaming machinery we do not need; columns whose every non-empty cell parses as a
// number become Float64Array (empty or NA/NaN = NaN), all others strings.
import { readFile, writeFile } from 'node:fs/promises';
import { type Column, isNumeric, type Table, tableFromColumns } from './table.ts';

export interface CsvRecord {
  /** 1-based line number where the record starts in the text. */
  readonly line: number;
  readonly fields: readonly string[];
}

/**
 * Parse CSV text into records with the line each starts on (quoted fields, doubled quotes, CRLF or LF, a
 * leading byte-order mark; blank lines skipped). Throws an Error naming `name` and the line of the record whose
 * quote is not closed.
 */
export function parseCsvRecords(text: string, name = 'CSV'): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  let fieldStarted = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new Error(`${name}: line ${recordLine}: unterminated quoted field`);
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/** Parse CSV text into rows of cells; `name` names the source in errors. */
export function parseCsvRows(text: string, name = 'CSV'): string[][] {
  return parseCsvRecords(text, name).map((r) => [...r.fields]);
}

const MISSING = new Set(['', 'NA', 'NaN', 'nan', 'null', 'None']);

/** Parse CSV text with a header row into a table. */
export function parseCsv(text: string, name = 'CSV'): Table {
  const records = parseCsvRecords(text, name);
  const rows = records.map((r) => r.fields);
  const header = rows[0];
  if (!header) throw new Error(`${name}: empty CSV (no header row)`);
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw new Error(`${name}: duplicate column name '${h}' in header`);
    seen.add(h);
  }
  for (let r = 1; r < rows.length; r++) {
    if (rows[r]!.length !== header.length) {
      throw new Error(
        `${name}: line ${records[r]!.line} has ${rows[r]!.length} fields, header has ${header.length}`,
      );
    }
  }
  const columns: Record<string, Column> = {};
  header.forEach((h, c) => {
    const cells = rows.slice(1).map((r) => r[c]!);
    const numeric = cells.every(
      (v) => MISSING.has(v.trim()) || Number.isFinite(Number(v)) || /^[+-]?inf(inity)?$/i.test(v.trim()),
    );
    const anyValue = cells.some((v) => !MISSING.has(v.trim()));
    columns[h] =
      numeric && anyValue
        ? Float64Array.from(cells, (v) => {
            const t = v.trim();
            if (MISSING.has(t)) return Number.NaN;
            if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
            return Number(t);
          })
        : cells;
  });
  return tableFromColumns(columns, header);
}

export async function readCsv(path: string): Promise<Table> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read CSV`, { cause: error });
  }
  return parseCsv(text, path);
}

/** A field as CSV: quoted when it holds a quote, comma or line break, or starts or ends with white space. */
function quote(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Format a header and rows of values as CSV text (LF line ends; undefined and null as empty fields). */
export function formatCsvRows(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [header.map(quote).join(',')];
  for (const row of rows)
    lines.push(row.map((v) => quote(v === undefined || v === null ? '' : String(v))).join(','));
  return `${lines.join('\n')}\n`;
}

/** Format numbers with full precision (shortest round-trip), NaN as empty. */
export function formatCsv(table: Table): string {
  const lines = [table.names.map(quote).join(',')];
  for (let r = 0; r < table.rows; r++) {
    lines.push(
      table.names
        .map((n) => {
          const c = table.columns[n]!;
          if (isNumeric(c)) {
            const v = c[r]!;
            return Number.isNaN(v) ? '' : String(v);
          }
          return quote(c[r]!);
        })
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function writeCsv(path: string, table: Table): Promise<void> {
  await writeFile(path, formatCsv(table));
}
