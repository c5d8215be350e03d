// Request field rules from the vendor's field descriptions: whether a field is required, its documented
// values, default, bounds, item and length limits, and which fields stand in for each other (one-of
// groups such as location_name / location_code / location_coordinate). The same facts are read from
// the two sources' texts: the OpenAPI file's descriptions (plain text, one fact a line) and the
// official client's doc comments (the same text flattened to one line, with markdown: `**required
// field**`, values in backticks). Only facts are kept; no prose.

export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'any';
export type TextSource = 'openapi' | 'client';

/** One top-level field of a task object (see src/domain/api-catalog/types.ts, FieldRule). */
export interface FieldRule {
  name: string;
  type: JsonType;
  items?: JsonType;
  required?: true;
  conditional?: true;
  enum?: Array<string | number>;
  default?: string | number | boolean | Array<string | number>;
  min?: number;
  max?: number;
  maxItems?: number;
  maxLength?: number;
}

export interface ParsedField {
  rule: FieldRule;
  /** Fields this one stands in for ("if you use this field, you don't need to specify X or Y"). */
  alternatives: string[];
  /** Fields whose absence makes this one required ("required field if you don't specify X"). */
  requiredUnless: string[];
}

const WORD_NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/** Flat text: markdown links and emphasis removed, backticks kept, whitespace collapsed. */
export function flatText(raw: string, source: TextSource): string {
  let t = raw.replace(/\u00a0/g, ' ').replace(/[\u2018\u2019]/g, "'");
  if (source === 'client') {
    t = t
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\*+/g, ' ')
      .replace(/_(?=`)|(?<=`)_/g, ' ');
  }
  return t
    .replace(/\s+/g, ' ')
    .replace(/\s+([,;])/g, '$1')
    .trim();
}

function num(s: string): number {
  return Number(s.replace(/,/g, ''));
}

const NUMBER = String.raw`(-?\d+(?:\.\d+)?)`;

/**
 * Requiredness from the raw text: unconditional, conditional, or neither. Some texts glue words
 * together ("target page urlrequired fieldabsolute URL"), so the markers are not matched as words.
 */
function requiredness(raw: string, source: TextSource): { required: boolean; conditional: boolean } {
  const lower = raw.replace(/\u00a0/g, ' ').toLowerCase();
  const optional = /optional field/.test(lower);
  let unconditional = false;
  let conditional = false;
  const condition = /required field\W*(?:if|when|unless|in case|only)\b/;
  if (source === 'openapi') {
    for (const line of lower.split('\n').map((l) => l.trim())) {
      if (/^required field[.;,]?$/.test(line)) unconditional = true;
      else if (condition.test(line)) conditional = true;
      else if (/required field/.test(line)) unconditional = true;
    }
  } else {
    if (/\*\*required field\*\*/.test(lower)) unconditional = true;
    else if (condition.test(lower)) conditional = true;
    else if (/required field/.test(lower)) unconditional = true;
  }
  const required = unconditional && !optional;
  return { required, conditional: !required && conditional && !optional };
}

/**
 * The field names a clause starts with: `x`, `x or y`, `x, y and z` (backticked or bare); the list ends
 * at the first word that is not a known field or a conjunction.
 */
function leadingFields(clause: string, known: ReadonlySet<string>, self: string): string[] {
  const out: string[] = [];
  for (const m of clause.matchAll(/\s*(?:,\s*)?(?:(?:or|and|and\/or)\s+)?`?([a-z][a-z0-9_]*)`?/gy)) {
    const w = m[1]!;
    if (!known.has(w)) break;
    if (w !== self && !out.includes(w)) out.push(w);
  }
  return out;
}

/**
 * Values of a list after a marker: `a, b, c`, `"a", "b"`, `["a", "b"]`, or `a – …; b – …` items. A
 * single value counts only when it stands alone: quoted, or ending its line.
 */
function listValues(after: string, source: TextSource, descriptive: boolean): string[] | undefined {
  const s = after.trimStart();
  // Bracketed or quoted lists.
  const bracket = /^\[([^\]]*)\]/.exec(s);
  if (bracket) return splitValues(bracket[1]!);
  const token = String.raw`(?:\x60[^\x60]+\x60|"[^"]+"|'[^']+'|[A-Za-z0-9][\w\-./+$]*)`;
  const re = new RegExp(String.raw`^${token}(?:\s*,\s*${token})*`);
  const m = re.exec(s);
  if (!m) return undefined;
  const vals = splitValues(m[0]);
  const rest = s.slice(m[0].length);
  if (vals.length >= 2) return vals;
  const alone = /^[`"']/.test(m[0]) || (source === 'openapi' && /^[ \t]*(?:\n|$|[;.])/.test(rest));
  const region = s.split(/(?:default value|default rule|note:|example)/i)[0]!;
  if (source === 'client' && m[0].startsWith('`')) {
    // `a` what a means; `b` what b means; …
    const items = [...region.matchAll(/(?:^|;\s*)`([A-Za-z0-9][\w\-]*)`/g)].map((x) => x[1]!);
    if (items.length >= 2) return [...new Set(items)];
  }
  // A descriptive list: `a – what a means; b – what b means`.
  if (!descriptive || !/^\s*[–—-]\s/.test(rest)) return alone ? vals : undefined;
  const items =
    source === 'client'
      ? [...region.matchAll(/(?:^|[\s;(`])([A-Za-z0-9][\w\-]*)`?\s*[–—]\s/g)].map((x) => x[1]!)
      : [...region.matchAll(/(?:^|\n)\s*([A-Za-z0-9][\w\-]*)\s+[–—-]\s/g)].map((x) => x[1]!);
  return items.length >= 2 ? [...new Set(items)] : undefined;
}

function splitValues(list: string): string[] {
  return list
    .split(',')
    .map((v) => v.trim().replace(/^[`"'\[]+|[`"'.;\]]+$/g, ''))
    .filter((v) => v !== '');
}

/**
 * Parses one field's description. `known` holds the names of the fields of the same task object, to
 * recognise the fields a clause names.
 */
export function parseField(
  name: string,
  type: JsonType,
  items: JsonType | undefined,
  raw: string,
  source: TextSource,
  known: ReadonlySet<string>,
): ParsedField {
  const rule: FieldRule = { name, type };
  if (items) rule.items = items;
  const { required, conditional } = requiredness(raw, source);
  if (required) rule.required = true;
  if (conditional) rule.conditional = true;

  // Keep newlines for the OpenAPI text (descriptive lists are one item a line); flatten the rest.
  const text =
    source === 'openapi'
      ? raw
          .replace(/\u00a0/g, ' ')
          .replace(/[\u2018\u2019]/g, "'")
          .replace(/[ \t]+/g, ' ')
      : flatText(raw, source);
  const flat = text.replace(/\s+/g, ' ');
  const lower = flat.toLowerCase();

  // One-of groups.
  const alternatives: string[] = [];
  for (const m of lower.matchAll(/(?:don't|do not|dont) need to (?:specify|indicate|use)\s+/g)) {
    for (const f of leadingFields(lower.slice(m.index! + m[0].length), known, name)) if (!alternatives.includes(f)) alternatives.push(f);
  }
  const requiredUnless: string[] = [];
  if (conditional) {
    const m = /required field\W*if\s+(?:you\s+)?(?:don't|do not|dont)\s+specify\s+/.exec(lower);
    const n = /required field\W*if\s+((?:`?[a-z][a-z0-9_]*`?(?:,\s*|\s+or\s+|\s+and\s+)?)+)\s+(?:is|are) not specified/.exec(lower);
    if (m) requiredUnless.push(...leadingFields(lower.slice(m.index + m[0].length), known, name));
    else if (n) requiredUnless.push(...leadingFields(n[1]!, known, name));
  }

  // Documented values.
  const valueType = type === 'array' ? items : type;
  if (name !== 'order_by' && (valueType === 'string' || valueType === 'integer' || valueType === 'number')) {
    const marker =
      /(possible values?|possible types of (?:filtering|sorting)|can take the (?:following )?values|available values|only value|choose from the following values)(?: for [a-z ]{1,30}?)?\s*:+/gi;
    const all: Array<string | number> = [];
    for (const m of text.matchAll(marker)) {
      const after = text.slice(m.index! + m[0].length);
      if (/^\s*from\s+\d/i.test(after)) continue; // a range, below
      const vals = listValues(after, source, type !== 'array');
      if (!vals || vals.length === 0) continue;
      if (vals.length === 1 && (!/^[\w\-]+$/.test(vals[0]!) || /^\d{4}-\d{2}-\d{2}$/.test(vals[0]!))) continue;
      const numeric = valueType !== 'string';
      if (numeric && !vals.every((v) => /^-?\d+(?:\.\d+)?$/.test(v))) continue;
      for (const v of vals) {
        const value = numeric ? Number(v) : v;
        if (!all.includes(value)) all.push(value);
      }
    }
    if (all.length > 0) rule.enum = all;
  }

  // Default.
  const def = /default value(?: for desktop)?\s*:\s*(`[^`]*`|\[[^\]]*\]|"[^"]*"|[^\s,;]+)/i.exec(text);
  if (def) {
    const v = def[1]!
      .replace(/^`|`$/g, '')
      .replace(/^(["'])(.*)\1$/, '$2')
      .replace(/[.;]$/, '');
    if (type === 'boolean') {
      if (/^(true|false)/i.test(v)) rule.default = /^true/i.test(v);
    } else if (type === 'integer' || type === 'number') {
      const n = /^-?\d+(?:\.\d+)?/.exec(v);
      if (n) rule.default = Number(n[0]);
    } else if (type === 'array') {
      if (v.startsWith('[')) {
        const vals = splitValues(v.slice(1, -1));
        if (vals.length > 0) rule.default = items === 'integer' || items === 'number' ? vals.map(Number) : vals;
      }
    } else if (type === 'string' && v !== '' && !/^(?:null|none)$/i.test(v)) {
      // A bare word must end its line (OpenAPI) or be quoted (client), else it is the start of a sentence.
      const after = text.slice(def.index + def[0].length);
      const alone = /^[`"'\[]/.test(def[1]!) || (source === 'openapi' && /^[ \t]*(?:\n|$|[;.,])/.test(after));
      if (rule.enum) {
        const hit = rule.enum.find((e) => e === v) ?? rule.enum.find((e) => typeof e === 'string' && v.startsWith(e));
        if (hit !== undefined) rule.default = hit;
      } else if (alone) {
        rule.default = v;
      }
    }
  }
  if (rule.default === undefined && rule.enum) {
    // Descriptive lists mark the default in the item: `1 – normal execution priority (set by default)`.
    const d = /`?([\w\-]+)`?\s+[–—-]\s+[^;–—\n]*?\((?:set )?by default\)/.exec(text);
    if (d) {
      const hit = rule.enum.find((e) => String(e) === d[1]);
      if (hit !== undefined) rule.default = hit;
    }
  }

  // Numeric bounds.
  if (type === 'integer' || type === 'number') {
    const max = new RegExp(
      String.raw`max(?:imum|imal)?(?: possible)? value(?:,? in [a-z]+)?(?: for desktop)?\s*(?:is|:)?\s*\x60?${NUMBER}(?![\d-])`,
      'i',
    ).exec(flat);
    const min = new RegExp(
      String.raw`min(?:imum|imal)?(?: possible)? value(?:,? in [a-z]+)?\s*(?:is|:)?\s*\x60?${NUMBER}(?![\d-]|\s*(?:years|days|months))`,
      'i',
    ).exec(flat);
    const range = new RegExp(
      String.raw`(?:can take values|possible values|can be set|you can specify a level|can be specified in the following range|any similarity score in the)\s*:?\s*(?:from\s+)?${NUMBER}\s*(?:to|-|–)\s*${NUMBER}`,
      'i',
    ).exec(flat);
    if (range) {
      rule.min = num(range[1]!);
      rule.max = num(range[2]!);
    }
    if (max) rule.max = num(max[1]!);
    if (min) rule.min = num(min[1]!);
    const noteMax = /the maximum value is ([\d,]+)/i.exec(flat);
    if (noteMax && rule.max === undefined) rule.max = num(noteMax[1]!);
  }

  // Item counts.
  if (type === 'array') {
    const patterns: RegExp[] = [
      /maximum number of [a-z ]+?(?:you can specify|that can be specified|you can set)(?: in this (?:array|object|field))?(?: is)?\s*:?\s*(\d+)/i,
      /the maximum number of [a-z ]+? is (\d+)/i,
      /you can (?:specify|set|add) up to \*{0,2}(\d+) (?!characters|symbols)[a-z]/i,
      /you can specify (?:the )?maximum of (\d+) (?!characters)[a-z]/i,
      /maximum amount of [a-z]+: (\d+)/i,
      /can contain up to (\d+) (?!characters)[a-z]/i,
      /you can specify (\d+) [a-z]+ maximum/i,
      /no more than (\w+) sorting rules/i,
      /up to (\d+) (?:[a-z]+ )?(?:urls|domains|keywords|categories|terms|identifiers|entities|targets|pages|values|ids|asins|persons)\b/i,
    ];
    for (const re of patterns) {
      const m = re.exec(flat);
      if (!m) continue;
      const v = /^\d+$/.test(m[1]!) ? Number(m[1]) : WORD_NUMBERS[m[1]!.toLowerCase()];
      if (v !== undefined) {
        rule.maxItems = v;
        break;
      }
    }
  }

  // Lengths (strings; for arrays of strings: of each item).
  if (type === 'string' || (type === 'array' && items === 'string')) {
    const patterns: RegExp[] =
      type === 'string'
        ? [
            /the character limit is (\d+)/i,
            /(?:you can specify|can contain|specify) up to (\d+) characters/i,
            /max(?:imum)? number of (?:symbols or )?characters(?: you can specify)?(?: in a keyword)?\s*:?\s*(\d+)/i,
            /no more than (\d+) characters/i,
          ]
        : [
            /maximum number of characters (?:for each|in each|per) [a-z]+\s*:?\s*(\d+)/i,
            /maximum (?:word|keyword) length\s*:?\s*(\d+)/i,
            /each [a-z]+ containing no more than (\d+) characters/i,
            /up to (\d+) characters (?:for each|in each|per)/i,
          ];
    for (const re of patterns) {
      const m = re.exec(flat);
      if (m) {
        rule.maxLength = Number(m[1]);
        break;
      }
    }
  }

  return { rule, alternatives, requiredUnless };
}

/**
 * One-of groups from the fields' alternatives (connected components); a group is required when one
 * of its fields is required unless another member is given.
 */
export function oneOfGroups(parsed: readonly ParsedField[]): Array<{ fields: string[]; required: boolean }> {
  const names = parsed.map((p) => p.rule.name);
  const parent = new Map(names.map((n) => [n, n]));
  const find = (n: string): string => {
    let r = n;
    while (parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  const union = (a: string, b: string) => {
    if (!parent.has(a) || !parent.has(b)) return;
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const p of parsed) for (const a of [...p.alternatives, ...p.requiredUnless]) union(p.rule.name, a);
  const groups = new Map<string, string[]>();
  for (const n of names) {
    const r = find(n);
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r)!.push(n);
  }
  const out: Array<{ fields: string[]; required: boolean }> = [];
  for (const fields of groups.values()) {
    if (fields.length < 2) continue;
    const required = parsed.some((p) => fields.includes(p.rule.name) && p.requiredUnless.some((f) => fields.includes(f)));
    out.push({ fields, required });
  }
  return out;
}
