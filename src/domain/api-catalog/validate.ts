/**
 * Validation of one task object of a POST body against an endpoint's request rules (types.ts,
 * `RequestRules`), answered the way the vendor answers, and the `data` echo of the task.
 *
 * Mirrors the SERP parser (src/domain/task-request.ts) where the catalog allows it:
 * - unknown keys are ignored and not echoed; a null value counts as not given;
 * - a task that is not an object is read as an empty object: 40501 on the first required field (or
 *   required one-of group); when the endpoint requires nothing, 40503 `POST Data Is Invalid.`;
 * - a required field that is missing, null, blank or an empty array, or a required one-of group with
 *   none of its fields given → 40501 `Invalid Field: '<field>'.` (a group: its first field);
 * - a value of the wrong JSON type, outside the documented values (`enum`), outside [min, max], an
 *   array longer than maxItems, a string (or an array's string item) longer than maxLength → 40501
 *   naming the field; integers and numbers may be posted as numeric strings (the vendor accepts them,
 *   PHP clients send them) and are echoed as posted;
 * - `postback_url` / `pingback_url` must be http(s) URLs (`$id`, `$tag` allowed), and a conditional
 *   `postback_data` is required with a `postback_url`, as in SERP;
 * - `filters` (and `*_filters`) fields follow the filter grammar, `order_by` the sorting grammar
 *   (filters.ts) → else 40501 on that field.
 * Fields are checked in the order the rules list them (the vendor's documented order); the first
 * failure is reported. A required one-of group is checked at the place of its first listed field.
 *
 * The `data` echo (SPEC §1.5 for SERP; the vendor's documented examples for the other APIs):
 * `{api, function, se?, se_type?}` (echoBase) then the posted fields of the rules, in posted order.
 * The vendor's examples of non-SERP calls echo only what was posted, no documented default (Labs
 * keyword_ideas with `limit` 3 shows no `offset`; Keywords Data search_volume shows no `sort_by`
 * or `search_partners`; Backlinks, Domain Analytics whois, AI Optimization likewise), while SERP and
 * Merchant tasks also carry the `device` and `os` the server filled in. So by default (`defaults:
 * 'vendor'`) data adds the documented defaults of `device` and `os` for SERP, Merchant, App Data and
 * Business Data, and nothing else; `'all'` adds every documented default, `'none'` none. `params`
 * (success only) is the effective task: posted values (numeric strings as numbers) plus every
 * documented default, which is what a generator needs (`limit`, `offset`, …).
 */

import { STATUS, invalidFieldMessage } from '../status-codes.js';
import { parseFilters, parseOrderBy } from './filters.js';
import type { ApiName, Endpoint, FieldRule, JsonType, OneOfGroup } from './types.js';

export type TaskCheck =
  | { readonly ok: true; readonly data: Record<string, unknown>; readonly params: Record<string, unknown> }
  | { readonly ok: false; readonly code: number; readonly message: string; readonly data: Record<string, unknown> };

export interface CheckOptions {
  /** Which documented defaults of omitted fields `data` echoes (see the module comment); default 'vendor'. */
  readonly defaults?: 'vendor' | 'all' | 'none';
  /**
   * Whether a dotted field may be used in a filter or sorting rule of `param` (`filters`, `order_by`,
   * `backlinks_filters`, …), e.g. from the endpoint's `available_filters`; the vendor answers 40501 on
   * the parameter for a field it does not know. Default: any well-formed path.
   */
  readonly isFilterField?: (param: string, field: string) => boolean;
}

/* ------------------------------------------------------------------------ */
/* The data echo's head                                                      */
/* ------------------------------------------------------------------------ */

/** APIs whose tasks echo the server-filled `device` / `os` (SERP §1.5; the vendor's Merchant examples). */
const DEVICE_OS_APIS: ReadonlySet<ApiName> = new Set(['serp', 'merchant', 'app_data', 'business_data']);
const VENDOR_DEFAULTS: ReadonlySet<string> = new Set(['device', 'os']);

/**
 * Groups under an API that are not engines and are not echoed as `se`: the vendor's examples show
 * `domain_analytics/whois/overview` with no `se` (while `domain_analytics/technologies/…` has
 * `se: "technologies"`) and `ai_optimization/ai_keyword_data/keywords_search_volume` with none;
 * `llm_mentions` is the same kind of sub-API as `ai_keyword_data` (not an LLM like `chat_gpt`).
 */
const NOT_AN_ENGINE: ReadonlySet<string> = new Set([
  'domain_analytics/whois',
  'ai_optimization/ai_keyword_data',
  'ai_optimization/llm_mentions',
]);

/** What the call does, as `function` names it where the path has no function of its own. */
function modeOf(e: Endpoint): string {
  if (e.kind === 'reference' || e.kind === 'action') return e.ref ?? e.kind;
  return e.kind;
}

/**
 * The head of a task's `data` echo for an endpoint: `api`, `function` and, where the vendor echoes
 * them, `se` / `se_type`. From the vendor's documented responses:
 * - SERP `serp/{se}/{se_type}`: `{api:"serp", function:"task_post"|"live"|…, se, se_type}` (SPEC §1.5);
 * - Keywords Data `keywords_data/{se}/{fn}`: `{function: fn, se}` (`search_volume` / `google_ads`,
 *   `explore` / `google_trends`, `keywords_for_keywords` / `google`), no `se_type`;
 * - DataForSEO Labs `dataforseo_labs/{se}/{fn}`: `{function: fn, se_type: se}` (`keyword_ideas` /
 *   `google`, `bulk_search_volume` / `amazon`), no `se`;
 * - Merchant, App Data, Business Data `{api}/{se}/{fn}`: `{function: fn, se, se_type: fn}` (Merchant
 *   `reviews` / `amazon` / `reviews`; Business Data `reviews` / `trustpilot` / `reviews`);
 * - Domain Analytics, AI Optimization `{api}/{group}/{fn}`: `{function: fn, se: group}` where the group
 *   is an engine (`technologies`, `chat_gpt`), `{function: fn}` otherwise (NOT_AN_ENGINE);
 * - Backlinks, Content Analysis, Content Generation, On-Page `{api}/{fn}`: `{function: fn}`
 *   (`summary`, `referring_domains`, `instant_pages`); On-Page's crawl task: `{function: "task_post"}`,
 *   its functions (`on_page/pages`, …) their name;
 * - id_list, errors and actions: `{function: "id_list"|"errors"|"webhook_resend"|"force_stop"}`.
 * `function` is the type's function for every API but SERP (the Merchant task_post example says
 * `"function": "reviews"`), the call itself for SERP.
 */
export function echoBase(e: Endpoint): Record<string, string> {
  const api = e.api;
  if (e.kind === 'id_list' || e.kind === 'errors' || e.kind === 'action') return { api, function: modeOf(e) };
  const type = e.type ?? e.path.split('/{')[0]!;
  const segs = type.split('/');
  if (api === 'serp') {
    if (segs.length === 3) return { api, function: modeOf(e), se: segs[1]!, se_type: segs[2]! };
    return { api, function: segs.length > 1 ? segs[segs.length - 1]! : modeOf(e) };
  }
  if (segs.length === 1) return { api, function: e.fn ?? modeOf(e) };
  const fn = segs[segs.length - 1]!;
  const out: Record<string, string> = { api, function: fn };
  if (segs.length >= 3) {
    const group = segs[1]!;
    if (api === 'dataforseo_labs') out.se_type = group;
    else if (api === 'merchant' || api === 'app_data' || api === 'business_data') {
      out.se = group;
      out.se_type = fn;
    } else if (!NOT_AN_ENGINE.has(`${api}/${group}`)) out.se = group;
  }
  return out;
}

/* ------------------------------------------------------------------------ */
/* Compiled rules                                                            */
/* ------------------------------------------------------------------------ */

/** A field's checker: the effective value (numbers for numeric strings), or BAD. */
const BAD: unique symbol = Symbol('bad');
type Checker = (v: unknown, options: CheckOptions) => unknown;

interface FieldCheck {
  readonly name: string;
  readonly required: boolean;
  readonly check: Checker;
}

interface Compiled {
  readonly base: Readonly<Record<string, string>>;
  readonly byName: ReadonlyMap<string, FieldCheck>;
  /** Fields in rule order, each with the required one-of groups anchored at it. */
  readonly order: readonly { readonly field: FieldCheck; readonly groups: readonly OneOfGroup[] }[];
  /** Required groups none of whose fields is in the rules. */
  readonly trailingGroups: readonly OneOfGroup[];
  /** Documented defaults: every one, and the ones the vendor echoes. */
  readonly defaults: readonly (readonly [string, unknown])[];
  readonly vendorDefaults: readonly (readonly [string, unknown])[];
  readonly conditionalPostbackData: boolean;
  readonly requiresSomething: boolean;
  /** The `os` a defaulted os becomes with a posted non-desktop `device` (its default, `windows`, is a desktop os). */
  readonly mobileOs: string | null;
}

const cache = new WeakMap<Endpoint, Compiled>();

const INTEGER_RE = /^-?\d{1,15}$/;
const NUMBER_RE = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const MAX_URL_LENGTH = 2048;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A scalar of a JSON type, coerced (numeric strings for numbers), or BAD. */
function scalarOf(type: JsonType, v: unknown): unknown {
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : BAD;
    case 'integer':
      if (typeof v === 'number') return Number.isInteger(v) ? v : BAD;
      return typeof v === 'string' && INTEGER_RE.test(v.trim()) ? Number(v.trim()) : BAD;
    case 'number':
      if (typeof v === 'number') return Number.isFinite(v) ? v : BAD;
      return typeof v === 'string' && NUMBER_RE.test(v.trim()) ? Number(v.trim()) : BAD;
    case 'boolean':
      return typeof v === 'boolean' ? v : BAD;
    case 'object':
      return isPlainObject(v) ? v : BAD;
    case 'array':
      return Array.isArray(v) ? v : BAD;
    case 'any':
      return v;
  }
}

function isWebhookUrl(v: unknown): boolean {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_URL_LENGTH) return false;
  try {
    const u = new URL(v.replace(/\$id/g, 'id').replace(/\$tag/g, 'tag'));
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

const isFilterParam = (r: FieldRule) => r.type === 'array' && (r.name === 'filters' || r.name.endsWith('_filters'));
const isOrderParam = (r: FieldRule) => r.type === 'array' && r.name === 'order_by';

function compileField(r: FieldRule): Checker {
  const name = r.name;
  if (isFilterParam(r)) {
    return (v, o) => {
      const isField = o.isFilterField;
      const parsed = parseFilters(v, isField ? { isField: (f) => isField(name, f) } : {});
      return parsed.ok ? v : BAD;
    };
  }
  if (isOrderParam(r)) {
    return (v, o) => {
      if (Array.isArray(v) && r.maxItems !== undefined && v.length > r.maxItems) return BAD;
      const isField = o.isFilterField;
      const parsed = parseOrderBy(v, isField ? { isField: (f) => isField(name, f) } : {});
      return parsed.ok ? v : BAD;
    };
  }
  if (name === 'postback_url' || name === 'pingback_url') return (v) => (isWebhookUrl(v) ? v : BAD);
  const values = r.enum ? new Set<unknown>(r.enum) : null;
  const { min, max, maxLength } = r;
  const scalar = (type: JsonType, v: unknown): unknown => {
    const x = scalarOf(type, v);
    if (x === BAD) return BAD;
    if (typeof x === 'number' && ((min !== undefined && x < min) || (max !== undefined && x > max))) return BAD;
    if (typeof x === 'string' && maxLength !== undefined && x.length > maxLength) return BAD;
    if (values && (typeof x === 'string' || typeof x === 'number') && !values.has(x)) return BAD;
    return x;
  };
  if (r.type !== 'array') return (v) => scalar(r.type, v);
  const items = r.items ?? 'any';
  const maxItems = r.maxItems;
  return (v) => {
    if (!Array.isArray(v)) return BAD;
    if (maxItems !== undefined && v.length > maxItems) return BAD;
    if (items === 'any' && !values && maxLength === undefined) return v;
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const x = scalar(items, v[i]);
      if (x === BAD) return BAD;
      if (x !== v[i]) (out ??= v.slice())[i] = x;
    }
    return out ?? v;
  };
}

function compile(e: Endpoint): Compiled {
  const rules = e.request ?? { fields: [], oneOf: [] };
  const byName = new Map<string, FieldCheck>();
  const index = new Map<string, number>();
  const order: { field: FieldCheck; groups: OneOfGroup[] }[] = [];
  for (const r of rules.fields) {
    if (byName.has(r.name)) continue;
    const fc: FieldCheck = { name: r.name, required: r.required === true, check: compileField(r) };
    byName.set(r.name, fc);
    index.set(r.name, order.length);
    order.push({ field: fc, groups: [] });
  }
  const trailingGroups: OneOfGroup[] = [];
  for (const g of rules.oneOf) {
    if (!g.required || g.fields.length === 0) continue;
    let at = -1;
    for (const f of g.fields) {
      const k = index.get(f);
      if (k !== undefined && (at < 0 || k < at)) at = k;
    }
    if (at < 0) trailingGroups.push(g);
    else order[at]!.groups.push(g);
  }
  const defaults: (readonly [string, unknown])[] = [];
  for (const r of rules.fields) {
    if (r.default === undefined || defaults.some(([n]) => n === r.name)) continue;
    // A documented default the grammar rejects (a misread sorting rule) is no default.
    if (isOrderParam(r) && !parseOrderBy(r.default).ok) continue;
    if (isFilterParam(r) && !parseFilters(r.default).ok) continue;
    defaults.push([r.name, r.default]);
  }
  const vendorDefaults = DEVICE_OS_APIS.has(e.api) ? defaults.filter(([n]) => VENDOR_DEFAULTS.has(n)) : [];
  const postbackData = rules.fields.find((r) => r.name === 'postback_data');
  const osEnum = rules.fields.find((r) => r.name === 'os')?.enum ?? [];
  return {
    base: Object.freeze(echoBase(e)),
    byName,
    order,
    trailingGroups,
    defaults,
    vendorDefaults,
    conditionalPostbackData: postbackData !== undefined && byName.has('postback_url'),
    requiresSomething: order.some((o) => o.field.required || o.groups.length > 0) || trailingGroups.length > 0,
    mobileOs: osEnum.includes('android') ? 'android' : null,
  };
}

function compiledOf(e: Endpoint): Compiled {
  let c = cache.get(e);
  if (!c) {
    c = compile(e);
    cache.set(e, c);
  }
  return c;
}

/* ------------------------------------------------------------------------ */
/* Checking                                                                  */
/* ------------------------------------------------------------------------ */

/** Given, for a required field or a one-of group: present, not blank, not an empty array (as SERP). */
function given(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim().length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

const copy = (v: unknown): unknown => (Array.isArray(v) ? [...(v as unknown[])] : v);

/**
 * Checks one posted task object against the endpoint's request rules; see the module comment. Rules
 * are compiled once per Endpoint object.
 */
export function checkTask(endpoint: Endpoint, task: unknown, options: CheckOptions = {}): TaskCheck {
  const c = compiledOf(endpoint);
  const data: Record<string, unknown> = { ...c.base };
  const t = isPlainObject(task) ? task : null;
  const posted: Record<string, unknown> = {};
  if (t) {
    for (const key of Object.keys(t)) {
      const v = t[key];
      if (v !== undefined && v !== null && c.byName.has(key)) {
        data[key] = v;
        posted[key] = v;
      }
    }
  }
  const fail = (field: string): TaskCheck => ({
    ok: false,
    code: STATUS.INVALID_FIELD.code,
    message: invalidFieldMessage(field),
    data,
  });
  if (!t && !c.requiresSomething) {
    return { ok: false, code: STATUS.POST_DATA_INVALID.code, message: STATUS.POST_DATA_INVALID.message, data };
  }

  const params: Record<string, unknown> = {};
  for (const { field, groups } of c.order) {
    for (const g of groups) if (!g.fields.some((f) => given(posted[f]))) return fail(g.fields[0]!);
    const v = posted[field.name];
    if (v === undefined) {
      if (field.required) return fail(field.name);
      continue;
    }
    if (field.required && !given(v)) return fail(field.name);
    const x = field.check(v, options);
    if (x === BAD) return fail(field.name);
    params[field.name] = x;
  }
  // Groups of fields the rules do not list (none today): read from the task as posted.
  for (const g of c.trailingGroups) if (!g.fields.some((f) => given(t?.[f]))) return fail(g.fields[0]!);
  if (c.conditionalPostbackData && posted.postback_url !== undefined && posted.postback_data === undefined) return fail('postback_data');

  const echo = options.defaults === 'all' ? c.defaults : options.defaults === 'none' ? [] : c.vendorDefaults;
  const effective: Record<string, unknown> = {};
  for (const [name, value] of c.defaults) effective[name] = copy(value);
  // A posted mobile or tablet device with no os: the documented default os (windows) would not fit it.
  const mobile = params.device !== undefined && params.device !== 'desktop' && posted.os === undefined && effective.os !== undefined;
  if (mobile) {
    if (c.mobileOs) effective.os = c.mobileOs;
    else delete effective.os;
  }
  for (const [name] of echo) if (posted[name] === undefined && effective[name] !== undefined) data[name] = copy(effective[name]);
  return { ok: true, data, params: Object.assign(effective, params) };
}
