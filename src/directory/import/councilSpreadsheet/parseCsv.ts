/**
 * RFC 4180 CSV, as spreadsheets save it: UTF-8 with or without a byte-order mark, CRLF or LF, fields quoted
 * with `"` (a quote inside doubled), and a comma or, as Excel writes it where the comma is the decimal
 * separator (much of Europe), a semicolon between fields. The delimiter is read off the header row, which
 * holds no commas or semicolons of its own.
 */
export interface CsvTable {
  readonly delimiter: ',' | ';';
  /** Records in order; record n is the row a spreadsheet shows as row n + 1. */
  readonly rows: string[][];
  /** Set when the file ends inside a quoted field: the row where that field starts. */
  readonly unterminatedQuoteAtRow?: number;
}

export function detectDelimiter(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

export function parseCsv(input: string): CsvTable {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const delimiter = detectDelimiter(text);
  const d = delimiter.charCodeAt(0);
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  // An empty file, or one ending in a newline, has no record after its last line break.
  while (i < n) {
    let field: string;
    if (text.charCodeAt(i) === 34 /* " */) {
      const startRow = rows.length + 1;
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) return { delimiter, rows: [...rows, [...row, value + text.slice(from)]], unterminatedQuoteAtRow: startRow };
        value += text.slice(from, q);
        if (text.charCodeAt(q + 1) === 34) {
          value += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      // Text after the closing quote (`"a"b`) is not RFC 4180; keep it rather than lose what was typed.
      let end = i;
      while (end < n && text.charCodeAt(end) !== d && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
      field = value + text.slice(i, end);
      i = end;
    } else {
      let end = i;
      while (end < n && text.charCodeAt(end) !== d && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
      field = text.slice(i, end);
      i = end;
    }
    row.push(field);
    if (i >= n) {
      rows.push(row);
      break;
    }
    const c = text.charCodeAt(i);
    if (c === d) {
      i++;
      // A delimiter as the very last character leaves one empty field.
      if (i >= n) {
        row.push('');
        rows.push(row);
      }
      continue;
    }
    // A line break: CRLF, LF or a lone CR.
    i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    rows.push(row);
    row = [];
  }
  return { delimiter, rows };
}

/**
 * One CSV field as RFC 4180 writes it: quoted when it holds the delimiter, a quote or a line break.
 */
export function csvField(value: string, delimiter: ',' | ';' = ','): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
}
