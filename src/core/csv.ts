/**
 * RFC 4180 CSV: quoted fields with commas, doubled quotes and line breaks,
 * CRLF or LF line ends, a UTF-8 byte-order mark at the start (what Excel
 * writes). Each row keeps the line number it starts on, for error reports.
 */
export interface CsvRow {
  line: number;
  cells: string[];
}

export function parseCsv(text: string): { rows: CsvRow[]; error?: { line: number; reason: string } } {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let i = 0;
  const endRow = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i += 1; continue; }
      if (c === '\n') line += 1;
      cell += c;
      i += 1;
      continue;
    }
    if (c === '"' && cell === '') { quoted = true; i += 1; continue; }
    if (c === ',') { cells.push(cell); cell = ''; i += 1; continue; }
    if (c === '\r' && src[i + 1] === '\n') { i += 1; continue; }
    if (c === '\n') { endRow(); line += 1; rowLine = line; i += 1; continue; }
    cell += c;
    i += 1;
  }
  if (quoted) return { rows, error: { line: rowLine, reason: 'a quoted field is never closed (a " is missing)' } };
  if (cell !== '' || cells.length) endRow();
  return { rows };
}
