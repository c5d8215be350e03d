// Item lists: what a list's items are about (keywords, domains, pages, anchors, dates, the request's
// own keywords or targets...), how many there are in all, and which ones a request sees. A pageable
// list has a plausible total; candidates are materialized in order, each from its own sub-seed, only
// as far as the request's offset + limit needs (at most 1000), then the request's filters, order_by,
// offset and limit apply, and the counts and paging token follow from what was kept.

import type { FieldRule, SchemaNode } from '../../../domain/api-catalog/index.js';
import { createRng, deriveSeed, hashString } from '../prng.js';
import { formatTimestamp } from './access.js';
import { childState, type CatCtx, type St } from './context.js';
import { filterOf, orderOf, type Item } from './filters-adapter.js';
import { competitorPre, periods, pointPre, source, MAX_MATERIALIZED, type Kind, type ListSpec } from './sources.js';
import { appCandidate, asinCandidate } from './candidates.js';
import { singular, unionTag, type Compiler, type ObjGen } from './walk.js';

export { MAX_MATERIALIZED, type Kind, type ListSpec };

type Props = Readonly<Record<string, SchemaNode>>;

/** What the items of a list are about, from their fields. */
export function kindOf(props: Props): Kind {
  const has = (k: string): boolean => k in props;
  if (has('html')) return 'none';
  if (has('keyword_data') || props.keyword?.t === 'string') return 'keyword';
  if (has('rank_group') || has('cid') || has('place_id') || has('review_text')) return 'none';
  if (has('domain_from') || has('domain_intersection') || has('page_intersection')) return 'domain';
  if (has('anchor')) return 'anchor';
  if (has('network_address')) return 'network';
  if (has('subdomain')) return 'subdomain';
  if (has('target')) return 'domain';
  if (has('asin')) return 'asin';
  if (has('app_id')) return 'app';
  if (has('brand')) return 'brand';
  if (has('brand_category')) return 'category';
  if (props.date?.t === 'string') return 'date';
  if (has('year') && has('month')) return 'month';
  if (has('page_address') || props.page?.t === 'string' || props.url?.t === 'string') return 'page';
  if (has('domain')) return 'domain';
  return 'none';
}

const REQUEST_LISTS = ['keywords', 'targets', 'target', 'asins', 'app_ids'];
/** Items of only these fields describe the request's subject itself: there is one (domain_rank_overview). */
const ONE_OF_A_KIND = new Set(['se_type', 'type', 'location_code', 'language_code', 'metrics']);

export function planList(cmp: Compiler, path: string, fields: readonly FieldRule[], item: SchemaNode): ListSpec {
  const members = cmp.unionMembers(item);
  const tags = members ? Object.keys(members) : null;
  const props = cmp.propsOf(members ? { t: 'ref', n: members[tags![0]!]! } : item) ?? {};
  const typePath0 = path.replace(/\/(live|task_get)(\/.*)?$/, '');
  let kind = typePath0.endsWith('/historical_serps') ? 'snapshot' : kindOf(props);
  // On-Page lists are about the crawled site's own pages (its links start there).
  if (path.startsWith('on_page/') && kind === 'domain') kind = 'page';
  const limit = fields.find((f) => f.name === 'limit');
  const pageable = limit !== undefined;
  const listField = fields.some((f) => REQUEST_LISTS.includes(f.name) && (f.type === 'array' || f.type === 'object'));
  const requested =
    !pageable && listField && (kind === 'keyword' || kind === 'domain' || kind === 'page' || kind === 'asin' || kind === 'app');
  const inline = members ? null : item.t === 'object' ? cmp.object(item.p, 'item', path) : null;
  const named = item.t === 'ref' && !members ? item.n : null;
  // Items of no declared shape (`any`) are left out; scalar items come from their field rule.
  const scalar: ObjGen | null =
    inline === null && named === null && !members
      ? (
          (g) => (c, d, st) =>
            g(c, d, st) as Item
        )(cmp.value('items', item, path))
      : null;
  const typePath = typePath0;
  const tail0 = typePath.slice(typePath.lastIndexOf('/') + 1);
  const derived = named !== null ? cmp.tagFor(named) : 'item';
  const itemTag =
    named !== null && !cmp.hasUnionTag(named) && (derived === 'item' || derived.length <= 3 || derived.endsWith('_live'))
      ? singular(tail0)
      : null;
  return {
    kind,
    requested,
    pageable,
    limitDefault: typeof limit?.default === 'number' ? limit.default : 100,
    tags,
    fixedUnion: tags !== null && !pageable && tags.length <= 8 && !('rank_group' in props),
    tail: typePath.slice(typePath.lastIndexOf('/') + 1),
    single:
      'html' in props ||
      /info$/.test(typePath) ||
      (kind === 'none' && !('rank_group' in props) && tags === null && !fields.some((f) => f.name === 'keyword')),
    oneOfAKind: kind === 'none' && Object.keys(props).every((k) => ONE_OF_A_KIND.has(k)),
    depthDefault:
      typeof fields.find((f) => f.name === 'depth')?.default === 'number'
        ? (fields.find((f) => f.name === 'depth')!.default as number)
        : null,
    empty: item.t === 'any',
    storeIds: 'app_id' in props || 'data_asin' in props || 'asin' in props,
    gen: (t) =>
      t !== null && members ? cmp.namedGen(members[t]!, t) : named !== null ? cmp.namedGen(named, itemTag) : (inline ?? scalar!),
  };
}

export interface ListResult {
  readonly items: Item[];
  readonly total: number;
  readonly offset: number;
  /** a token for the next page, or null when this page is the last */
  readonly next: string | null;
}

/** Offset and limit from the request (an offset_token or search_after_token of ours wins). */
function paging(c: CatCtx, spec: ListSpec): [number, number] {
  const p = c.req.params;
  let limit = typeof p.limit === 'number' && p.limit > 0 ? Math.floor(p.limit) : spec.limitDefault;
  let offset = typeof p.offset === 'number' && p.offset > 0 ? Math.floor(p.offset) : 0;
  const token =
    typeof p.offset_token === 'string' ? p.offset_token : typeof p.search_after_token === 'string' ? p.search_after_token : null;
  if (token !== null) {
    const m = /^o(\d+)\.([0-9a-f]+)$/.exec(Buffer.from(token, 'base64url').toString('latin1'));
    if (m && m[2] === (c.seed >>> 0).toString(16)) offset = Number(m[1]);
  }
  if (limit > MAX_MATERIALIZED) limit = MAX_MATERIALIZED;
  return [offset, limit];
}

export function pageToken(c: CatCtx, nextOffset: number): string {
  return Buffer.from(`o${nextOffset}.${(c.seed >>> 0).toString(16)}`, 'latin1').toString('base64url');
}

/** The items a request sees of a list (and the counts around them). */
export function renderList(c: CatCtx, spec: ListSpec, parent: St): ListResult {
  const base = c.rng;
  const listSeed = deriveSeed(c.seed, hashString(spec.tail));
  const groups = new Map<string, number>();
  const competitors = spec.tail.includes('competitors');
  const storeItems = spec.storeIds && ((c.api.api === 'merchant' && c.req.engine === 'amazon') || c.api.api === 'app_data');
  const make = (i: number, prep: ((st: St) => void) | null): Item => {
    c.rng = createRng(deriveSeed(listSeed, i));
    const tag = spec.fixedUnion ? spec.tags![i]! : spec.tags !== null ? unionTag(c, spec.tags) : null;
    const g = (groups.get(tag ?? '') ?? 0) + 1;
    groups.set(tag ?? '', g);
    const st = childState(parent, 'items', tag);
    st.idx = i;
    (st as { rankAbs: number }).rankAbs = i + 1;
    (st as { rankGroup: number }).rankGroup = g;
    (st as { top: boolean }).top = true;
    if (prep) prep(st);
    else if (storeItems && st.dom === null) {
      // Store results (Amazon products, app searches) are about products or apps of their own.
      st.dom =
        i === 0 && c.req.target !== null && spec.single
          ? c.req.target
          : c.req.engine === 'amazon'
            ? asinCandidate(c.seed, i)
            : appCandidate(c.req.engine === 'apple', c.seed, i);
    }
    if (competitors && st.dom !== null) competitorPre(c, st);
    return spec.gen(tag)(c, 1, st) as Item;
  };
  let out: ListResult;
  if (spec.empty) out = { items: [], total: 0, offset: 0, next: null };
  else if (spec.requested) {
    const subjects =
      spec.kind === 'keyword' ? c.req.keywords : c.req.targets.length > 0 ? c.req.targets : c.req.target !== null ? [c.req.target] : [];
    const items = subjects.map((s, i) =>
      make(i, (st) => {
        if (spec.kind === 'keyword') {
          st.kw = s;
          c.setTopic(s);
        } else st.dom = s;
      }),
    );
    out = { items, total: items.length, offset: 0, next: null };
  } else if (spec.kind === 'snapshot') {
    // Earlier SERPs of the request's keyword, newest first: one per month.
    const now = new Date(c.nowMs);
    const kw = c.req.keyword ?? c.req.topic;
    const items: Item[] = [];
    for (let k = 0; k < 12; k++) {
      const t = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k, 1) + ((c.seed + k * 7919) % (27 * 86_400)) * 1000;
      items.push(
        make(k, (st) => {
          st.kw = kw;
          st.pre = { datetime: formatTimestamp(Math.min(t, c.nowMs - 3_600_000)) };
        }),
      );
    }
    out = { items, total: items.length, offset: 0, next: null };
  } else if (spec.kind === 'date' || spec.kind === 'month') {
    const dom = parent.dom ?? c.req.target ?? c.req.topic;
    let points: number[];
    if (spec.kind === 'date') points = periods(c);
    else {
      const now = new Date(c.nowMs);
      points = [];
      for (let k = 12; k >= 1; k--) points.push(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k, 1));
    }
    const n = points.length;
    const items = points.map((t, k) =>
      make(k, (st) => {
        const [pre, s] = pointPre(c, dom, k, n);
        const d = new Date(t);
        st.pre = spec.kind === 'date' ? { ...pre, date: formatTimestamp(t) } : { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
        st.scale = s;
      }),
    );
    // Monthly items read newest first, as the vendor's monthly series do.
    if (spec.kind === 'month') items.reverse();
    out = { items, total: n, offset: 0, next: null };
  } else if (!spec.pageable) {
    const p = c.req.params;
    const depth = typeof p.depth === 'number' ? p.depth : spec.depthDefault;
    const n = spec.fixedUnion ? spec.tags!.length : spec.single ? 1 : Math.max(1, Math.min(Math.floor(depth ?? 10), 700));
    const src = spec.kind === 'none' ? null : source(c, spec);
    const url = typeof p.url === 'string' ? p.url : null;
    const items: Item[] = [];
    for (let i = 0; i < n; i++) {
      items.push(make(i, src ? (st) => (spec.kind === 'page' && url !== null && i === 0 ? void (st.dom = url) : src.at(i, st)) : null));
    }
    out = { items, total: n, offset: 0, next: null };
  } else {
    const [offset, limit] = paging(c, spec);
    const src = spec.oneOfAKind ? { total: 1, at: () => undefined } : source(c, spec);
    const filter = filterOf(c.req.params.filters);
    const order = orderOf(c.req.params.order_by);
    const cap = Math.min(src.total, MAX_MATERIALIZED);
    const want = offset + limit;
    const kept: Item[] = [];
    let examined = 0;
    while (examined < cap && kept.length < want) {
      const i = examined++;
      const item = make(i, (st) => src.at(i, st));
      if (filter === null || filter(item)) kept.push(item);
    }
    if (order) kept.sort(order);
    const items = kept.slice(offset, offset + limit);
    let total = src.total;
    if (filter !== null)
      total = examined >= src.total ? kept.length : Math.max(kept.length, Math.round((src.total * kept.length) / Math.max(1, examined)));
    const more = offset + items.length < total && items.length === limit;
    out = { items, total, offset, next: more ? pageToken(c, offset + limit) : null };
  }
  c.rng = base;
  c.setTopic(c.req.topic);
  return out;
}
