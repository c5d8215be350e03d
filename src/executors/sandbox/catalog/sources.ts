// Where a list's items come from: for each kind of subject (keywords around seeds, competing and
// referring domains, a site's pages, anchors, networks, products, apps, brands), how many there are in
// all and which one is candidate i; and the facts list items share with their list: a competitor's
// overlap with the target, a time series point's metrics.

import { hashString } from '../prng.js';
import {
  anchorCandidate,
  appCandidate,
  asinCandidate,
  brandCandidate,
  categoryCandidate,
  domainCandidate,
  keywordCandidate,
  keywordListTotal,
  networkCandidate,
  pageCandidate,
  rankedTotal,
  referringTotal,
  skewedTotal,
  subdomainCandidate,
  topicsOf,
} from './candidates.js';
import type { CatCtx, St } from './context.js';
import { hostOf, linkFacts, normalizeTarget, searchMetrics } from './subjects.js';
import { TOPIC_WORDS } from './words.js';
import type { ObjGen } from './walk.js';

export type Kind =
  | 'keyword'
  | 'domain'
  | 'subdomain'
  | 'page'
  | 'anchor'
  | 'network'
  | 'asin'
  | 'app'
  | 'brand'
  | 'category'
  | 'date'
  | 'month'
  | 'snapshot'
  | 'none';

/** The most candidates a render materializes. */
export const MAX_MATERIALIZED = 1000;

export interface ListSpec {
  readonly kind: Kind;
  /** one item per subject the request names (its keywords or targets), in order */
  readonly requested: boolean;
  /** the request has `limit` (and offset): a total, a page of it */
  readonly pageable: boolean;
  readonly limitDefault: number;
  /** union members (null: one item schema) */
  readonly tags: readonly string[] | null;
  /** every union member once, in order (Trends graphs, LLM message + reasoning) */
  readonly fixedUnion: boolean;
  /** the last segment of the endpoint's type (`ranked_keywords`), for totals */
  readonly tail: string;
  /** items of a list that is not paged: one (an info page, an HTML page), else the request's depth */
  readonly single: boolean;
  /** a pageable list whose items describe the request's subject itself: it has one item */
  readonly oneOfAKind: boolean;
  readonly depthDefault: number | null;
  /** items carry an app id or ASIN of their own (store search results) */
  readonly storeIds: boolean;
  /** items of no declared shape: the list is empty */
  readonly empty: boolean;
  readonly gen: (tag: string | null) => ObjGen;
}

/** Seed keywords of a keyword list: the request's keywords, else the target's topics, else broad topics. */
function keywordSeeds(c: CatCtx): [string[], boolean] {
  const p = c.req.params;
  if (c.req.keywords.length > 0) return [c.req.keywords.slice(), p.include_seed_keyword === true];
  if (c.req.keyword !== null) return [[c.req.keyword], p.include_seed_keyword === true];
  const t = c.req.target ?? c.req.targets[0];
  if (t) return [topicsOf(t), true];
  const cats = Array.isArray(p.category_codes) ? p.category_codes : Array.isArray(p.categories) ? p.categories : [];
  const h = cats.length > 0 ? hashString(JSON.stringify(cats)) : c.seed;
  return [[0, 1, 2].map((i) => TOPIC_WORDS[(h + i * 11) % TOPIC_WORDS.length]!), true];
}

/** The total of a pageable list, and its candidate function. */
export function source(c: CatCtx, spec: ListSpec): { total: number; at: (i: number, st: St) => void } {
  const loc = c.req.locationCode;
  const target = c.req.target ?? c.req.targets[0] ?? null;
  const host = target !== null ? hostOf(normalizeTarget(target)) : null;
  const seed = c.seed;
  const tail = spec.tail;
  switch (spec.kind) {
    case 'keyword': {
      const [seeds, withSeeds] = keywordSeeds(c);
      let total: number;
      if (tail === 'ranked_keywords' || tail === 'keywords_for_site' || tail === 'keywords_for_app') {
        const kinds = c.req.engine === 'amazon' ? ['amazon_serp'] : tail === 'keywords_for_app' ? ['organic'] : itemKinds(c);
        total = rankedTotal(target ?? seeds[0]!, loc, kinds);
        if (tail === 'keywords_for_site') total = Math.round(total * 1.3);
      } else if (tail.includes('intersection')) {
        total = Math.max(1, Math.round(Math.min(...c.req.targets.map((t) => searchMetrics(t, loc).count), 1e9) * 0.08));
      } else {
        const depth = typeof c.req.params.depth === 'number' ? c.req.params.depth : 1;
        total = keywordListTotal(seeds, loc, tail, depth) + (withSeeds ? seeds.length : 0);
      }
      return {
        total,
        at: (i, st) => {
          st.kw = keywordCandidate(seeds, i, withSeeds);
          c.setTopic(st.kw);
          if (tail === 'related_keywords') st.pre = { depth: i < 8 ? 1 : i < 72 ? 2 : i < 584 ? 3 : 4 };
        },
      };
    }
    case 'domain': {
      let total: number;
      if (tail === 'referring_domains') total = referringTotal(target ?? 'example.com', 'domains');
      else if (tail === 'backlinks') total = referringTotal(target ?? 'example.com', 'backlinks');
      else
        total = skewedTotal(
          seed,
          40,
          tail.startsWith('domains_by') || tail.includes('whois') || tail.includes('categories') ? 200_000 : 5_000,
        );
      return {
        total,
        at: (i, st) => {
          st.dom = domainCandidate(seed, i, target);
          c.setTopic(st.dom.split('.')[0]!);
        },
      };
    }
    case 'subdomain':
      return {
        total: 3 + (seed % 25),
        at: (i, st) => {
          st.dom = subdomainCandidate(host ?? 'example.com', i);
        },
      };
    case 'page': {
      const topics = target !== null ? topicsOf(target) : [c.req.topic];
      // An On-Page crawl lists the pages crawled so far.
      const crawl = c.crawl?.pagesCrawled ?? (typeof c.req.params.max_crawl_pages === 'number' ? c.req.params.max_crawl_pages : null);
      const total = crawl ?? (host !== null ? Math.min(referringTotal(host, 'pages'), 2_000_000) : skewedTotal(seed, 50, 20_000));
      return {
        total: c.crawl ? total : Math.max(1, total),
        at: (i, st) => {
          st.dom = host !== null ? pageCandidate(host, topics, i) : pageCandidate(domainCandidate(seed, i, null), [c.req.topic], i % 20);
        },
      };
    }
    case 'anchor': {
      const topics = topicsOf(target ?? c.req.topic);
      return {
        total: referringTotal(target ?? 'example.com', 'anchors'),
        at: (i, st) => {
          const a = anchorCandidate(target ?? c.req.topic, topics, i);
          st.dom = `anchor:${host ?? ''}:${a}`;
          st.pre = { anchor: a };
        },
      };
    }
    case 'network':
      return {
        total: referringTotal(target ?? 'example.com', 'networks'),
        at: (i, st) => {
          const n = networkCandidate(seed, i);
          st.dom = `net:${n}`;
          st.pre = { network_address: n };
        },
      };
    case 'asin':
      return { total: skewedTotal(seed, 20, 2_000), at: (i, st) => void (st.dom = asinCandidate(seed, i)) };
    case 'app':
      return { total: skewedTotal(seed, 20, 2_000), at: (i, st) => void (st.dom = appCandidate(c.req.engine === 'apple', seed, i)) };
    case 'brand':
    case 'category':
      return {
        total: spec.kind === 'category' ? 10 : skewedTotal(seed, 20, 2_000),
        at: (i, st) => {
          const b = spec.kind === 'brand' ? brandCandidate(seed, i) : categoryCandidate(i);
          st.dom = `brand:${b}`;
          st.pre = spec.kind === 'brand' ? { brand: b } : { brand_category: b };
        },
      };
    default:
      return { total: skewedTotal(seed, 10, 1_000), at: () => undefined };
  }
}

/** The kinds of results a ranked-keywords list counts (item_types: organic and paid by default). */
function itemKinds(c: CatCtx): string[] {
  const t = c.req.params.item_types;
  const kinds = Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : ['organic', 'paid'];
  return kinds.length > 0 ? kinds : ['organic'];
}

/** Periods of a time series: dates from date_from to date_to by group_range (oldest first). */
export function periods(c: CatCtx): number[] {
  const p = c.req.params;
  const group = typeof p.group_range === 'string' ? p.group_range : typeof p.date_group === 'string' ? p.date_group : 'month';
  const parse = (v: unknown): number | null =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v.slice(0, 10) + 'T00:00:00Z') : null;
  const now = new Date(c.nowMs);
  const end = Math.min(parse(p.date_to) ?? c.nowMs, c.nowMs);
  const spanDays = group === 'day' ? 30 : group === 'week' ? 84 : group === 'year' ? 1826 : 365;
  const start = parse(p.date_from) ?? end - spanDays * 86_400_000;
  const out: number[] = [];
  const d = new Date(start);
  let t =
    group === 'month'
      ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
      : group === 'year'
        ? Date.UTC(d.getUTCFullYear(), 0, 1)
        : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  while (t <= end && out.length < MAX_MATERIALIZED) {
    out.push(t);
    const x = new Date(t);
    if (group === 'day') t += 86_400_000;
    else if (group === 'week') t += 7 * 86_400_000;
    else if (group === 'year') t = Date.UTC(x.getUTCFullYear() + 1, 0, 1);
    else t = Date.UTC(x.getUTCFullYear(), x.getUTCMonth() + 1, 1);
  }
  if (out.length === 0) out.push(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return out;
}

/** Link metrics of a time-series point: the subject's facts grown toward today's (the last point). */
export function pointPre(c: CatCtx, dom: string, k: number, n: number): [Record<string, unknown>, number] {
  const f = linkFacts(dom);
  const growth = 0.1 + (f.seed % 300) / 1000;
  const s = n <= 1 ? 1 : 1 - (growth * (n - 1 - k)) / (n - 1);
  const r = (x: number): number => Math.round(x * s);
  return [
    {
      rank: Math.round(f.rank * (1 - (1 - s) * 0.3)) / c.req.rankDivisor,
      backlinks: r(f.backlinks),
      dofollow: r(f.dofollow),
      backlinks_nofollow: r(f.backlinks - f.dofollow),
      referring_domains: r(f.referringDomains),
      referring_domains_nofollow: r(f.referringDomainsNofollow),
      referring_main_domains: r(f.referringMainDomains),
      referring_main_domains_nofollow: r(f.referringMainDomainsNofollow),
      referring_pages: r(f.referringPages),
      referring_pages_nofollow: r(f.referringPagesNofollow),
      referring_ips: r(f.referringIps),
      referring_subnets: r(f.referringSubnets),
      crawled_pages: r(f.crawledPages),
    },
    s,
  ];
}

/**
 * A competitor's overlap with the request's target: keywords (Labs) or referring domains (Backlinks)
 * both have, its positions over them, and the share of its metrics they are.
 */
export function competitorPre(c: CatCtx, st: St): void {
  const target = c.req.target ?? c.req.targets[0] ?? null;
  const backlinks = c.api.api === 'backlinks';
  const kind = c.req.engine === 'amazon' ? 'amazon_serp' : 'organic';
  const size = (s: string): number => (backlinks ? linkFacts(s).referringDomains : searchMetrics(s, c.req.locationCode, kind).count);
  const own = size(st.dom!);
  const both = Math.max(1, Math.round(Math.min(own, target !== null ? size(target) : own) * (0.02 + c.rng.next() * 0.3)));
  const avg = Math.round((3 + c.rng.next() * 45) * 100) / 100;
  st.pre = {
    ...st.pre,
    intersections: both,
    avg_position: avg,
    sum_position: Math.round(avg * both),
    median_position: Math.max(1, Math.round(avg * (0.6 + c.rng.next() * 0.5))),
  };
  st.share = Math.min(1, both / Math.max(1, own));
}
