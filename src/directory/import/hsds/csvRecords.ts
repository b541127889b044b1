/*
 * CSV as RFC 4180 writes it (fields in double quotes may hold commas, line breaks and doubled quotes; lines end
 * in CRLF or LF), a byte-order mark tolerated. Each record keeps its number (the header is record 1), which is
 * the row number a spreadsheet shows, so a problem is found where the person looks for it.
 */

export type CsvParse = { ok: true; records: { row: number; cells: string[] }[] } | { ok: false; row: number; message: string };

export function parseCsv(text: string): CsvParse {
  const records: { row: number; cells: string[] }[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let fieldStart = true;
  const endRecord = () => {
    cells.push(cell);
    // A blank line (a trailing newline, or an empty line between rows) is no record.
    if (!(cells.length === 1 && cells[0] === '')) records.push({ row: records.length + 1, cells });
    cells = [];
    cell = '';
    fieldStart = true;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
          return { ok: false, row: records.length + 1, message: `a quoted field is followed by ${JSON.stringify(next)} instead of a comma or the end of the line (a quote inside a field is written as two: "")` };
        }
        continue;
      }
      cell += c;
      i++;
      continue;
    }
    if (c === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
      i++;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      fieldStart = true;
      i++;
    } else if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      cell += c;
      fieldStart = false;
      i++;
    }
  }
  if (quoted) return { ok: false, row: records.length + 1, message: 'a quoted field is not closed before the end of the file' };
  if (cell !== '' || cells.length > 0) endRecord();
  return { ok: true, records };
}
