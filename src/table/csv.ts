// CSV reading and writing (RFC 4180 quoting). Hand-written: the parser is a 40-line state machine and the
// npm CSV packages would add streaming machinery we do not need; columns whose every non-empty cell parses as a
// number become Float64Array (empty or NA/NaN = NaN), all others strings.
import { readFile, writeFile } from 'node:fs/promises';
import { type Column, isNumeric, type Table, tableFromColumns } from './table.ts';

/** Parse CSV text into rows of cells; `name` names the source in errors. */
export function parseCsvRows(text: string, name = 'CSV'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.length === 0) quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      line++;
    } else cell += ch;
  }
  if (quoted) throw new Error(`${name}: unterminated quoted field at line ${line}`);
  if (cell.length > 0 || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

const MISSING = new Set(['', 'NA', 'NaN', 'nan', 'null', 'None']);

/** Parse CSV text with a header row into a table. */
export function parseCsv(text: string, name = 'CSV'): Table {
  const rows = parseCsvRows(text, name);
  const header = rows[0];
  if (!header) throw new Error(`${name}: empty CSV (no header row)`);
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw new Error(`${name}: duplicate column name '${h}' in header`);
    seen.add(h);
  }
  for (let r = 1; r < rows.length; r++) {
    if (rows[r]!.length !== header.length) {
      throw new Error(`${name}: line ${r + 1} has ${rows[r]!.length} fields, header has ${header.length}`);
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

function quote(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
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
