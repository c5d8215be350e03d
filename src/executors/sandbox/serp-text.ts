// Text, number and date helpers of the organic, news, maps and YouTube renderers. Hand-rolled where
// a per-row path would otherwise pay for Intl or regular expressions.

import type { Rng } from './prng.js';
import { BLOG_PARTS, BLOG_TLDS } from './serp-vocab.js';

/** The text with lone UTF-16 surrogates (valid in JSON, not in Unicode) replaced by U+FFFD. */
function wellFormed(text: string): string {
  let fixed = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    fixed += ch.length === 1 && code >= 0xd800 && code <= 0xdfff ? '\ufffd' : ch;
  }
  return fixed;
}

/** encodeURIComponent that never throws on lone surrogates (they become U+FFFD). */
export function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(wellFormed(text));
  }
}

/** encodeURI that never throws on lone surrogates (they become U+FFFD). */
export function encodePath(text: string): string {
  try {
    return encodeURI(text);
  } catch {
    return encodeURI(wellFormed(text));
  }
}

/** Query-string form: spaces as "+". */
export function plusForm(text: string): string {
  return encode(text).split('%20').join('+');
}

export function titleCase(text: string): string {
  const words = text.split(' ');
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.length > 0) words[i] = w[0].toUpperCase() + w.slice(1);
  }
  return words.join(' ');
}

const SMALL_WORDS = new Set(['a', 'an', 'the', 'of', 'to', 'in', 'for', 'and', 'or', 'on', 'at', 'by', 'with', 'vs', 'from']);

/** Headline case: words capitalized except short function words after the first ("How to Tie a Tie"). */
export function headline(text: string): string {
  const words = text.split(' ');
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.length > 0 && (i === 0 || !SMALL_WORDS.has(w))) words[i] = w[0].toUpperCase() + w.slice(1);
  }
  return words.join(' ');
}

export function capitalize(text: string): string {
  return text.length > 0 ? text[0].toUpperCase() + text.slice(1) : text;
}

/** Lowercase ASCII slug; non-ASCII characters stay percent-encoded. */
export function slugify(text: string, fallback = 'page'): string {
  let out = '';
  let dash = false;
  for (const ch of text.toLowerCase()) {
    const code = ch.charCodeAt(0);
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      out += ch;
      dash = false;
    } else if (code > 127) {
      out += encode(ch);
      dash = false;
    } else if (!dash && out.length > 0) {
      out += '-';
      dash = true;
    }
  }
  if (dash) out = out.slice(0, -1);
  return out.length > 0 ? out : fallback;
}

/** Letters and digits only, lowercase ASCII ("Albert Einstein" -> "alberteinstein"). */
export function compactName(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase()) {
    const code = ch.charCodeAt(0);
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) out += ch;
  }
  return out;
}

export function wikiTitle(text: string): string {
  const t = text
    .trim()
    .split(' ')
    .filter((w) => w.length > 0)
    .join('_');
  return t.length > 0
    ? encode(t[0].toUpperCase() + t.slice(1))
        .split('%2F')
        .join('/')
    : 'Main_Page';
}

export function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** "12,345" without Intl. */
export function formatCount(n: number): string {
  let s = String(n);
  for (let i = s.length - 3; i > 0; i -= 3) s = s.slice(0, i) + ',' + s.slice(i);
  return s;
}

/** "1.2K", "34M" style YouTube/news counts. */
export function shortCount(n: number): string {
  if (n >= 1_000_000_000) return Math.round(n / 100_000_000) / 10 + 'B';
  if (n >= 1_000_000) return (n >= 10_000_000 ? Math.round(n / 1_000_000) : Math.round(n / 100_000) / 10) + 'M';
  if (n >= 1_000) return (n >= 10_000 ? Math.round(n / 1_000) : Math.round(n / 100) / 10) + 'K';
  return String(n);
}

export const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const B64URL = B62 + '-_';
export const DIGITS = '0123456789';

/** Weighted pick over a cumulative weight table. */
export function pickWeighted<T>(rng: Rng, items: readonly T[], cumulative: readonly number[]): T {
  const r = rng.next() * cumulative[cumulative.length - 1];
  for (let i = 0; i < cumulative.length; i++) if (r < cumulative[i]) return items[i];
  return items[items.length - 1];
}

export function cumulate(weights: readonly number[]): number[] {
  let acc = 0;
  return weights.map((w) => (acc += w));
}

/** A decimal string of an unsigned 64-bit value built from two 32-bit halves (Google cid/feature ids). */
export function u64Decimal(hi: number, lo: number): string {
  return (BigInt(hi >>> 0) * 4294967296n + BigInt(lo >>> 0)).toString();
}

const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export { DAY_MS };

/** Parses the vendor's "yyyy-mm-dd hh:mm:ss +00:00"; falls back to a fixed instant. */
export function parseDatetime(datetime: string): number {
  if (datetime.length >= 19) {
    const ms = Date.UTC(
      +datetime.slice(0, 4),
      +datetime.slice(5, 7) - 1,
      +datetime.slice(8, 10),
      +datetime.slice(11, 13),
      +datetime.slice(14, 16),
      +datetime.slice(17, 19),
    );
    if (Number.isFinite(ms)) return ms;
  }
  return Date.UTC(2025, 0, 1);
}

/** "yyyy-mm-dd hh:mm:ss +00:00": the vendor's datetime format. */
export { formatDateTime as formatTimestamp } from '../../domain/time-format.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Mar 4, 2024". */
export function formatShortDate(ms: number): string {
  const d = new Date(ms);
  return MONTHS[d.getUTCMonth()] + ' ' + d.getUTCDate() + ', ' + d.getUTCFullYear();
}

/** "3 hours ago" / "2 days ago" / "1 month ago" for an age in ms. */
export function relativeAge(ageMs: number): string {
  const min = Math.max(1, Math.floor(ageMs / 60_000));
  if (min < 60) return min === 1 ? '1 minute ago' : min + ' minutes ago';
  const h = Math.floor(min / 60);
  if (h < 24) return h === 1 ? '1 hour ago' : h + ' hours ago';
  const d = Math.floor(h / 24);
  if (d < 7) return d === 1 ? '1 day ago' : d + ' days ago';
  if (d < 30) {
    const w = Math.floor(d / 7);
    return w === 1 ? '1 week ago' : w + ' weeks ago';
  }
  if (d < 365) {
    const m = Math.floor(d / 30);
    return m === 1 ? '1 month ago' : m + ' months ago';
  }
  const y = Math.floor(d / 365);
  return y === 1 ? '1 year ago' : y + ' years ago';
}

/** A small publisher's made-up domain ("dailytechjournal.com"), now and then under the market's TLD. */
export function blogDomain(rng: Rng, tld: string): string {
  return (
    rng.pick(BLOG_PARTS[0]) +
    rng.pick(BLOG_PARTS[1]) +
    rng.pick(BLOG_PARTS[2]) +
    (rng.chance(0.25) && tld !== '.com' ? tld : rng.pick(BLOG_TLDS))
  );
}
