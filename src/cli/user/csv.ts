/**
 * RFC 4180 CSV: comma-separated cells, double-quoted cells may hold commas, quotes ("") and line
 * breaks; CRLF or LF line ends. Each row remembers the 1-based line it starts on, for messages.
 */
export interface CsvRow {
  readonly line: number;
  readonly cells: string[];
}

export function readCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let touched = false;
  const endRow = () => {
    cells.push(cell);
    if (touched || cells.length > 1 || cell !== '') rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
    touched = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
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
      continue;
    }
    if (ch === '"' && cell === '') {
      quoted = true;
      touched = true;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
      touched = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0 || touched) endRow();
  return rows;
}

/**
 * The rows of a CSV after its header as task objects: each non-empty cell under its header name, read
 * by `value` (which throws a message naming `where` for a cell it refuses). A blank row is skipped; a
 * row with another number of cells than the header, or a refused cell, is a problem of its line.
 */
export function csvRecords(
  path: string,
  names: readonly string[],
  rows: readonly CsvRow[],
  value: (name: string, cell: string, where: string) => unknown,
  problems: string[],
): Array<{ line: number; task: Record<string, unknown> }> {
  const out: Array<{ line: number; task: Record<string, unknown> }> = [];
  for (const row of rows) {
    if (row.cells.every((c) => c.trim() === '')) continue;
    const where = `${path}:${row.line}`;
    if (row.cells.length !== names.length) {
      problems.push(`${where}: ${row.cells.length} columns, the header has ${names.length}`);
      continue;
    }
    try {
      const task: Record<string, unknown> = {};
      names.forEach((n, i) => {
        const cell = row.cells[i] ?? '';
        if (cell !== '') task[n] = value(n, cell, where);
      });
      out.push({ line: row.line, task });
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  return out;
}
