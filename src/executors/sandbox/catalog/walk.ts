// Schema walking for the catalog sandbox: compiles an API's SchemaNodes (objects, arrays, maps,
// references, unions) into generator closures once per API and schema name, with the presence rules
// that keep results realistic in size (nested objects always near the top, sparser deeper down,
// nothing past MAX_DEPTH) and the subject each nested object describes.

import type { ApiCatalog, SchemaNode } from '../../../domain/api-catalog/index.js';
import { WEEKDAYS } from '../schema-faker-words.js';
import { childState, type CatCtx, type St } from './context.js';
import { stringArrayGen } from '../schema-faker-fields.js';
import type { Gen } from './access.js';
import { scalarGen } from './fields.js';
import { arrayRule, mapBooleans, mapNumbers, mapPlan, objectPrep } from './shapes.js';

/** An object's generator: `st` is the object's own state (its subjects, rank, tag). */
export type ObjGen = (c: CatCtx, d: number, st: St) => Record<string, unknown> | null;

/** Objects deeper than this (result = 0, its items = 1) are null. */
export const MAX_DEPTH = 6;

type Props = Readonly<Record<string, SchemaNode>>;
type Builder = (g: readonly Gen[], c: CatCtx, d: number, st: St) => Record<string, unknown>;

/**
 * A function returning an object literal with the schema's keys in order (one hidden class, several
 * times faster than adding keys one by one). Keys come from the generated catalog and are JSON-quoted.
 */
function objectBuilder(keys: readonly string[]): Builder {
  const body = `return {${keys.map((k, i) => `${JSON.stringify(k)}: g[${i}](c, d, st)`).join(', ')}};`;
  return new Function('g', 'c', 'd', 'st', body) as Builder;
}

/** Nested objects that are always null (the vendor fills them rarely or only on request). */
const NEVER = new Set([
  'spell',
  'rectangle',
  'refinement_chips',
  'custom_js_response',
  'expanded_element',
  'about_this_result',
  'directory',
]);
/** Nested objects present whenever their parent is (within MAX_DEPTH). */
const ALWAYS = new Set([
  'rank_changes',
  'backlinks_info',
  'rank_info',
  'keyword_info',
  'keyword_properties',
  'search_intent_info',
  'avg_backlinks_info',
  'search_volume_trend',
  'address_info',
  'metrics',
  'page_timing',
  'meta',
  'crawl_status',
]);
const RATED = /maps|local|hotel|shopping|product|app|review|popular|place|amazon|google_play|seller/;

type Presence = (c: CatCtx, d: number, st: St) => number;

/** Probability that a nested object or array of objects under `key` at depth `d` is present (decided per key once). */
function presenceOf(key: string): Presence {
  if (NEVER.has(key)) return () => 0;
  if (key === 'serp_info') return (c, d) => (d < MAX_DEPTH && c.req.serpInfo ? 1 : 0);
  if (key.includes('clickstream') || key.startsWith('keyword_info_normalized'))
    return (c, d) => (d < MAX_DEPTH && c.req.clickstream ? 1 : 0);
  if (ALWAYS.has(key)) return (_c, d) => (d < MAX_DEPTH ? 1 : 0);
  if (key === 'rating' || key === 'price') return (_c, d, st) => (d >= MAX_DEPTH ? 0 : st.tag !== null && RATED.test(st.tag) ? 1 : 0.15);
  return (_c, d) => (d >= MAX_DEPTH ? 0 : d <= 3 ? 1 : 0.25);
}

/** The singular of a snake_case name (`referring_domains` -> `referring_domain`, `technologies` -> `technology`). */
export function singular(name: string): string {
  if (name.endsWith('ies')) return name.slice(0, -3) + 'y';
  if (/(ches|shes|sses|xes)$/.test(name)) return name.slice(0, -2);
  return name.endsWith('s') && !name.endsWith('ss') ? name.slice(0, -1) : name;
}

/**
 * Item schemas the official client names after what they hold rather than their `type`: the value
 * the vendor's answers carry (its OpenAPI file's discriminator mapping).
 */
const TAG_OF_SCHEMA: Readonly<Record<string, string>> = {
  AmazonInfo: 'amazon_serp',
  // An ASIN's top reviews: the vendor's union of Amazon SERP items names them `amazon_review_item`.
  AmazonReviewItem: 'amazon_review_item',
};

/** `type` of an object of a named schema that no union tags: from its name, singular snake_case. */
export function tagForName(name: string): string {
  const known = TAG_OF_SCHEMA[name];
  if (known) return known;
  const base = name
    .replace(
      /^(DataforseoLabs|DataLabs|KeywordsData|KeywordData|Backlinks|OnPage|Merchant|AppData|BusinessData|DomainAnalytics|ContentAnalysis|ContentGeneration|AiOptimization|Serp|Base)+/,
      '',
    )
    .replace(/(LiveItem|ElementItem|Item)$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
  return singular(base) || 'item';
}

/** Fields and map keys naming a kind of search result: objects under them count that kind. */
const METRIC_KINDS = new Set([
  'organic',
  'paid',
  'local_pack',
  'featured_snippet',
  'amazon_serp',
  'amazon_paid',
  'google_play_search_organic',
  'app_store_search_organic',
]);

/** Union members a list is mostly made of, most specific first. */
const MAIN_TAGS = [
  'organic',
  'html',
  'anchor',
  'amazon_review_item',
  'amazon_seller_item',
  'amazon_serp',
  'google_shopping_serp',
  'shops_list',
  'product_info_element',
  'message',
  'chat_gpt_text',
  'gemini_text',
];

/** Picks a union member: the request's item_types first, else organic, else mostly the first. */
export function unionTag(c: CatCtx, tags: readonly string[]): string {
  const wanted = c.req.params.item_types;
  if (Array.isArray(wanted)) {
    const ok = tags.filter((t) => wanted.includes(t));
    if (ok.length > 0) return ok.length === 1 || c.rng.chance(0.8) ? ok[0]! : ok[c.rng.int(1, ok.length - 1)]!;
  }
  const main = MAIN_TAGS.find((t) => tags.includes(t));
  if (main === 'organic') return c.rng.chance(0.85) ? 'organic' : tags.includes('paid') ? 'paid' : 'organic';
  if (main !== undefined) return c.rng.chance(0.85) ? main : tags[c.rng.int(0, tags.length - 1)]!;
  return c.rng.chance(0.7) ? tags[0]! : tags[c.rng.int(0, tags.length - 1)]!;
}

/** One API's compiled generators, keyed by schema name (and the tag an object is used under). */
export class Compiler {
  private readonly named = new Map<string, ObjGen>();
  /** schema name -> the tag a union of this API maps to it (first union wins), as the vendor types it */
  private readonly tags = new Map<string, string>();

  constructor(readonly api: ApiCatalog) {
    for (const node of Object.values(api.schemas)) {
      if (node.t !== 'union') continue;
      for (const [tag, name] of Object.entries(node.m)) if (!this.tags.has(name)) this.tags.set(name, tag);
    }
  }

  /** The `type` of an object of a named schema: the tag a union gives it, else one from its name. */
  tagFor(name: string): string {
    return this.tags.get(name) ?? tagForName(name);
  }

  /** Whether a union of this API names the schema (its tag is the vendor's `type`). */
  hasUnionTag(name: string): boolean {
    return this.tags.has(name);
  }

  /** The generator of a named schema (a union picks a member per object). */
  namedGen(name: string, tag: string | null = null): ObjGen {
    const key = tag === null ? name : `${name}|${tag}`;
    let g = this.named.get(key);
    if (g) return g;
    const node = this.api.schemas[name];
    if (!node) throw new Error(`catalog sandbox: unknown schema ${name} in ${this.api.api}`);
    // A placeholder first: schemas may refer to themselves.
    let real: ObjGen | null = null;
    this.named.set(key, (c, d, st) => real!(c, d, st));
    if (node.t === 'object') real = this.object(node.p, tag ?? this.tagFor(name), name);
    else if (node.t === 'union') real = this.union(node.m);
    else {
      const inner = this.value('', node, name);
      real = (c, d, st) => inner(c, d, st) as Record<string, unknown> | null;
    }
    this.named.set(key, real);
    return real;
  }

  /** The member schemas of a union node or a reference to one (null otherwise). */
  unionMembers(node: SchemaNode): Readonly<Record<string, string>> | null {
    if (node.t === 'union') return node.m;
    if (node.t === 'ref') {
      const n = this.api.schemas[node.n];
      if (n?.t === 'union') return n.m;
    }
    return null;
  }

  /** The properties of an object node or a reference to one (null otherwise). */
  propsOf(node: SchemaNode): Props | null {
    if (node.t === 'object') return node.p;
    if (node.t === 'ref') {
      const n = this.api.schemas[node.n];
      if (n?.t === 'object') return n.p;
    }
    return null;
  }

  /** An object: a shape rule's values (st.pre) and one generator per field, `type` fixed to `tag`. */
  object(props: Props, tag: string, owner: string): ObjGen {
    const keys = Object.keys(props);
    const prep = objectPrep(props);
    const gens: Gen[] = keys.map((k) =>
      k === 'type' && props[k]!.t === 'string' ? (_c, _d, st) => st.tag ?? tag : this.value(k, props[k]!, owner),
    );
    const build = objectBuilder(keys);
    const counted = 'items' in props && 'items_count' in props;
    const typed = 'items' in props && 'item_types' in props;
    return (c, d, st) => {
      if (d > MAX_DEPTH) return null;
      if (st.tag === null) (st as { tag: string | null }).tag = tag;
      if (prep !== null) st.pre = Object.assign(prep(c, st), st.pre);
      const o = build(gens, c, d, st);
      // Counts that must agree with the object's own items.
      if (counted) o.items_count = Array.isArray(o.items) ? o.items.length : o.items ? 1 : 0;
      if (typed && Array.isArray(o.items))
        o.item_types = [...new Set(o.items.map((x) => (x as { type?: unknown } | null)?.type).filter((t) => typeof t === 'string'))];
      return o;
    };
  }

  /** A union value: one member per object. */
  union(m: Readonly<Record<string, string>>): ObjGen {
    const tags = Object.keys(m);
    return (c, d, st) => {
      const t = unionTag(c, tags);
      (st as { tag: string | null }).tag = t;
      return this.namedGen(m[t]!, t)(c, d, st);
    };
  }

  /** The generator of field `key` of type `node` in an object of schema `owner`. */
  value(key: string, node: SchemaNode, owner: string): Gen {
    if (key.includes('clickstream') && (node.t === 'map' || node.t === 'array')) {
      const g = this.value(key.replace('clickstream', 'cs'), node, owner);
      const real = key.endsWith('distribution') ? this.value(key.replace('clickstream_', ''), node, owner) : g;
      return (c, d, st) => (c.req.clickstream ? real(c, d, st) : null);
    }
    switch (node.t) {
      case 'string':
      case 'integer':
      case 'number':
      case 'boolean':
        return scalarGen(key, node.t, owner);
      case 'any':
        return () => null;
      case 'map':
        return this.map(key, node.v, owner);
      case 'array':
        return this.array(key, node.i, owner);
      case 'object': {
        const g = this.object(node.p, key, `${owner}.${key}`);
        return this.nested(key, g);
      }
      case 'ref':
      case 'union': {
        const g = node.t === 'ref' ? lazy(() => this.namedGen(node.n)) : this.union(node.m);
        return this.nested(key, g);
      }
    }
  }

  /** A nested object under `key`: present by `presence`, in a child state of its own. */
  private nested(key: string, g: ObjGen): Gen {
    const target1 = key === 'first_domain_serp_element';
    const target2 = key === 'second_domain_serp_element';
    const kindKey = METRIC_KINDS.has(key);
    const presence = presenceOf(key);
    return (c, d, st) => {
      const p = presence(c, d + 1, st);
      if (p <= 0 || (p < 1 && !c.rng.chance(p))) return null;
      const child = childState(st, key, null);
      if (kindKey) child.key = key;
      if (target1 || target2) child.dom = c.req.targets[target1 ? 0 : 1] ?? child.dom;
      else if (key === 'ranked_serp_element' && child.dom === null) child.dom = c.req.target;
      return g(c, d + 1, child);
    };
  }

  /** An array under `key`: a whole-array rule, a month series, or a few objects or scalars. */
  private array(key: string, item: SchemaNode, owner: string): Gen {
    const props = this.propsOf(item);
    const rule = arrayRule(key, item.t === 'ref' ? (props ? 'object' : 'ref') : item.t, props);
    if (rule) return (c, d, st) => (d >= MAX_DEPTH ? null : rule(c, d, st));
    if (item.t === 'string') {
      const g = stringArrayGen(key) as Gen;
      return (c, d, st) => (d >= MAX_DEPTH ? null : g(c, d, st));
    }
    if (item.t === 'integer' || item.t === 'number' || item.t === 'boolean') {
      const g = scalarGen(key, item.t, owner);
      return (c, d, st) => {
        if (d >= MAX_DEPTH) return null;
        const n = c.rng.int(1, 3);
        const out: unknown[] = new Array(n);
        for (let i = 0; i < n; i++) out[i] = g(c, d, st);
        return out;
      };
    }
    if (item.t === 'any' || item.t === 'map') return () => null;
    if (item.t === 'array') {
      const inner = this.array(key, item.i, owner);
      return (c, d, st) => (d >= MAX_DEPTH ? null : [inner(c, d + 1, st)]);
    }
    const members = this.unionMembers(item);
    const tags = members ? Object.keys(members) : null;
    const single = members
      ? null
      : item.t === 'object'
        ? this.object(item.p, key.replace(/s$/, ''), owner)
        : lazy(() => this.namedGen((item as { n: string }).n));
    const monthly = props !== null && 'year' in props && 'month' in props;
    const serpLike = key === 'items' && members !== null;
    const always = key === 'items' || key === 'data' || key === 'sections' || key === 'chain';
    const kindKey = METRIC_KINDS.has(key);
    const growth = 0.15;
    const presence = presenceOf(key);
    return (c, d, st) => {
      const p = always && d < MAX_DEPTH ? 1 : presence(c, d + 1, st);
      if (p <= 0 || (p < 1 && !c.rng.chance(p))) return null;
      const n = monthly ? 12 : serpLike ? c.rng.int(6, 10) : c.rng.int(1, d <= 1 ? 4 : 3);
      const out: unknown[] = new Array(n);
      const groups = new Map<string, number>();
      const now = new Date(c.nowMs);
      for (let i = 0; i < n; i++) {
        const t = tags ? unionTag(c, tags) : null;
        const g = (groups.get(t ?? '') ?? 0) + 1;
        groups.set(t ?? '', g);
        const child = childState(st, key, t);
        (child as { rankAbs: number }).rankAbs = i + 1;
        (child as { rankGroup: number }).rankGroup = g;
        if (kindKey) child.key = key;
        if (monthly) {
          const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1 - i, 1));
          child.pre = { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1 };
          // Older months of a subject's metrics: smaller, as sites grow.
          child.scale = st.scale * (1 - (growth * i) / 12);
        }
        out[i] = t !== null ? this.namedGen(members![t]!, t)(c, d + 1, child) : single!(c, d + 1, child);
      }
      return out;
    };
  }

  /** A map under `key`: its keys by field name, its values by type (sub-objects keyed by kind). */
  private map(key: string, v: SchemaNode, owner: string): Gen {
    const plan = mapPlan(key === '' ? owner : key, owner);
    const keysOf = key === 'timetable' || key === 'popular_times_by_days' ? () => WEEKDAYS : plan.keys;
    if (plan.echo) {
      return (c) => {
        const out: Record<string, string> = {};
        c.req.targetKeys.forEach((k, i) => (out[k] = c.req.targets[i]!));
        return out;
      };
    }
    if (v.t === 'integer' || v.t === 'number') {
      const nums = mapNumbers(key, v.t === 'integer');
      return (c, d, st) => (d >= MAX_DEPTH ? null : nums(c, st, keysOf(c, st)));
    }
    if (v.t === 'boolean') return (c, d, st) => (d >= MAX_DEPTH ? null : mapBooleans(c, keysOf(c, st)));
    const objectLike = v.t === 'ref' || v.t === 'object' || v.t === 'union';
    const inner = objectLike ? null : this.value(key, v, owner);
    const obj =
      v.t === 'ref'
        ? lazy(() => this.namedGen(v.n))
        : v.t === 'object'
          ? this.object(v.p, key, owner)
          : v.t === 'union'
            ? this.union(v.m)
            : null;
    const nested = v.t === 'map' ? this.map(key === 'metrics_history' ? 'metrics' : key, v.v, owner) : null;
    return (c, d, st) => {
      if (d >= MAX_DEPTH) return null;
      const keys = keysOf(c, st);
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const child = childState(st, key, null);
        child.key = k;
        const subj = plan.subject?.(c, k, i);
        if (subj) child.dom = subj;
        out[k] = obj ? obj(c, d + 1, child) : nested ? nested(c, d, child) : inner!(c, d, child);
      }
      return out;
    };
  }
}

/** A generator resolved on first use (schemas refer to each other, and to themselves). */
function lazy(get: () => ObjGen): ObjGen {
  let g: ObjGen | null = null;
  return (c, d, st) => (g ??= get())(c, d, st);
}

const compilers = new WeakMap<ApiCatalog, Compiler>();

/** The compiler of an API's schemas (one per catalog object: compiled generators are cached in it). */
export function compilerOf(api: ApiCatalog): Compiler {
  let c = compilers.get(api);
  if (!c) compilers.set(api, (c = new Compiler(api)));
  return c;
}
