// Schema-driven synthetic SERPs for every SERP type without a hand-written renderer. The shape comes
// from the generated RESULT_SCHEMAS/NAMED_SCHEMAS (the vendor's OpenAPI structure); the values come
// from field-name heuristics and small word lists, seeded from the task parameters so the same task
// always renders the same SERP. Each schema key is compiled once into closures (cached), so a render
// only walks precomputed generator functions.
// This module compiles a result key and renders it; the parts are in the schema-faker-*.ts modules.

import { escapeHtml } from './html.js';
import { createRng, deriveSeed, hashString } from './prng.js';
import type { SerpRenderInput } from './render-input.js';
import { NAMED_SCHEMAS, RESULT_SCHEMAS, type SchemaNode } from './schema-data.js';
import { MAX_ITEMS, emptyState, type Ctx, type Gen, type ObjGen, type ObjState } from './schema-faker-model.js';
import { PLANS } from './schema-faker-plans.js';
import { coreOf, imageUrl, pageUrl, parseDatetime, round, sentence, slugify, title, titleCase, videoIdOf } from './schema-faker-values.js';
import { compileValue, named, tagForName } from './schema-faker-walk.js';
import { GEO, TOPICS } from './schema-faker-words.js';
import { encode, encodePath } from './serp-text.js';

interface CompiledResult {
  readonly gen: (input: SerpRenderInput) => Record<string, unknown>;
  readonly main: string | null;
}

const resultCache = new Map<string, CompiledResult | null>();

/** The main item type chosen for a schema key (null for html or item-less results). For reports/tests. */
export function mainItemType(key: string): string | null {
  return compileResult(key)?.main ?? null;
}

/** Compiles a result key once (cached, null too): later renders only run the generators. */
function compileResult(key: string): CompiledResult | null {
  if (resultCache.has(key)) return resultCache.get(key)!;
  const node = RESULT_SCHEMAS[key];
  let out: CompiledResult | null = null;
  if (node) {
    const obj = node.t === 'ref' ? NAMED_SCHEMAS[node.n] : node;
    if (!obj || obj.t !== 'object') throw new Error(`schema-faker: result schema ${key} is not an object`);
    out = buildResult(key, obj.p);
  }
  resultCache.set(key, out);
  return out;
}

/**
 * The generator of a whole result object. A few result-level fields are fixed here (type, echoed
 * ids, no spell or chips); items, items_count and item_types are filled from the rendered items.
 */
function buildResult(key: string, props: Readonly<Record<string, SchemaNode>>): CompiledResult {
  const [se, seType, fn] = key.split('/') as [string, string, string];
  const keys = Object.keys(props);
  const itemsNode = props.items;
  const itemsGen = fn === 'html' ? null : itemsNode?.t === 'array' ? compileTopItems(`${se}/${seType}`, itemsNode.i) : null;
  const gens: Array<Gen | null> = keys.map((k) => {
    if (k === 'items' || k === 'items_count' || k === 'item_types') return null;
    if (k === 'type') return () => seType;
    if (k === 'spell' || k === 'refinement_chips') return () => null;
    if (k === 'image_url') return (c) => (typeof c.input.params.image_url === 'string' ? c.input.params.image_url : imageUrl(c));
    if (k === 'video_id') return (c) => videoIdOf(c);
    if (k === 'title') return (c) => title(c);
    if (k === 'includes_non_news_search_results' || k === 'unsupported_language') return () => false;
    if (k === 'category') return (c) => titleCase(c.rng.pick(TOPICS));
    return compileValue(k, props[k]!, key);
  });
  const gen = (input: SerpRenderInput): Record<string, unknown> => {
    const c = makeCtx(input);
    const baseRng = c.rng;
    const top: ObjState = emptyState(null);
    const o: Record<string, unknown> = {};
    let items: Array<Record<string, unknown> | null> | null = null;
    if (fn === 'html') items = [{ page: 1, date: input.datetime, html: renderHtml(c) }];
    else if (itemsGen) items = itemsGen(c);
    // Items switched c.rng to their own seeds; result-level fields continue on the base generator.
    c.rng = baseRng;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const g = gens[i];
      if (g) {
        o[k] = g(c, 1, top);
      } else if (k === 'items') o[k] = items;
      else if (k === 'items_count') o[k] = items ? items.length : 0;
      else if (k === 'item_types') {
        const seen: string[] = [];
        for (const it of items ?? []) {
          const t = it?.type;
          if (typeof t === 'string' && !seen.includes(t)) seen.push(t);
        }
        o[k] = seen;
      }
    }
    // Counts that must agree with the items listed.
    if ('comments_count' in o && items) o.comments_count = Math.max(items.length, (o.comments_count as number) * 50);
    if ('subtitles_count' in o && items) o.subtitles_count = items.length;
    return o;
  };
  const plan = PLANS[`${se}/${seType}`];
  let main: string | null = null;
  if (fn !== 'html' && itemsNode?.t === 'array') {
    const i = itemsNode.i;
    main = i.t === 'ref' && NAMED_SCHEMAS[i.n]?.t !== 'union' ? tagForName(i.n) : (plan?.main ?? null);
  }
  return { gen, main };
}

/**
 * The top-level items: the plan's main type `depth` times with a few extras inserted (ads first),
 * or the plan's fixed sequence; each item renders from its own sub-seed of one seed per render.
 */
function compileTopItems(seKey: string, item: SchemaNode): (c: Ctx) => Array<Record<string, unknown> | null> {
  const plan = PLANS[seKey];
  const isUnion = item.t === 'ref' && NAMED_SCHEMAS[item.n]?.t === 'union';
  let genFor: (tag: string) => ObjGen;
  let main: string;
  let extras: string[] = [];
  let fixed: readonly string[] | null = null;
  if (isUnion) {
    const m = (NAMED_SCHEMAS[(item as { n: string }).n] as { m: Readonly<Record<string, string>> }).m;
    const tags = Object.keys(m);
    main = plan && m[plan.main] ? plan.main : tags[0]!;
    extras = (plan?.extras ?? tags.filter((t) => t !== main).slice(0, 6)).filter((t) => m[t] !== undefined && t !== main);
    fixed = plan?.fixed ? plan.fixed.filter((t) => m[t] !== undefined) : null;
    const cache = new Map<string, ObjGen>();
    genFor = (t) => {
      let g = cache.get(t);
      if (!g) cache.set(t, (g = named(m[t]!, t)));
      return g;
    };
  } else if (item.t === 'ref') {
    main = tagForName(item.n);
    const g = named(item.n, null);
    genFor = () => g;
  } else {
    const g = compileValue('items', { t: 'array', i: item });
    return (c) => (g(c, 1, emptyState(null)) as Array<Record<string, unknown> | null>) ?? [];
  }
  const fixedCount = plan?.count;
  return (c) => {
    const seed = c.rng.int(0, 0x7fffffff);
    let plan: string[];
    if (fixed) plan = [...fixed];
    else {
      const count = fixedCount ?? Math.min(MAX_ITEMS, Math.max(1, c.input.depth | 0));
      plan = new Array<string>(count).fill(main);
      if (extras.length > 0 && fixedCount === undefined) {
        const picked = c.rng.sample(extras, Math.min(extras.length, c.rng.int(2, 4)));
        for (const t of picked) {
          if (plan.length >= MAX_ITEMS) break;
          const at = c.rng.int(1, plan.length);
          plan.splice(t === 'paid' ? 0 : at, 0, t);
        }
      }
    }
    const groups = new Map<string, number>();
    const out: Array<Record<string, unknown> | null> = new Array(plan.length);
    for (let i = 0; i < plan.length; i++) {
      const t = plan[i]!;
      const g = (groups.get(t) ?? 0) + 1;
      groups.set(t, g);
      c.rng = createRng(deriveSeed(seed, i));
      out[i] = genFor(t)(c, 1, { abs: i + 1, group: g }, true);
    }
    return out;
  };
}

/** task_get/html of a schema-rendered type: a plain results page of up to ten links. */
function renderHtml(c: Ctx): string {
  const kw = escapeHtml(c.kw);
  const n = Math.min(10, Math.max(1, c.input.depth | 0));
  let body = '';
  for (let i = 0; i < n; i++) {
    const st = emptyState('organic');
    const url = escapeHtml(pageUrl(c, st));
    body += `<div class="g" data-rank="${i + 1}"><a href="${url}"><h3>${escapeHtml(title(c))}</h3><cite>${escapeHtml(st.domain ?? '')}</cite></a><div class="snippet">${escapeHtml(sentence(c))}</div></div>`;
  }
  const engine = titleCase(c.input.se);
  return `<!doctype html><html lang="${escapeHtml(c.lang)}"><head><meta charset="utf-8"><title>${kw} - ${engine} Search</title></head><body><form action="/search"><input name="q" value="${kw}"></form><div id="search" data-type="${escapeHtml(c.input.seType)}">${body}</div></body></html>`;
}

/**
 * The per-render context. The seed covers the request fields that shape a SERP (not depth or
 * datetime); types without a keyword take a topic from their subject so their text still varies.
 */
function makeCtx(input: SerpRenderInput): Ctx {
  const p = input.params;
  const extra = [p.video_id, p.dataset_id, p.image_url, p.target, p.advertiser_ids, p.search_param, p.date_range, p.sort_by]
    .map((v) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v)))
    .join('\u0001');
  const seedStr = [
    input.se,
    input.seType,
    input.fn,
    input.keyword ?? '',
    input.locationCode ?? '',
    input.languageCode ?? '',
    input.device,
    input.os,
    extra,
  ].join('\u0002');
  const rng = createRng(seedStr);
  const topicRaw =
    input.keyword ??
    (typeof p.video_id === 'string'
      ? `${TOPICS[hashString(p.video_id) % TOPICS.length]} video`
      : typeof p.target === 'string'
        ? p.target
        : TOPICS[hashString(seedStr) % TOPICS.length]!);
  const kw = topicRaw.trim() || 'search';
  const cc = (input.countryIso ?? '').toUpperCase();
  const geo = GEO[cc] ?? GEO.US!;
  // Different locations of one country get nearby, distinct coordinates.
  const jitter = (hashString(String(input.locationCode ?? cc)) % 1000) / 10_000;
  const letters = kw.toUpperCase().replace(/[^A-Z]/g, '');
  return {
    input,
    rng,
    kw,
    Kw: titleCase(kw),
    slug: slugify(kw),
    core: coreOf(kw),
    plus: encode(kw).replace(/%20/g, '+'),
    lang: input.languageCode ?? 'en',
    cc,
    nowMs: parseDatetime(input.datetime),
    year: new Date(parseDatetime(input.datetime)).getUTCFullYear(),
    wikiHost: `${input.languageCode ?? 'en'}.wikipedia.org`,
    wslug: encodePath(titleCase(kw).replace(/ /g, '_')),
    lat: round(geo[0] + jitter, 4),
    lng: round(geo[1] - jitter, 4),
    city: cc && GEO[cc] ? `${geo[2]}, ${geo[3]}` : (input.locationName ?? `${geo[2]}, ${geo[3]}`),
    ticker: (letters.slice(0, 4) || 'GOOG').padEnd(3, 'X'),
  };
}

/**
 * Renders a deterministic, schema-shaped result object (one element of tasks[].result) for
 * `${se}/${seType}/${fn}`; null when the vendor schema has no such key.
 */
export function renderFromSchema(input: SerpRenderInput): unknown | null {
  const compiled = compileResult(`${input.se}/${input.seType}/${input.fn}`);
  return compiled ? compiled.gen(input) : null;
}

/** Every "{se}/{se_type}/{fn}" key renderFromSchema can serve. */
export const SCHEMA_RESULT_KEYS: readonly string[] = Object.keys(RESULT_SCHEMAS);
