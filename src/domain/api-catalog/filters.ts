/**
 * The vendor's `filters` and `order_by` grammar (DataForSEO Labs, Backlinks, On-Page, Domain Analytics,
 * Content Analysis, Business Listings, AI Optimization, …), parsed into a small representation, and an
 * evaluator the sandbox applies to the item lists it generates, so that users' filtering, sorting and
 * pagination code meets the same rules as in production.
 *
 * The grammar, from the vendor's field descriptions (../shared/dataforseo/openapi-full.yaml, every
 * `filters` field) and its filter pages (docs.dataforseo.com/v3/dataforseo_labs/filters,
 * /v3/ai_optimization/llm_mentions/filters, the Help Center's "Using filters in DataForSEO APIs"):
 *
 * - a condition is `[field, operator, value]`, the field a dotted path into a result item
 *   (`keyword_data.keyword_info.search_volume`);
 * - conditions are joined with logical operators, `[cond, "and", cond, "or", cond]`, and nest:
 *   `[[a, "and", b], "or", c]`; a lone condition may be given bare or wrapped (`[[field, op, value]]`);
 * - "you can add several filters at once (8 filters maximum)": at most 8 conditions in all;
 * - operators: `<, <=, >, >=, =, <>, in, not_in, like, not_like, ilike, not_ilike, match, not_match,
 *   regex, not_regex`, and `has, has_not` for array fields (Content Analysis, On-Page): the union of the
 *   lists the descriptions give per endpoint; which one a field takes depends on its type, which only
 *   `available_filters` knows, so any of them is accepted with a value of the right JSON shape;
 * - `in` / `not_in` take an array ("the $filter_value should be specified as an array");
 * - `like` / `ilike` use `%` for "any string of zero or more characters" (the only wildcard documented);
 *   `ilike` ignores case;
 * - `regex` / `not_regex`: RE2 syntax, "the maximum limit for the number of characters you can specify
 *   in regex and not_regex is 1000"; a search anywhere in the value (`(how|what|when)` = "string contains");
 * - `match` / `not_match`: "full-text search operators that work with string values" (`["keyword",
 *   "match", "phone"]` = keywords that contain the word "phone"): every word of the value is a word of
 *   the field, case ignored;
 * - `order_by`: `["field,asc|desc", …]`, "no more than three sorting rules".
 *
 * Choices where the vendor says nothing (documented in the tests):
 * - `and` binds tighter than `or` in a flat list with both (SQL precedence); operators and `and`/`or`
 *   are lower case, as every example writes them;
 * - an empty `filters` or `order_by` array is no filter / no sorting;
 * - a missing or null field fails every condition (SQL NULL semantics) except `= null`; `<> null` holds
 *   for any present value;
 * - an array-valued field satisfies a positive condition when any element does; the negative operators
 *   (`<>`, `not_*`, `has_not`) are the negation of their positive one;
 * - numbers compare numerically (a numeric string against a number too), strings by code unit order
 *   (the vendor's datetimes, `2019-11-15 12:57:46 +00:00`, then sort chronologically);
 * - sorting puts missing / null values last in either direction.
 *
 * Regular expressions run on the JavaScript engine, which backtracks where RE2 does not; to keep a
 * posted pattern from stalling the process, patterns over 1000 characters, patterns with constructs RE2
 * rejects (backreferences, lookaround) and patterns that repeat a group holding a repetition or an
 * alternation (`(a+)+`, `(a|ab)*`), which RE2 would accept, are invalid filters. A leading RE2 flag group
 * (`(?i)`, `(?s)`, `(?m)`) becomes the JavaScript flag; `(?P<name>` becomes `(?<name>`.
 */

export const FILTER_OPERATORS = [
  '<',
  '<=',
  '>',
  '>=',
  '=',
  '<>',
  'in',
  'not_in',
  'like',
  'not_like',
  'ilike',
  'not_ilike',
  'match',
  'not_match',
  'regex',
  'not_regex',
  'has',
  'has_not',
] as const;

export type FilterOperator = (typeof FILTER_OPERATORS)[number];
export type FilterScalar = string | number | boolean | null;

/** The most conditions one `filters` value may hold ("8 filters maximum"). */
export const MAX_FILTER_CONDITIONS = 8;
/** The most sorting rules ("no more than three sorting rules"). */
export const MAX_ORDER_RULES = 3;
/** The longest `regex` / `not_regex` pattern. */
export const MAX_REGEX_LENGTH = 1000;
/** Nesting deeper than this is refused (8 conditions need far less; it bounds recursion). */
const MAX_DEPTH = 16;

export interface FilterCondition {
  readonly kind: 'cond';
  /** As posted: `keyword_data.keyword_info.search_volume`. */
  readonly field: string;
  readonly path: readonly string[];
  readonly op: FilterOperator;
  /** A scalar, or an array for `in` / `not_in`. */
  readonly value: FilterScalar | readonly FilterScalar[];
}

export interface FilterGroup {
  readonly kind: 'and' | 'or';
  readonly nodes: readonly FilterNode[];
}

export type FilterNode = FilterCondition | FilterGroup;

export interface OrderRule {
  readonly field: string;
  readonly path: readonly string[];
  readonly direction: 'asc' | 'desc';
}

export type GrammarResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export interface GrammarOptions {
  /** Whether a dotted field may be filtered or sorted on (e.g. from `available_filters`); default: any well-formed path. */
  readonly isField?: (field: string) => boolean;
}

/** Thrown by compileFilter / compileOrder for a value the grammar rejects. */
export class GrammarError extends Error {
  override readonly name = 'GrammarError';
}

const OPERATOR_SET: ReadonlySet<string> = new Set(FILTER_OPERATORS);
const FIELD_RE = /^[A-Za-z0-9_$]+(?:\.[A-Za-z0-9_$]+)*$/;

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/* ------------------------------------------------------------------------ */
/* Parsing                                                                   */
/* ------------------------------------------------------------------------ */

/** Parses a posted `filters` value; null (or an empty array) is no filter. */
export function parseFilters(raw: unknown, options: GrammarOptions = {}): GrammarResult<FilterNode | null> {
  if (raw === undefined || raw === null) return { ok: true, value: null };
  if (!Array.isArray(raw)) return fail('filters must be an array');
  if (raw.length === 0) return { ok: true, value: null };
  const state = { conditions: 0 };
  try {
    return { ok: true, value: parseNode(raw, 0, state, options) };
  } catch (err) {
    if (err instanceof GrammarError) return fail(err.message);
    throw err;
  }
}

function parseNode(x: unknown, depth: number, state: { conditions: number }, options: GrammarOptions): FilterNode {
  if (depth > MAX_DEPTH) throw new GrammarError('filters nested too deeply');
  if (!Array.isArray(x) || x.length === 0) throw new GrammarError('a filter must be a non-empty array');
  if (typeof x[0] === 'string') {
    if (++state.conditions > MAX_FILTER_CONDITIONS) throw new GrammarError(`more than ${MAX_FILTER_CONDITIONS} filter conditions`);
    return parseCondition(x, options);
  }
  if (x.length % 2 === 0) throw new GrammarError('conditions must be joined by "and" / "or"');
  // [n0, op1, n1, op2, n2, …]: "and" binds tighter than "or".
  const ors: FilterNode[][] = [[parseNode(x[0], depth + 1, state, options)]];
  for (let i = 1; i < x.length; i += 2) {
    const op = x[i];
    if (op !== 'and' && op !== 'or') throw new GrammarError(`unknown logical operator ${JSON.stringify(op)}`);
    const node = parseNode(x[i + 1], depth + 1, state, options);
    if (op === 'and') ors[ors.length - 1]!.push(node);
    else ors.push([node]);
  }
  const terms = ors.map((ands): FilterNode => (ands.length === 1 ? ands[0]! : { kind: 'and', nodes: ands }));
  return terms.length === 1 ? terms[0]! : { kind: 'or', nodes: terms };
}

const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

function parseCondition(x: readonly unknown[], options: GrammarOptions): FilterCondition {
  if (x.length !== 3) throw new GrammarError('a condition is [field, operator, value]');
  const [field, op, value] = x as [string, unknown, unknown];
  if (!FIELD_RE.test(field)) throw new GrammarError(`bad field ${JSON.stringify(field)}`);
  if (options.isField && !options.isField(field)) throw new GrammarError(`unknown field ${field}`);
  if (typeof op !== 'string' || !OPERATOR_SET.has(op)) throw new GrammarError(`unknown operator ${JSON.stringify(op)}`);
  const operator = op as FilterOperator;
  const bad = () => new GrammarError(`bad value for ${operator} on ${field}`);
  switch (operator) {
    case '<':
    case '<=':
    case '>':
    case '>=':
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) throw bad();
      break;
    case '=':
    case '<>':
      if (value !== null && !isScalar(value)) throw bad();
      break;
    case 'in':
    case 'not_in':
      if (!Array.isArray(value) || value.length === 0 || !value.every(isScalar)) throw bad();
      break;
    case 'has':
    case 'has_not':
      if (!isScalar(value)) throw bad();
      break;
    case 'like':
    case 'not_like':
    case 'ilike':
    case 'not_ilike':
      if (typeof value !== 'string') throw bad();
      break;
    case 'match':
    case 'not_match':
      if (typeof value !== 'string' || words(value).length === 0) throw bad();
      break;
    case 'regex':
    case 'not_regex':
      if (typeof value !== 'string' || compileRegex(value) === null) throw bad();
      break;
  }
  return {
    kind: 'cond',
    field,
    path: field.split('.'),
    op: operator,
    value: Array.isArray(value) ? Object.freeze([...(value as FilterScalar[])]) : (value as FilterScalar),
  };
}

/** Parses a posted `order_by` value; null (or an empty array) is no sorting. */
export function parseOrderBy(raw: unknown, options: GrammarOptions = {}): GrammarResult<readonly OrderRule[]> {
  if (raw === undefined || raw === null) return { ok: true, value: [] };
  if (!Array.isArray(raw)) return fail('order_by must be an array');
  if (raw.length > MAX_ORDER_RULES) return fail(`more than ${MAX_ORDER_RULES} sorting rules`);
  const rules: OrderRule[] = [];
  for (const r of raw) {
    if (typeof r !== 'string') return fail('a sorting rule is a "field,asc|desc" string');
    const parts = r.split(',');
    if (parts.length !== 2) return fail(`bad sorting rule ${JSON.stringify(r)}`);
    const field = parts[0]!.trim();
    const direction = parts[1]!.trim();
    if (!FIELD_RE.test(field)) return fail(`bad sorting field ${JSON.stringify(field)}`);
    if (options.isField && !options.isField(field)) return fail(`unknown sorting field ${field}`);
    if (direction !== 'asc' && direction !== 'desc') return fail(`bad sorting direction ${JSON.stringify(direction)}`);
    rules.push({ field, path: field.split('.'), direction });
  }
  return { ok: true, value: rules };
}

/* ------------------------------------------------------------------------ */
/* Regular expressions                                                       */
/* ------------------------------------------------------------------------ */

const REGEX_CACHE = new Map<string, RegExp | null>();
const REGEX_CACHE_MAX = 500;

/**
 * A posted RE2 pattern as a JavaScript RegExp, or null when it is too long, invalid, uses a construct
 * RE2 lacks, or repeats a group that itself repeats or alternates (catastrophic backtracking).
 */
export function compileRegex(pattern: string): RegExp | null {
  const hit = REGEX_CACHE.get(pattern);
  if (hit !== undefined) return hit;
  const re = buildRegex(pattern);
  if (REGEX_CACHE.size >= REGEX_CACHE_MAX) REGEX_CACHE.delete(REGEX_CACHE.keys().next().value as string);
  REGEX_CACHE.set(pattern, re);
  return re;
}

function buildRegex(pattern: string): RegExp | null {
  if (pattern.length === 0 || pattern.length > MAX_REGEX_LENGTH) return null;
  let body = pattern;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    if (lead[1]!.includes('U')) return null;
    flags = [...new Set(lead[1]!)].join('');
    body = body.slice(lead[0].length);
  }
  const source = translateRe2(body);
  if (source === null) return null;
  try {
    return new RegExp(source, flags);
  } catch {
    return null;
  }
}

interface GroupFrame {
  /** The group holds a quantifier or an alternation. */
  risky: boolean;
}

/**
 * Rewrites the RE2 constructs JavaScript spells differently and refuses unsafe or non-RE2 ones; null
 * when refused. A small scanner: escapes, classes, groups and quantifiers.
 */
function translateRe2(src: string): string | null {
  let out = '';
  const stack: GroupFrame[] = [{ risky: false }];
  /** What the last atom was: a group (and whether it was risky), something else, or nothing to quantify. */
  let last: 'none' | 'atom' | 'safe-group' | 'risky-group' = 'none';
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === '\\') {
      const d = src[i + 1];
      if (d === undefined) return null;
      if (/[1-9]/.test(d) || d === 'k' || d === 'p' || d === 'P' || d === 'Q' || d === 'E' || d === 'C') return null;
      if (d === 'A') out += '(?<![\\s\\S])';
      else if (d === 'z') out += '(?![\\s\\S])';
      else out += c + d;
      i += 2;
      last = 'atom';
      continue;
    }
    if (c === '[') {
      // A character class, copied to its closing bracket (a leading `]` or `^]` is a literal).
      let j = i + 1;
      if (src[j] === '^') j++;
      if (src[j] === ']') j++;
      while (j < n && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
      if (j >= n) return null;
      out += src.slice(i, j + 1);
      i = j + 1;
      last = 'atom';
      continue;
    }
    if (c === '(') {
      if (src[i + 1] === '?') {
        if (src.startsWith('(?:', i)) {
          out += '(?:';
          i += 3;
        } else if (src.startsWith('(?P<', i)) {
          out += '(?<';
          i += 4;
        } else if (src.startsWith('(?<', i) && src[i + 3] !== '=' && src[i + 3] !== '!') {
          out += '(?<';
          i += 3;
        } else {
          return null; // lookaround or inline flags: RE2 rejects the one, JavaScript the other
        }
      } else {
        out += '(';
        i++;
      }
      stack.push({ risky: false });
      last = 'none';
      continue;
    }
    if (c === ')') {
      if (stack.length === 1) return null;
      const frame = stack.pop()!;
      // A group holding a risky group is risky too: `((a+))+` repeats a repetition.
      if (frame.risky) stack[stack.length - 1]!.risky = true;
      out += ')';
      i++;
      last = frame.risky ? 'risky-group' : 'safe-group';
      continue;
    }
    if (c === '|') {
      stack[stack.length - 1]!.risky = true;
      out += c;
      i++;
      last = 'none';
      continue;
    }
    let quant: { text: string; repeats: boolean } | null = null;
    if (c === '*' || c === '+') quant = { text: c, repeats: true };
    else if (c === '?') quant = { text: c, repeats: false };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i, i + 24));
      if (m) quant = { text: m[0], repeats: m[2] !== undefined ? m[3] === '' || Number(m[3]) > 1 : Number(m[1]) > 1 };
    }
    if (quant) {
      if (last === 'none') return null;
      if (last === 'risky-group' && quant.repeats) return null;
      stack[stack.length - 1]!.risky = true;
      out += quant.text;
      i += quant.text.length;
      if (src[i] === '?') {
        out += '?'; // lazy
        i++;
      }
      last = 'none';
      continue;
    }
    out += c;
    i++;
    last = 'atom';
  }
  if (stack.length !== 1) return null;
  return out;
}

/* ------------------------------------------------------------------------ */
/* Evaluation                                                                */
/* ------------------------------------------------------------------------ */

/** The value at a dotted path of an item, or undefined. */
export function valueAt(item: unknown, path: readonly string[]): unknown {
  let v: unknown = item;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

const NUMERIC_RE = /^\s*-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && NUMERIC_RE.test(v)) return Number(v);
  return null;
}

function equals(a: unknown, b: FilterScalar): boolean {
  if (typeof a === typeof b) return a === b;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = asNumber(a);
    const y = asNumber(b);
    return x !== null && y !== null && x === y;
  }
  return false;
}

/** Negative, zero, positive; or null when the two do not compare. */
function compare(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = asNumber(a);
    const y = asNumber(b);
    return x === null || y === null ? null : x - y;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return null;
}

const WORD_SPLIT = /[^\p{L}\p{N}]+/u;

function words(s: string): string[] {
  return s
    .toLowerCase()
    .split(WORD_SPLIT)
    .filter((w) => w.length > 0);
}

/** A `%` wildcard pattern as a matcher (no regular expression: linear in practice, never catastrophic). */
function likeMatcher(pattern: string, ignoreCase: boolean): (s: string) => boolean {
  const pat = ignoreCase ? pattern.toLowerCase() : pattern;
  const parts = pat.split('%');
  if (parts.length === 1) return (s) => (ignoreCase ? s.toLowerCase() : s) === pat;
  const first = parts[0]!;
  const lastPart = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1).filter((p) => p.length > 0);
  const minLength = parts.reduce((sum, p) => sum + p.length, 0);
  return (raw) => {
    const s = ignoreCase ? raw.toLowerCase() : raw;
    if (s.length < minLength || !s.startsWith(first) || !s.endsWith(lastPart)) return false;
    let at = first.length;
    const end = s.length - lastPart.length;
    for (const p of middle) {
      const k = s.indexOf(p, at);
      if (k < 0 || k + p.length > end) return false;
      at = k + p.length;
    }
    return true;
  };
}

type Test = (v: unknown) => boolean;

/** The positive form of an operator and whether the operator negates it. */
const POSITIVE: Record<FilterOperator, readonly [FilterOperator, boolean]> = {
  '<': ['<', false],
  '<=': ['<=', false],
  '>': ['>', false],
  '>=': ['>=', false],
  '=': ['=', false],
  '<>': ['=', true],
  in: ['in', false],
  not_in: ['in', true],
  like: ['like', false],
  not_like: ['like', true],
  ilike: ['ilike', false],
  not_ilike: ['ilike', true],
  match: ['match', false],
  not_match: ['match', true],
  regex: ['regex', false],
  not_regex: ['regex', true],
  has: ['has', false],
  has_not: ['has', true],
};

/** One element test of a positive operator. */
function elementTest(op: FilterOperator, value: FilterScalar | readonly FilterScalar[]): Test {
  switch (op) {
    case '<':
      return (v) => {
        const r = compare(v, value);
        return r !== null && r < 0;
      };
    case '<=':
      return (v) => {
        const r = compare(v, value);
        return r !== null && r <= 0;
      };
    case '>':
      return (v) => {
        const r = compare(v, value);
        return r !== null && r > 0;
      };
    case '>=':
      return (v) => {
        const r = compare(v, value);
        return r !== null && r >= 0;
      };
    case '=':
    case 'has':
      return (v) => equals(v, value as FilterScalar);
    case 'in': {
      const set = value as readonly FilterScalar[];
      const exact = new Set<unknown>(set);
      return (v) => exact.has(v) || set.some((x) => equals(v, x));
    }
    case 'like':
    case 'ilike': {
      const m = likeMatcher(value as string, op === 'ilike');
      return (v) => typeof v === 'string' && m(v);
    }
    case 'match': {
      const want = words(value as string);
      return (v) => {
        if (typeof v !== 'string') return false;
        const have = new Set(words(v));
        return want.every((w) => have.has(w));
      };
    }
    case 'regex': {
      const re = compileRegex(value as string);
      if (!re) throw new GrammarError('invalid regular expression');
      return (v) => typeof v === 'string' && re.test(v);
    }
    default:
      throw new GrammarError(`not a positive operator: ${op}`);
  }
}

function compileCondition(c: FilterCondition): Test {
  const { path } = c;
  if (c.op === '=' && c.value === null) {
    return (item) => {
      const v = valueAt(item, path);
      return v === undefined || v === null;
    };
  }
  if (c.op === '<>' && c.value === null) {
    return (item) => {
      const v = valueAt(item, path);
      return v !== undefined && v !== null;
    };
  }
  const [positive, negate] = POSITIVE[c.op];
  const test = elementTest(positive, c.value);
  const holds = (v: unknown): boolean => (Array.isArray(v) ? v.some((e) => e !== null && e !== undefined && test(e)) : test(v));
  return (item) => {
    const v = valueAt(item, path);
    if (v === undefined || v === null) return false;
    return negate ? !holds(v) : holds(v);
  };
}

function compileNode(node: FilterNode): Test {
  if (node.kind === 'cond') return compileCondition(node);
  const parts = node.nodes.map(compileNode);
  return node.kind === 'and' ? (item) => parts.every((p) => p(item)) : (item) => parts.some((p) => p(item));
}

const isNode = (x: unknown): x is FilterNode =>
  x !== null && typeof x === 'object' && !Array.isArray(x) && ['cond', 'and', 'or'].includes((x as { kind?: string }).kind ?? '');

/**
 * A predicate over result items for a `filters` value: as posted (validated here; a GrammarError when
 * the grammar rejects it), or parsed by parseFilters. No filter (null, undefined, []) keeps every item.
 */
export function compileFilter(filters: unknown): (item: Record<string, unknown>) => boolean {
  let node: FilterNode | null;
  if (isNode(filters)) node = filters;
  else {
    const parsed = parseFilters(filters);
    if (!parsed.ok) throw new GrammarError(parsed.reason);
    node = parsed.value;
  }
  if (node === null) return () => true;
  return compileNode(node);
}

/** Type order for values of different kinds under one sorting rule. */
function rank(v: unknown): number {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? 0 : 3;
    case 'string':
      return 1;
    case 'boolean':
      return 2;
    default:
      return 3; // missing, null, arrays, objects: last
  }
}

function compareForSort(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb || ra === 3) return ra - rb;
  return compare(a, b) ?? 0;
}

/**
 * A comparator for an `order_by` value (as posted, or parsed by parseOrderBy): rules in order, missing
 * or null values last in either direction, ties 0 (Array.prototype.sort is stable).
 */
export function compileOrder(orderBy: unknown): (a: Record<string, unknown>, b: Record<string, unknown>) => number {
  let rules: readonly OrderRule[];
  if (Array.isArray(orderBy) && orderBy.every((r) => r !== null && typeof r === 'object' && 'direction' in r)) {
    rules = orderBy as OrderRule[];
  } else {
    const parsed = parseOrderBy(orderBy);
    if (!parsed.ok) throw new GrammarError(parsed.reason);
    rules = parsed.value;
  }
  if (rules.length === 0) return () => 0;
  return (a, b) => {
    for (const r of rules) {
      const va = valueAt(a, r.path);
      const vb = valueAt(b, r.path);
      const missingA = rank(va) === 3;
      const missingB = rank(vb) === 3;
      if (missingA || missingB) {
        if (missingA !== missingB) return missingA ? 1 : -1;
        continue;
      }
      const c = compareForSort(va, vb);
      if (c !== 0) return r.direction === 'desc' ? -c : c;
    }
    return 0;
  };
}
