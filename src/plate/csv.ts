// A small RFC 4180 CSV reader/writer (quoted fields, doubled quotes, CRLF or LF) that reports line numbers.
// Written by hand because plate maps are tiny and errors must name the line; no dependency needed.

export interface CsvRecord {
  /** 1-based line number where the record starts in the file. */
  readonly line: number;
  readonly fields: readonly string[];
}

/** Parse CSV text into records. Throws an Error naming `name` and the line of an unterminated quote. */
export function parseCsv(text: string, name = 'CSV'): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
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

function quote(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Format rows as CSV text (LF line ends, fields quoted only when needed). */
export function formatCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [header.map(quote).join(',')];
  for (const row of rows)
    lines.push(row.map((v) => quote(v === undefined || v === null ? '' : String(v))).join(','));
  return `${lines.join('\n')}\n`;
}
