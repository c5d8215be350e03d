// Accessors of the current object's subjects for the field rules: its keyword and that keyword's
// facts, its domain or page and that subject's link and search metrics (cached per render), and the
// vendor's timestamp format.

import type { CatCtx, St } from './context.js';
import {
  hostOf,
  isIdLike,
  keywordFacts,
  linkFacts,
  normalizeTarget,
  searchMetrics,
  type KeywordFacts,
  type LinkFacts,
  type SearchMetrics,
} from './subjects.js';

export type Gen = (c: CatCtx, d: number, st: St) => unknown;
export type Scalar = 'string' | 'integer' | 'number' | 'boolean';

const DAY = 86_400_000;

const days = new Map<number, string>();
const two = (n: number): string => (n < 10 ? '0' + n : String(n));
/** `yyyy-mm-dd hh:mm:ss +00:00` (the vendor's format, as formatDateTime writes it), the date part cached per day. */
export function formatTimestamp(ms: number): string {
  const t = Math.floor(ms / 1000) * 1000;
  const day = Math.floor(t / DAY);
  let date = days.get(day);
  if (date === undefined) {
    if (days.size > 20_000) days.clear();
    const d = new Date(day * DAY);
    days.set(day, (date = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`));
  }
  const s = (t - day * DAY) / 1000;
  return `${date} ${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)} +00:00`;
}

export function kwOf(c: CatCtx, st: St): string {
  return st.kw ?? c.req.keyword ?? c.req.keywords[0] ?? c.kw;
}
export function kf(c: CatCtx, st: St): KeywordFacts {
  const kw = kwOf(c, st);
  let f = c.kfCache.get(kw);
  if (f === undefined) c.kfCache.set(kw, (f = keywordFacts(kw, c.req.locationCode, c.req.engine)));
  return f;
}
/** A subject's search metrics of one kind in the request's location (cached per render). */
export function sm(c: CatCtx, dom: string, kind = 'organic'): SearchMetrics {
  let byDom = c.smCache.get(kind);
  if (byDom === undefined) c.smCache.set(kind, (byDom = new Map()));
  let m = byDom.get(dom);
  if (m === undefined) byDom.set(dom, (m = searchMetrics(dom, c.req.locationCode, kind)));
  return m;
}
/** The domain or page the object's link metrics describe (a keyword's SERP when there is none). */
export function domOf(c: CatCtx, st: St): string {
  return st.dom ?? c.req.target ?? c.req.targets[0] ?? `serp-${normalizeTarget(kwOf(c, st)).replace(/[^a-z0-9]+/g, '-')}`;
}
export function lf(c: CatCtx, st: St): LinkFacts {
  const dom = domOf(c, st);
  let f = c.lfCache.get(dom);
  if (f === undefined) c.lfCache.set(dom, (f = linkFacts(dom)));
  return f;
}
/** The host of the object's subject (`example.com`), for domain and URL fields. */
export function hostOfSt(c: CatCtx, st: St): string {
  const dom = domOf(c, st);
  let h = c.hostCache.get(dom);
  if (h === undefined) {
    const n = normalizeTarget(dom);
    // An app or ASIN subject lives on its store's site.
    if (isIdLike(n)) h = /^b0/.test(n) ? c.input.seDomain.replace(/^www\./, '') : /^\d+$/.test(n) ? 'apps.apple.com' : 'play.google.com';
    else h = hostOf(n);
    c.hostCache.set(dom, h);
  }
  return h;
}
export const rankOut = (c: CatCtx, r: number): number => Math.round(r / c.req.rankDivisor);

/** A value drawn once per object and kept on it, so that the fields that read it agree (dates in order, a review's tone). */
export function remember(st: St, name: string, make: () => number): number {
  const pre = (st.pre ??= {});
  const v = pre[name];
  if (typeof v === 'number') return v;
  const x = make();
  pre[name] = x;
  return x;
}
