import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { SeTypeDef } from '../../domain/catalog.js';
import { UserError } from './connection.js';
import { csvRecords, readCsv } from './csv.js';

/**
 * The file `serpq post` reads: JSON Lines of tasks (one task object per line, `.jsonl`/`.ndjson`, or
 * any file whose first non-blank line starts with `{`), CSV with a header row naming task fields
 * (`.csv`), or plain text with one keyword per line. Blank lines are skipped. Defaults from the
 * command line (`--location`, `--language`, `--priority`, `--postback-url`, ...) fill the fields a
 * task leaves out. Every line is checked before anything is posted: one bad line, one message.
 */
export interface FileTask {
  /** 1-based line of the file where the task starts. */
  readonly line: number;
  readonly task: Record<string, unknown>;
}

export interface TaskDefaults {
  readonly location?: string;
  readonly language?: string;
  readonly priority?: number;
  readonly device?: string;
  readonly depth?: number;
  readonly tag?: string;
  readonly postbackUrl?: string;
  readonly postbackData?: string;
  readonly pingbackUrl?: string;
}

/** Task fields that hold numbers when they come from CSV text (others stay strings unless the type says so). */
const NUMERIC = new Set(['location_code', 'priority', 'depth', 'max_crawl_pages', 'search_param_page', 'zoom']);
/** Fields that are always text, whatever they look like ("2024" is a keyword). */
const TEXT = new Set(['keyword', 'tag', 'url', 'location_name', 'location_coordinate', 'language_name', 'language_code']);

function subjectField(def: SeTypeDef): string {
  return def.subject === 'keyword_optional' ? 'keyword' : def.subject;
}

function csvValue(field: string, text: string, def: SeTypeDef, where: string): unknown {
  if (TEXT.has(field)) return text;
  const kind = NUMERIC.has(field) ? 'integer' : def.extraFields[field];
  if (kind === 'integer' || kind === 'number') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new UserError(`${where}: ${field} must be a number, not '${text}'`);
    return n;
  }
  if (kind === 'boolean') {
    if (text !== 'true' && text !== 'false') throw new UserError(`${where}: ${field} must be true or false, not '${text}'`);
    return text === 'true';
  }
  if (kind === 'array' || kind === 'object') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new UserError(`${where}: ${field} must be JSON (${kind}), not '${text}'`);
    }
  }
  return text;
}

/** Fills the fields a task leaves out from the command line's defaults. */
export function applyDefaults(task: Record<string, unknown>, d: TaskDefaults): Record<string, unknown> {
  const out = { ...task };
  const has = (prefix: string) => Object.keys(out).some((k) => k.startsWith(prefix));
  if (d.location !== undefined && !has('location_')) {
    if (/^\d+$/.test(d.location)) out.location_code = Number(d.location);
    else out.location_name = d.location;
  }
  if (d.language !== undefined && !has('language_')) {
    if (/^[a-z]{2,3}(-[a-z]{2,4})?$/i.test(d.language)) out.language_code = d.language;
    else out.language_name = d.language;
  }
  const fill = (k: string, v: unknown) => {
    if (v !== undefined && out[k] === undefined) out[k] = v;
  };
  fill('priority', d.priority);
  fill('device', d.device);
  fill('depth', d.depth);
  fill('tag', d.tag);
  fill('postback_url', d.postbackUrl);
  fill('postback_data', d.postbackData);
  fill('pingback_url', d.pingbackUrl);
  return out;
}

type Format = 'jsonl' | 'csv' | 'text';

function formatOf(path: string, text: string): Format {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  if (ext === '.csv') return 'csv';
  const first = text.split('\n').find((l) => l.trim() !== '');
  return first?.trimStart().startsWith('{') ? 'jsonl' : 'text';
}

/** A task file's text (UTF-8, a byte order mark dropped), or a UserError naming why it cannot be read. */
export function readTextFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads and checks the whole file; throws one UserError naming every bad line (file:line: problem). */
export function readTaskFile(path: string, def: SeTypeDef, defaults: TaskDefaults): FileTask[] {
  const text = readTextFile(path);
  const problems: string[] = [];
  const tasks: FileTask[] = [];
  const format = formatOf(path, text);

  if (format === 'csv') {
    const rows = readCsv(text);
    const header = rows.shift();
    if (!header) throw new UserError(`${path}: empty CSV`);
    const names = header.cells.map((c) => c.trim());
    if (!names.includes(subjectField(def)) && def.subject !== 'keyword_optional') {
      throw new UserError(`${path}:${header.line}: a CSV needs a header row naming ${subjectField(def)} (found: ${names.join(', ')})`);
    }
    for (const { line, task } of csvRecords(path, names, rows, (n, cell, where) => csvValue(n, cell, def, where), problems)) {
      tasks.push({ line, task: applyDefaults(task, defaults) });
    }
  } else {
    const lines = text.split('\n');
    lines.forEach((raw, i) => {
      const lineText = raw.replace(/\r$/, '');
      if (lineText.trim() === '') return;
      const where = `${path}:${i + 1}`;
      if (format === 'text') {
        tasks.push({ line: i + 1, task: applyDefaults({ [subjectField(def)]: lineText.trim() }, defaults) });
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(lineText);
      } catch (err) {
        problems.push(`${where}: not valid JSON (${(err as Error).message})`);
        return;
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) {
        problems.push(`${where}: a task must be a JSON object, one per line`);
        return;
      }
      tasks.push({ line: i + 1, task: applyDefaults(value as Record<string, unknown>, defaults) });
    });
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 20);
    if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more bad lines`);
    throw new UserError(`${shown.join('\n')}\nnothing was posted: fix the file and run the same command again`);
  }
  if (tasks.length === 0) throw new UserError(`${path}: no tasks in the file`);
  return tasks;
}
