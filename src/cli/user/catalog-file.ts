import { extname } from 'node:path';
import type { Endpoint, FieldRule, JsonType } from '../../domain/api-catalog/index.js';
import { checkTask } from '../../domain/api-catalog/validate.js';
import { UserError } from './connection.js';
import { csvRecords, readCsv } from './csv.js';
import { type FileTask, type TaskDefaults, applyDefaults, readTextFile } from './task-file.js';
import { closeMatches } from './task-types.js';

/**
 * The task files of the other APIs' task types (`serpq post --type keywords_data/...`) and of live
 * calls (`serpq live`): task objects as the vendor documents them for that endpoint, as JSON Lines
 * (one object a line; `.jsonl`, `.ndjson`, or a first line starting with `{`), a JSON array of
 * objects (`.json` starting with `[`: an item's "line" is its 1-based place in the array), CSV with a
 * header row naming fields (cells typed by the endpoint's rules: numbers, true/false, arrays as JSON
 * or `a|b|c`, objects as JSON), or plain text with one keyword a line where the endpoint has a
 * `keyword` (or `keywords`) field. Blank lines are skipped.
 */

type Format = 'jsonl' | 'array' | 'csv' | 'text';

function formatOf(path: string, text: string): Format {
  const ext = extname(path).toLowerCase();
  const first =
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trimStart() ?? '';
  if (first.startsWith('[')) return 'array';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json' || first.startsWith('{')) return 'jsonl';
  if (ext === '.csv') return 'csv';
  return 'text';
}

const ruleMap = (e: Endpoint) => new Map((e.request?.fields ?? []).map((f) => [f.name, f]));

function csvValue(rule: FieldRule | undefined, text: string, where: string): unknown {
  const kind: JsonType | undefined = rule?.type;
  if (kind === 'integer' || kind === 'number') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new UserError(`${where}: ${rule?.name} must be a number, not '${text}'`);
    return n;
  }
  if (kind === 'boolean') {
    if (text !== 'true' && text !== 'false') throw new UserError(`${where}: ${rule?.name} must be true or false, not '${text}'`);
    return text === 'true';
  }
  if (kind === 'array' && !text.trimStart().startsWith('[')) {
    const items = text.split('|').map((s) => s.trim());
    return rule?.items === 'integer' || rule?.items === 'number' ? items.map(Number) : items;
  }
  if (kind === 'array' || kind === 'object') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new UserError(`${where}: ${rule?.name} must be JSON (${kind}), not '${text}'`);
    }
  }
  return text;
}

/**
 * Reads every task object of a file, checking only that it parses (a bad line: one problem each);
 * `rules` types CSV cells. Throws one UserError naming up to 20 bad lines.
 */
export function readTaskObjects(path: string, endpoint: Endpoint, problemsEnd: string): FileTask[] {
  const text = readTextFile(path);
  const rules = ruleMap(endpoint);
  const problems: string[] = [];
  const tasks: FileTask[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  const format = formatOf(path, text);
  if (format === 'array') {
    let items: unknown;
    try {
      items = JSON.parse(text);
    } catch (err) {
      throw new UserError(`${path}: not valid JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(items)) throw new UserError(`${path}: a JSON file must hold an array of task objects`);
    items.forEach((v, i) => {
      if (isObject(v)) tasks.push({ line: i + 1, task: v });
      else problems.push(`${path}: item ${i + 1}: a task must be a JSON object`);
    });
  } else if (format === 'csv') {
    const rows = readCsv(text);
    const header = rows.shift();
    if (!header) throw new UserError(`${path}: empty CSV`);
    const names = header.cells.map((c) => c.trim());
    tasks.push(...csvRecords(path, names, rows, (n, cell, where) => csvValue(rules.get(n), cell, where), problems));
  } else {
    const subject = rules.get('keyword')?.type === 'string' ? 'keyword' : rules.get('keywords')?.type === 'array' ? 'keywords' : null;
    if (format === 'text' && subject === null)
      throw new UserError(`${path}: ${endpoint.path} takes task objects: write them as JSON Lines (.jsonl), a JSON array or CSV`);
    text.split('\n').forEach((raw, i) => {
      const lineText = raw.replace(/\r$/, '');
      if (lineText.trim() === '') return;
      const where = `${path}:${i + 1}`;
      if (format === 'text') {
        tasks.push({ line: i + 1, task: { [subject as string]: subject === 'keywords' ? [lineText.trim()] : lineText.trim() } });
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(lineText);
      } catch (err) {
        problems.push(`${where}: not valid JSON (${(err as Error).message})`);
        return;
      }
      if (isObject(value)) tasks.push({ line: i + 1, task: value });
      else problems.push(`${where}: a task must be a JSON object, one per line`);
    });
  }
  fail(problems, problemsEnd);
  if (tasks.length === 0) throw new UserError(`${path}: no tasks in the file`);
  return tasks;
}

function fail(problems: string[], end: string): void {
  if (problems.length === 0) return;
  const shown = problems.slice(0, 20);
  if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more bad lines`);
  throw new UserError(`${shown.join('\n')}\n${end}`);
}

/** Why a value breaks its field's documented rule, in words (the vendor only says "Invalid Field"). */
function whyInvalid(rule: FieldRule | undefined, value: unknown): string {
  if (!rule) return '';
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return 'required';
  const typeOk = (t: JsonType, v: unknown) =>
    t === 'any' ||
    (t === 'array'
      ? Array.isArray(v)
      : t === 'object'
        ? typeof v === 'object' && !Array.isArray(v)
        : t === 'integer'
          ? Number.isInteger(Number(v))
          : t === 'number'
            ? Number.isFinite(Number(v))
            : typeof v === t);
  if (!typeOk(rule.type, value))
    return `must be ${rule.type === 'array' ? `an array${rule.items ? ` of ${rule.items}s` : ''}` : `a${rule.type === 'integer' ? 'n' : ''} ${rule.type}`}`;
  if (Array.isArray(value) && rule.maxItems !== undefined && value.length > rule.maxItems)
    return `at most ${rule.maxItems} items, not ${value.length}`;
  if (rule.enum) return `one of ${rule.enum.join(', ')}`;
  if (rule.min !== undefined || rule.max !== undefined) return `from ${rule.min ?? '-∞'} to ${rule.max ?? '∞'}`;
  if (rule.maxLength !== undefined) return `at most ${rule.maxLength} characters`;
  return '';
}

/** The command-line defaults a catalog type has fields for: a flag the type cannot take is an error. */
function checkDefaults(endpoint: Endpoint, type: string, d: TaskDefaults): void {
  const rules = ruleMap(endpoint);
  const has = (f: string) => rules.has(f);
  const flags: Array<[string, unknown, boolean]> = [
    ['--location', d.location, has('location_code') || has('location_name')],
    ['--language', d.language, has('language_code') || has('language_name')],
    ['--priority', d.priority, has('priority')],
    ['--device', d.device, has('device')],
    ['--depth', d.depth, has('depth')],
    ['--tag', d.tag, has('tag')],
    ['--postback-url', d.postbackUrl, has('postback_url')],
    ['--postback-data', d.postbackData, has('postback_data')],
    ['--pingback-url', d.pingbackUrl, has('pingback_url')],
  ];
  for (const [flag, value, ok] of flags) if (value !== undefined && !ok) throw new UserError(`${flag}: ${type} has no such field`);
}

/**
 * The file of `serpq post --type <api>/...`: read, command-line defaults applied, and each task
 * checked against the type's task_post rules (the catalog's); a field the type does not know is an
 * error too (the vendor would ignore it silently: a typo costs a task). Nothing is posted unless
 * every task passes.
 */
export function readCatalogTaskFile(path: string, type: string, endpoint: Endpoint, defaults: TaskDefaults): FileTask[] {
  checkDefaults(endpoint, type, defaults);
  const end = 'nothing was posted: fix the file and run the same command again';
  const read = readTaskObjects(path, endpoint, end);
  const rules = ruleMap(endpoint);
  const known = [...rules.keys()];
  const problems: string[] = [];
  const tasks = read.map(({ line, task }) => {
    const full = applyDefaults(task, defaults);
    const where = `${path}:${line}`;
    const unknown = Object.keys(full).filter((k) => !rules.has(k));
    if (unknown.length > 0) {
      const k = unknown[0] ?? '';
      const close = closeMatches(k, known, 1);
      problems.push(`${where}: ${type} has no field '${k}'${close.length ? ` (did you mean ${close.join(' or ')}?)` : ''}`);
      return { line, task: full };
    }
    const checked = checkTask(endpoint, full);
    if (!checked.ok) {
      const field = /'([^']+)'/.exec(checked.message)?.[1];
      const why = whyInvalid(field ? rules.get(field) : undefined, field ? full[field] : undefined);
      problems.push(`${where}: ${checked.code} ${checked.message}${why ? ` (${field}: ${why})` : ''}`);
    }
    return { line, task: full };
  });
  fail(problems, end);
  return tasks;
}
