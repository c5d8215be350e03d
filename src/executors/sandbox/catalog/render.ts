// The sandbox's result for any endpoint of the API catalog (every API but SERP's task results, which
// the SERP renderers draw): deterministic (seeded by the endpoint's type and the request's canonical
// JSON, paging fields apart), valid against the endpoint's result schema, and plausible by field name
// and meaning, with the metrics of keywords and domains seeded by the subject (subjects.ts) so that
// endpoints agree about the same keyword or target.
//
// Each endpoint compiles once (cached per endpoint; the schema generators per API and schema name in
// walk.ts); a render then runs closures: the result object's fields, and its item list (lists.ts).

import type { ApiCatalog, Endpoint, SchemaNode } from '../../../domain/api-catalog/index.js';
import type { CrawlState } from '../../../domain/crawl.js';
import { createRng, deriveSeed } from '../prng.js';
import { keywordCandidate, topicsOf } from './candidates.js';
import { CatCtx, normalizeRequest, requestFields, rootState, type St } from './context.js';
import type { Gen } from './access.js';
import type { Item } from './filters-adapter.js';
import { planList, renderList, type ListResult, type ListSpec } from './lists.js';
import { objectPrep } from './shapes.js';
import { keywordFacts } from './subjects.js';
import { compilerOf, type Compiler } from './walk.js';

export interface RenderOptions {
  /** When the task ran: `yyyy-mm-dd hh:mm:ss +00:00`; no date in the result is later (but expirations). */
  readonly datetime: string;
  /** An On-Page crawl's state (its functions' results follow it); not part of the seed. */
  readonly crawl?: CrawlState;
}

type Props = Readonly<Record<string, SchemaNode>>;
type Render = (c: CatCtx) => unknown[];

/** Result fields that describe the item list; filled from it. */
const LIST_FIELDS = new Set([
  'items',
  'items_count',
  'total_count',
  'total_items_count',
  'offset',
  'current_offset',
  'offset_token',
  'search_after_token',
  'count',
  'item_types',
]);

/** Rows of Keywords Data results that list keywords around seeds rather than the request's keywords. */
const MAX_ROWS = 700;

const compiled = new WeakMap<Endpoint, Render>();

/**
 * The `result` array of a task of `endpoint` for the posted `params` (one task object's fields):
 * usually one result object; one per keyword for Keywords Data's per-keyword results; null when the
 * endpoint's result is always null.
 */
export function renderEndpointResult(
  api: ApiCatalog,
  endpoint: Endpoint,
  params: Record<string, unknown>,
  opts: RenderOptions,
): unknown[] | null {
  if (endpoint.result === null) return null;
  let render = compiled.get(endpoint);
  if (!render) compiled.set(endpoint, (render = compileEndpoint(api, endpoint, endpoint.result)));
  const c = new CatCtx(api, endpoint, normalizeRequest(api, endpoint, params ?? {}), opts.datetime, opts.crawl ?? null);
  return render(c);
}

function compileEndpoint(api: ApiCatalog, endpoint: Endpoint, node: SchemaNode): Render {
  const cmp = compilerOf(api);
  const props = cmp.propsOf(node);
  if (props === null) {
    if (node.t === 'any') return (c) => [lighthouse(c)];
    const g = cmp.value('', node, endpoint.path);
    return (c) => [g(c, 0, rootState())];
  }
  const fields = requestFields(api, endpoint);
  const items = props.items;
  const list = items?.t === 'array' ? planList(cmp, endpoint.path, fields, items.i) : null;
  const one = compileObject(cmp, endpoint, props, list);
  const hasKeywords = fields.some((f) => f.name === 'keywords' && f.type === 'array');
  if (list === null && props.keyword?.t === 'string' && (hasKeywords || /keywords_for_/.test(endpoint.path))) {
    return (c) => rows(c, one, /keywords_for_/.test(endpoint.path));
  }
  return (c) => [one(c, resultState(c))];
}

function resultState(c: CatCtx): St {
  const st = rootState();
  st.kw = c.req.keyword ?? c.req.keywords[0] ?? null;
  st.dom = c.req.target ?? (c.req.targets.length === 1 ? c.req.targets[0]! : null);
  return st;
}

/** The result object: its own fields, and the list fields from the rendered list. */
function compileObject(cmp: Compiler, endpoint: Endpoint, props: Props, list: ListSpec | null): (c: CatCtx, st: St) => Item {
  const keys = Object.keys(props);
  const owner = endpoint.path;
  const tail = (endpoint.type ?? endpoint.path).split('/').pop()!;
  const gens: Array<Gen | null> = keys.map((k) => {
    if (list !== null && LIST_FIELDS.has(k)) return null;
    if (k === 'type' && props[k]!.t === 'string') return (c) => (typeof c.req.params.type === 'string' ? c.req.params.type : tail);
    return cmp.value(k, props[k]!, owner);
  });
  const prep = objectPrep(props);
  return (c, st) => {
    if (prep !== null) st.pre = Object.assign(prep(c, st), st.pre);
    const lr: ListResult | null = list !== null ? renderList(c, list, st) : null;
    const o: Item = {};
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const g = gens[i];
      if (g) o[k] = g(c, 0, st);
      else if (lr !== null) o[k] = asType(props[k]!, listField(k, lr));
    }
    return o;
  };
}

/** A list value in the field's declared type (the vendor types `offset` as a string in one place). */
function asType(node: SchemaNode, v: unknown): unknown {
  if (typeof v === 'number' && node.t === 'string') return String(v);
  if (node.t === 'any' && v === null) return null;
  return v;
}

function listField(k: string, lr: ListResult): unknown {
  switch (k) {
    case 'items':
      return lr.items;
    case 'items_count':
    case 'count':
      return lr.items.length;
    case 'total_count':
    case 'total_items_count':
      return lr.total;
    case 'offset':
    case 'current_offset':
      return lr.offset;
    case 'offset_token':
    case 'search_after_token':
      return lr.next;
    case 'item_types': {
      const seen: string[] = [];
      for (const it of lr.items) if (typeof it.type === 'string' && !seen.includes(it.type)) seen.push(it.type);
      return seen;
    }
    default:
      return null;
  }
}

/**
 * Keywords Data results listing keywords: one row per requested keyword, in order; or (keywords_for_*)
 * rows of keywords around the request's keywords or target's topics, ordered as `sort_by` asks.
 */
function rows(c: CatCtx, one: (c: CatCtx, st: St) => Item, expand: boolean): Item[] {
  let kws: string[];
  if (!expand) kws = c.req.keywords.length > 0 ? c.req.keywords.slice() : c.req.keyword !== null ? [c.req.keyword] : [c.req.topic];
  else {
    const seeds = c.req.keywords.length > 0 ? c.req.keywords.slice(0, 20) : topicsOf(c.req.target ?? c.req.topic);
    let n = 0;
    for (const s of seeds.slice(0, 5)) n += 20 + (keywordFacts(s, c.req.locationCode).seed % 150);
    n = Math.min(MAX_ROWS, n);
    kws = [];
    for (let i = 0; i < n; i++) kws.push(keywordCandidate(seeds, i, true));
  }
  const base = c.rng;
  const out: Item[] = kws.map((kw, i) => {
    c.rng = createRng(deriveSeed(c.seed, i));
    c.setTopic(kw);
    const st = rootState();
    st.kw = kw;
    st.idx = i;
    st.dom = c.req.target;
    return one(c, st);
  });
  c.rng = base;
  c.setTopic(c.req.topic);
  const by = c.req.params.sort_by;
  if (expand && typeof by === 'string' && by !== 'relevance') {
    const key = by === 'competition_index' || by === 'low_top_of_page_bid' || by === 'high_top_of_page_bid' ? by : 'search_volume';
    const num = (x: Item): number => (typeof x[key] === 'number' ? (x[key] as number) : -1);
    out.sort((a, b) => num(b) - num(a));
  }
  return out;
}

/** A Lighthouse report (the vendor passes Lighthouse's JSON through; its schema is `any`). */
function lighthouse(c: CatCtx): Item {
  const url = typeof c.req.params.url === 'string' ? c.req.params.url : `https://${c.req.target ?? 'example.com'}/`;
  const score = (): number => Math.round((0.5 + c.rng.next() * 0.5) * 100) / 100;
  return {
    lighthouseVersion: '12.4.0',
    requestedUrl: url,
    finalUrl: url,
    fetchTime: c.datetime.replace(' +00:00', '').replace(' ', 'T') + '.000Z',
    userAgent: 'Mozilla/5.0 (compatible; RSiteAuditor)',
    categories: {
      performance: { id: 'performance', title: 'Performance', score: score() },
      accessibility: { id: 'accessibility', title: 'Accessibility', score: score() },
      'best-practices': { id: 'best-practices', title: 'Best Practices', score: score() },
      seo: { id: 'seo', title: 'SEO', score: score() },
    },
    audits: {
      'first-contentful-paint': {
        id: 'first-contentful-paint',
        score: score(),
        numericValue: c.rng.int(600, 3500),
        numericUnit: 'millisecond',
      },
      'largest-contentful-paint': {
        id: 'largest-contentful-paint',
        score: score(),
        numericValue: c.rng.int(1200, 6000),
        numericUnit: 'millisecond',
      },
      'cumulative-layout-shift': {
        id: 'cumulative-layout-shift',
        score: score(),
        numericValue: Math.round(c.rng.next() * 300) / 1000,
        numericUnit: 'unitless',
      },
    },
  };
}
