// Realistic values for the most used endpoints' texts and names, where the generic field rules give
// words without meaning: reviews (their text, owner replies, profile and review links) and Google
// Shopping products (their shop, title and links). The tables are in realistic-values.ts. Each
// generator wraps the field's generic one and answers only in its own context.

import { formatTimestamp, type Gen, remember } from './access.js';
import type { CatCtx, St } from './context.js';
import { BRANDS, OWNER_REPLIES, REVIEW_SENTENCES, SHOPS, TIME_AGO, VARIANTS } from './realistic-values.js';

const DAY = 86_400_000;

/** An object of a review list (a review item of any API). */
const isReview = (c: CatCtx, st: St): boolean =>
  st.idx >= 0 && (/review/.test(st.tag ?? '') || (/reviews/.test(c.endpoint.path) && st.via === 'items'));

/** A Google Shopping product of Merchant. */
const isProduct = (c: CatCtx, st: St): boolean => c.api.api === 'merchant' && /google_shopping|product/.test(st.tag ?? '');

const tone = (c: CatCtx, st: St): 'good' | 'mixed' | 'bad' => {
  const r = remember(st, '_tone', () => c.rng.next());
  return r < 0.7 ? 'good' : r < 0.88 ? 'mixed' : 'bad';
};

function reviewText(c: CatCtx, st: St): string {
  const sentences = REVIEW_SENTENCES[tone(c, st)];
  const n = 2 + remember(st, '_len', () => c.rng.int(0, 1));
  const start = remember(st, '_first', () => c.rng.int(0, sentences.length - 1));
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(sentences[(start + i * 3) % sentences.length]!.replace('{s}', c.Kw));
  return out.join(' ');
}

const digits = (c: CatCtx, n: number): string => {
  let s = String(c.rng.int(1, 9));
  while (s.length < n) s += String(c.rng.int(0, 9));
  return s;
};

const REVIEW: Readonly<Record<string, Gen>> = {
  review_text: (c, _d, st) => reviewText(c, st),
  // Written in the language asked for: no original text or language besides it.
  original_review_text: () => null,
  original_language: () => null,
  owner_answer: (c, _d, st) => (remember(st, '_answered', () => c.rng.next()) < 0.45 ? c.rng.pick(OWNER_REPLIES[tone(c, st)]) : null),
  original_owner_answer: () => null,
  owner_time_ago: (c, _d, st) => (remember(st, '_answered', () => c.rng.next()) < 0.45 ? c.rng.pick(TIME_AGO) : null),
  owner_timestamp: (c, _d, st) =>
    remember(st, '_answered', () => c.rng.next()) < 0.45 ? formatTimestamp(c.nowMs - c.rng.int(1, 300) * DAY) : null,
  time_ago: (c) => c.rng.pick(TIME_AGO),
  profile_url: (c) =>
    c.api.api === 'business_data' && c.endpoint.path.includes('/google/')
      ? `https://www.google.com/maps/contrib/${digits(c, 21)}`
      : c.endpoint.path.includes('trustpilot')
        ? `https://www.trustpilot.com/users/${digits(c, 12)}`
        : c.endpoint.path.includes('tripadvisor')
          ? `https://www.tripadvisor.com/Profile/traveler${digits(c, 6)}`
          : null,
  review_url: (c) =>
    c.api.api === 'business_data' && c.endpoint.path.includes('/google/')
      ? `https://www.google.com/maps/reviews/data=!4m5!14m4!1m3!1m2!1s${digits(c, 21)}!2s0x0:0x${c.rng.int(1, 2 ** 30).toString(16)}`
      : null,
};

const shop = (c: CatCtx, st: St) => SHOPS[remember(st, '_shop', () => c.rng.int(0, SHOPS.length - 1))]!;

const PRODUCT: Readonly<Record<string, Gen>> = {
  title: (c, _d, st) => {
    const brand = BRANDS[remember(st, '_brand', () => c.rng.int(0, BRANDS.length - 1))]!;
    const variant = VARIANTS[remember(st, '_variant', () => c.rng.int(0, VARIANTS.length - 1))]!;
    return `${brand} ${c.Kw} - ${variant}`;
  },
  seller: (c, _d, st) => shop(c, st)[0],
  domain: (c, _d, st) => shop(c, st)[1],
  url: (c, _d, st) =>
    `https://www.${shop(c, st)[1]}/p/${c.kw.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${remember(st, '_sku', () => c.rng.int(10_000, 99_999))}`,
  data_docid: (c) => digits(c, 19),
  shopping_url: (c, _d, st) => `https://www.google.com/shopping/product/${remember(st, '_gpid', () => c.rng.int(10 ** 9, 2 * 10 ** 9))}`,
};

/** The field's realistic generator where it has one (falling back to `fallback` elsewhere), else `fallback`. */
export function realisticString(key: string, fallback: Gen): Gen {
  // A count the vendor types as a string (Trustpilot's reviews_count): digits.
  if (key.endsWith('_count')) return (c) => String(Math.floor(c.rng.next() ** 2 * 5000));
  const review = REVIEW[key];
  const product = PRODUCT[key];
  if (!review && !product) return fallback;
  return (c, d, st) => {
    if (review && isReview(c, st)) return review(c, d, st);
    if (product && isProduct(c, st)) return product(c, d, st);
    return fallback(c, d, st);
  };
}
