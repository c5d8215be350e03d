// Shared vocabulary and small helpers for the organic, news, maps and YouTube sandbox renderers:
// markets (cities, currencies, phone and address formats), keyword intent detection, a compiled
// template type with the fields these renderers need, and fast text/date helpers. Everything here
// is computed once at module load; per-render code only reads it.

import type { Rng } from './prng.js';
import type { SerpRenderInput } from './render-input.js';

/* ------------------------------------------------------------------------------------------- */
/* Templates                                                                                    */
/* ------------------------------------------------------------------------------------------- */

/** Values a SERP template may reference; renderers keep one mutable instance per render. */
export interface SerpCtx {
  kw: string; // keyword as typed
  Kw: string; // Title Case keyword
  topic: string; // keyword without intent words ("best", "near me", "how to")
  Topic: string;
  slug: string; // url slug of the keyword
  tslug: string; // url slug of the topic
  wslug: string; // Wikipedia-style title
  plus: string; // keyword in query-string form
  pct: string; // encodeURIComponent(keyword)
  compact: string; // letters and digits of the keyword only
  lang: string; // "en"
  city: string;
  cslug: string; // url slug of the city
  country: string;
  Tdash: string; // Title-Case-Topic-With-Dashes
  year: string;
  n: string; // a count, "1,234"
  mod: string; // modifier word
  id: string; // 6–9 digit id
  b: string; // 11 base62 chars
  h: string; // 8 hex chars
  sub: string; // subreddit / section / forum
  sect: string; // news section
  day: string; // weekday name
  user: string;
  site: string; // website name
  host: string; // host of the current result
  amazon: string; // amazon host of the market
}

export type Tpl = (ctx: SerpCtx) => string;

/** Compiles "{Kw} - {site}" style templates into literal/key pieces (no parsing per call). */
export function tpl(template: string): Tpl {
  const lits: string[] = [];
  const keys: Array<keyof SerpCtx> = [];
  let i = 0;
  let lit = '';
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const close = open < 0 ? -1 : template.indexOf('}', open);
    if (open < 0 || close < 0) {
      lit += template.slice(i);
      break;
    }
    lit += template.slice(i, open);
    lits.push(lit);
    lit = '';
    keys.push(template.slice(open + 1, close) as keyof SerpCtx);
    i = close + 1;
  }
  const tail = lit;
  if (keys.length === 0) return () => tail;
  if (keys.length === 1) {
    const [a] = lits as [string];
    const [k] = keys as [keyof SerpCtx];
    return (ctx) => a + (ctx[k] ?? '') + tail;
  }
  return (ctx) => {
    let out = '';
    for (let j = 0; j < keys.length; j++) out += lits[j] + (ctx[keys[j]] ?? '');
    return out + tail;
  };
}

export const tpls = (list: readonly string[]): Tpl[] => list.map(tpl);

export function emptyCtx(): SerpCtx {
  return {
    kw: '',
    Kw: '',
    topic: '',
    Topic: '',
    slug: '',
    tslug: '',
    wslug: '',
    plus: '',
    pct: '',
    compact: '',
    lang: 'en',
    city: '',
    cslug: '',
    country: '',
    Tdash: '',
    sect: '',
    day: '',
    year: '',
    n: '',
    mod: '',
    id: '',
    b: '',
    h: '',
    sub: '',
    user: '',
    site: '',
    host: '',
    amazon: '',
  };
}

/* ------------------------------------------------------------------------------------------- */
/* Text helpers                                                                                 */
/* ------------------------------------------------------------------------------------------- */

/** encodeURIComponent that never throws on lone surrogates (they become U+FFFD). */
export function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    let fixed = '';
    for (const ch of text) {
      const code = ch.charCodeAt(0);
      fixed += ch.length === 1 && code >= 0xd800 && code <= 0xdfff ? '\ufffd' : ch;
    }
    return encodeURIComponent(fixed);
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

export { escapeHtml } from './html.js';

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

/* ------------------------------------------------------------------------------------------- */
/* Dates                                                                                        */
/* ------------------------------------------------------------------------------------------- */

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

/* ------------------------------------------------------------------------------------------- */
/* Markets                                                                                      */
/* ------------------------------------------------------------------------------------------- */

export interface City {
  name: string;
  region: string;
  lat: number;
  lng: number;
}

export interface NewsSource {
  domain: string;
  name: string;
}

export type AddressStyle = 'us' | 'uk' | 'eu' | 'jp';

export interface Market {
  cc: string;
  country: string;
  language: string;
  currency: string;
  symbol: string;
  symbolAfter: boolean;
  amazon: string;
  tld: string;
  cities: readonly City[];
  news: readonly NewsSource[];
  streets: readonly string[];
  style: AddressStyle;
  /** dialing prefix and national number groups, e.g. ["+1", 3, 3, 4] */
  phone: readonly [string, ...number[]];
  zip: (rng: Rng) => string;
}

const digits = (rng: Rng, n: number): string => rng.chars(n, DIGITS);
const zipN =
  (n: number) =>
  (rng: Rng): string =>
    String(rng.int(1, 9)) + digits(rng, n - 1);

const US_NEWS: NewsSource[] = [
  { domain: 'www.nytimes.com', name: 'The New York Times' },
  { domain: 'www.cnn.com', name: 'CNN' },
  { domain: 'www.washingtonpost.com', name: 'The Washington Post' },
  { domain: 'apnews.com', name: 'AP News' },
  { domain: 'www.reuters.com', name: 'Reuters' },
  { domain: 'www.nbcnews.com', name: 'NBC News' },
  { domain: 'www.foxnews.com', name: 'Fox News' },
  { domain: 'www.usatoday.com', name: 'USA Today' },
  { domain: 'www.cbsnews.com', name: 'CBS News' },
  { domain: 'www.npr.org', name: 'NPR' },
  { domain: 'www.bloomberg.com', name: 'Bloomberg' },
  { domain: 'www.cnbc.com', name: 'CNBC' },
  { domain: 'www.forbes.com', name: 'Forbes' },
  { domain: 'www.theverge.com', name: 'The Verge' },
  { domain: 'abcnews.go.com', name: 'ABC News' },
  { domain: 'www.wsj.com', name: 'The Wall Street Journal' },
  { domain: 'www.axios.com', name: 'Axios' },
  { domain: 'www.politico.com', name: 'Politico' },
  { domain: 'www.latimes.com', name: 'Los Angeles Times' },
  { domain: 'www.theguardian.com', name: 'The Guardian' },
];
const UK_NEWS: NewsSource[] = [
  { domain: 'www.bbc.co.uk', name: 'BBC' },
  { domain: 'www.theguardian.com', name: 'The Guardian' },
  { domain: 'www.independent.co.uk', name: 'The Independent' },
  { domain: 'www.telegraph.co.uk', name: 'The Telegraph' },
  { domain: 'www.thetimes.co.uk', name: 'The Times' },
  { domain: 'news.sky.com', name: 'Sky News' },
  { domain: 'www.dailymail.co.uk', name: 'Daily Mail' },
  { domain: 'www.mirror.co.uk', name: 'Mirror' },
  { domain: 'www.ft.com', name: 'Financial Times' },
  { domain: 'www.reuters.com', name: 'Reuters' },
  { domain: 'www.standard.co.uk', name: 'Evening Standard' },
  { domain: 'metro.co.uk', name: 'Metro' },
];
const DE_NEWS: NewsSource[] = [
  { domain: 'www.spiegel.de', name: 'DER SPIEGEL' },
  { domain: 'www.zeit.de', name: 'ZEIT ONLINE' },
  { domain: 'www.faz.net', name: 'FAZ' },
  { domain: 'www.sueddeutsche.de', name: 'Süddeutsche Zeitung' },
  { domain: 'www.tagesschau.de', name: 'tagesschau.de' },
  { domain: 'www.welt.de', name: 'WELT' },
  { domain: 'www.bild.de', name: 'BILD' },
  { domain: 'www.n-tv.de', name: 'n-tv' },
  { domain: 'www.stern.de', name: 'STERN' },
  { domain: 'www.handelsblatt.com', name: 'Handelsblatt' },
];
const FR_NEWS: NewsSource[] = [
  { domain: 'www.lemonde.fr', name: 'Le Monde' },
  { domain: 'www.lefigaro.fr', name: 'Le Figaro' },
  { domain: 'www.liberation.fr', name: 'Libération' },
  { domain: 'www.francetvinfo.fr', name: 'Franceinfo' },
  { domain: 'www.leparisien.fr', name: 'Le Parisien' },
  { domain: 'www.20minutes.fr', name: '20 Minutes' },
  { domain: 'www.bfmtv.com', name: 'BFMTV' },
  { domain: 'www.ouest-france.fr', name: 'Ouest-France' },
];
const ES_NEWS: NewsSource[] = [
  { domain: 'elpais.com', name: 'EL PAÍS' },
  { domain: 'www.elmundo.es', name: 'El Mundo' },
  { domain: 'www.abc.es', name: 'ABC' },
  { domain: 'www.lavanguardia.com', name: 'La Vanguardia' },
  { domain: 'www.20minutos.es', name: '20minutos' },
  { domain: 'www.rtve.es', name: 'RTVE' },
];
const IT_NEWS: NewsSource[] = [
  { domain: 'www.corriere.it', name: 'Corriere della Sera' },
  { domain: 'www.repubblica.it', name: 'la Repubblica' },
  { domain: 'www.ansa.it', name: 'ANSA' },
  { domain: 'www.lastampa.it', name: 'La Stampa' },
  { domain: 'www.ilsole24ore.com', name: 'Il Sole 24 ORE' },
  { domain: 'www.ilfattoquotidiano.it', name: 'Il Fatto Quotidiano' },
];
const NL_NEWS: NewsSource[] = [
  { domain: 'nos.nl', name: 'NOS' },
  { domain: 'www.nu.nl', name: 'NU.nl' },
  { domain: 'www.ad.nl', name: 'AD' },
  { domain: 'www.telegraaf.nl', name: 'De Telegraaf' },
  { domain: 'www.volkskrant.nl', name: 'de Volkskrant' },
  { domain: 'nos.nl', name: 'NOS' },
];
const CA_NEWS: NewsSource[] = [
  { domain: 'www.cbc.ca', name: 'CBC' },
  { domain: 'www.theglobeandmail.com', name: 'The Globe and Mail' },
  { domain: 'www.ctvnews.ca', name: 'CTV News' },
  { domain: 'globalnews.ca', name: 'Global News' },
  { domain: 'www.thestar.com', name: 'Toronto Star' },
  { domain: 'nationalpost.com', name: 'National Post' },
];
const AU_NEWS: NewsSource[] = [
  { domain: 'www.abc.net.au', name: 'ABC News' },
  { domain: 'www.smh.com.au', name: 'The Sydney Morning Herald' },
  { domain: 'www.news.com.au', name: 'news.com.au' },
  { domain: 'www.theage.com.au', name: 'The Age' },
  { domain: 'www.9news.com.au', name: '9News' },
  { domain: 'www.theguardian.com', name: 'The Guardian' },
];
const IN_NEWS: NewsSource[] = [
  { domain: 'timesofindia.indiatimes.com', name: 'The Times of India' },
  { domain: 'www.hindustantimes.com', name: 'Hindustan Times' },
  { domain: 'www.ndtv.com', name: 'NDTV' },
  { domain: 'indianexpress.com', name: 'The Indian Express' },
  { domain: 'www.thehindu.com', name: 'The Hindu' },
  { domain: 'www.livemint.com', name: 'Mint' },
];
const JP_NEWS: NewsSource[] = [
  { domain: 'www3.nhk.or.jp', name: 'NHK' },
  { domain: 'www.asahi.com', name: '朝日新聞' },
  { domain: 'mainichi.jp', name: '毎日新聞' },
  { domain: 'www.yomiuri.co.jp', name: '読売新聞' },
  { domain: 'www.nikkei.com', name: '日本経済新聞' },
  { domain: 'www.japantimes.co.jp', name: 'The Japan Times' },
];
const BR_NEWS: NewsSource[] = [
  { domain: 'g1.globo.com', name: 'g1' },
  { domain: 'www1.folha.uol.com.br', name: 'Folha de S.Paulo' },
  { domain: 'www.estadao.com.br', name: 'Estadão' },
  { domain: 'www.cnnbrasil.com.br', name: 'CNN Brasil' },
  { domain: 'www.uol.com.br', name: 'UOL' },
  { domain: 'oglobo.globo.com', name: 'O Globo' },
];
const CN_NEWS: NewsSource[] = [
  { domain: 'news.sina.com.cn', name: '新浪新闻' },
  { domain: 'www.163.com', name: '网易' },
  { domain: 'news.qq.com', name: '腾讯新闻' },
  { domain: 'www.sohu.com', name: '搜狐' },
  { domain: 'www.thepaper.cn', name: '澎湃新闻' },
  { domain: 'www.chinanews.com.cn', name: '中国新闻网' },
];
const KR_NEWS: NewsSource[] = [
  { domain: 'n.news.naver.com', name: '네이버 뉴스' },
  { domain: 'www.chosun.com', name: '조선일보' },
  { domain: 'www.joongang.co.kr', name: '중앙일보' },
  { domain: 'www.donga.com', name: '동아일보' },
  { domain: 'www.hani.co.kr', name: '한겨레' },
  { domain: 'www.yna.co.kr', name: '연합뉴스' },
];
const CZ_NEWS: NewsSource[] = [
  { domain: 'www.seznamzpravy.cz', name: 'Seznam Zprávy' },
  { domain: 'www.novinky.cz', name: 'Novinky.cz' },
  { domain: 'www.idnes.cz', name: 'iDNES.cz' },
  { domain: 'www.irozhlas.cz', name: 'iROZHLAS' },
  { domain: 'www.aktualne.cz', name: 'Aktuálně.cz' },
  { domain: 'ct24.ceskatelevize.cz', name: 'ČT24' },
];
const INTL_NEWS: NewsSource[] = [
  { domain: 'www.reuters.com', name: 'Reuters' },
  { domain: 'www.bbc.com', name: 'BBC' },
  { domain: 'apnews.com', name: 'AP News' },
  { domain: 'www.aljazeera.com', name: 'Al Jazeera' },
  { domain: 'www.theguardian.com', name: 'The Guardian' },
  { domain: 'www.cnn.com', name: 'CNN' },
  { domain: 'www.bloomberg.com', name: 'Bloomberg' },
  { domain: 'www.dw.com', name: 'DW' },
];

const US_STREETS = [
  'Main St',
  'Broadway',
  'Oak St',
  'Maple Ave',
  'Washington St',
  '2nd Ave',
  'Park Ave',
  'Elm St',
  'Market St',
  'Lincoln Ave',
  'Pine St',
  'Sunset Blvd',
  'Lake St',
  'Cedar Ave',
  'Madison Ave',
  'Grand Ave',
  'Highland Ave',
  'Church St',
  'Center St',
  'Jefferson St',
];
const UK_STREETS = [
  'High Street',
  'Station Road',
  'Church Lane',
  'King Street',
  'Queen Street',
  'Victoria Road',
  'Park Road',
  'London Road',
  'Green Lane',
  'Mill Lane',
  'Oxford Street',
  'George Street',
];
const DE_STREETS = [
  'Hauptstraße',
  'Bahnhofstraße',
  'Schillerstraße',
  'Goethestraße',
  'Gartenstraße',
  'Berliner Straße',
  'Lindenstraße',
  'Kirchstraße',
  'Friedrichstraße',
  'Marktplatz',
];
const FR_STREETS = [
  'Rue de la République',
  'Avenue Victor Hugo',
  'Rue Saint-Honoré',
  'Boulevard Voltaire',
  'Rue de Rivoli',
  'Rue du Commerce',
  'Avenue Jean Jaurès',
  'Place de la Mairie',
];
const ES_STREETS = [
  'Calle Mayor',
  'Gran Vía',
  'Calle de Alcalá',
  'Avenida de la Constitución',
  'Calle Real',
  'Paseo de Gracia',
  'Calle San Juan',
];
const IT_STREETS = ['Via Roma', 'Corso Vittorio Emanuele', 'Via Garibaldi', 'Via Dante', 'Via Mazzini', 'Piazza del Duomo'];
const NL_STREETS = ['Kerkstraat', 'Dorpsstraat', 'Stationsweg', 'Molenstraat', 'Prinsengracht', 'Markt'];
const GENERIC_STREETS = [
  'Central Avenue',
  'Market Street',
  'Station Road',
  'Park Lane',
  'River Road',
  'Garden Street',
  'Independence Avenue',
  'Harbour Road',
];
const JP_STREETS = ['1-chōme', '2-chōme', '3-chōme', '4-chōme', '5-chōme'];
const BR_STREETS = ['Rua Augusta', 'Avenida Paulista', 'Rua das Flores', 'Avenida Brasil', 'Rua XV de Novembro'];
const CZ_STREETS = ['Václavské náměstí', 'Národní', 'Vinohradská', 'Masarykova', 'Husova', 'Palackého'];
const KR_STREETS = ['Teheran-ro', 'Gangnam-daero', 'Sejong-daero', 'Olympic-ro', 'Hangang-daero'];
const CN_STREETS = ['Nanjing Road', "Chang'an Avenue", 'Huaihai Road', 'Zhongshan Road', 'Jianguo Road'];

const c = (name: string, region: string, lat: number, lng: number): City => ({ name, region, lat, lng });

const MARKET_LIST: Market[] = [
  {
    cc: 'US',
    country: 'United States',
    language: 'English',
    currency: 'USD',
    symbol: '$',
    symbolAfter: false,
    amazon: 'www.amazon.com',
    tld: '.com',
    news: US_NEWS,
    streets: US_STREETS,
    style: 'us',
    phone: ['+1', 3, 3, 4],
    zip: zipN(5),
    cities: [
      c('New York', 'New York', 40.7128, -74.006),
      c('Los Angeles', 'California', 34.0522, -118.2437),
      c('Chicago', 'Illinois', 41.8781, -87.6298),
      c('Houston', 'Texas', 29.7604, -95.3698),
      c('Phoenix', 'Arizona', 33.4484, -112.074),
      c('Philadelphia', 'Pennsylvania', 39.9526, -75.1652),
      c('San Antonio', 'Texas', 29.4241, -98.4936),
      c('San Diego', 'California', 32.7157, -117.1611),
      c('Dallas', 'Texas', 32.7767, -96.797),
      c('San Francisco', 'California', 37.7749, -122.4194),
      c('Seattle', 'Washington', 47.6062, -122.3321),
      c('Boston', 'Massachusetts', 42.3601, -71.0589),
      c('Miami', 'Florida', 25.7617, -80.1918),
      c('Atlanta', 'Georgia', 33.749, -84.388),
      c('Denver', 'Colorado', 39.7392, -104.9903),
      c('Austin', 'Texas', 30.2672, -97.7431),
      c('Las Vegas', 'Nevada', 36.1699, -115.1398),
      c('Washington', 'District of Columbia', 38.9072, -77.0369),
    ],
  },
  {
    cc: 'GB',
    country: 'United Kingdom',
    language: 'English',
    currency: 'GBP',
    symbol: '£',
    symbolAfter: false,
    amazon: 'www.amazon.co.uk',
    tld: '.co.uk',
    news: UK_NEWS,
    streets: UK_STREETS,
    style: 'uk',
    phone: ['+44', 20, 4, 4],
    zip: (rng) => rng.chars(2, 'ABCDEGHLMNPRSTW') + rng.int(1, 20) + ' ' + rng.int(1, 9) + rng.chars(2, 'ABDEFGHJLNPQRSTUWXYZ'),
    cities: [
      c('London', 'England', 51.5074, -0.1278),
      c('Manchester', 'England', 53.4808, -2.2426),
      c('Birmingham', 'England', 52.4862, -1.8904),
      c('Leeds', 'England', 53.8008, -1.5491),
      c('Glasgow', 'Scotland', 55.8642, -4.2518),
      c('Edinburgh', 'Scotland', 55.9533, -3.1883),
      c('Liverpool', 'England', 53.4084, -2.9916),
      c('Bristol', 'England', 51.4545, -2.5879),
      c('Sheffield', 'England', 53.3811, -1.4701),
      c('Cardiff', 'Wales', 51.4816, -3.1791),
    ],
  },
  {
    cc: 'DE',
    country: 'Germany',
    language: 'German',
    currency: 'EUR',
    symbol: '€',
    symbolAfter: true,
    amazon: 'www.amazon.de',
    tld: '.de',
    news: DE_NEWS,
    streets: DE_STREETS,
    style: 'eu',
    phone: ['+49', 30, 4, 4],
    zip: zipN(5),
    cities: [
      c('Berlin', 'Berlin', 52.52, 13.405),
      c('Hamburg', 'Hamburg', 53.5511, 9.9937),
      c('Munich', 'Bavaria', 48.1351, 11.582),
      c('Cologne', 'North Rhine-Westphalia', 50.9375, 6.9603),
      c('Frankfurt', 'Hesse', 50.1109, 8.6821),
      c('Stuttgart', 'Baden-Württemberg', 48.7758, 9.1829),
      c('Düsseldorf', 'North Rhine-Westphalia', 51.2277, 6.7735),
      c('Leipzig', 'Saxony', 51.3397, 12.3731),
    ],
  },
  {
    cc: 'FR',
    country: 'France',
    language: 'French',
    currency: 'EUR',
    symbol: '€',
    symbolAfter: true,
    amazon: 'www.amazon.fr',
    tld: '.fr',
    news: FR_NEWS,
    streets: FR_STREETS,
    style: 'eu',
    phone: ['+33', 1, 2, 2, 2, 2],
    zip: zipN(5),
    cities: [
      c('Paris', 'Île-de-France', 48.8566, 2.3522),
      c('Marseille', "Provence-Alpes-Côte d'Azur", 43.2965, 5.3698),
      c('Lyon', 'Auvergne-Rhône-Alpes', 45.764, 4.8357),
      c('Toulouse', 'Occitanie', 43.6047, 1.4442),
      c('Nice', "Provence-Alpes-Côte d'Azur", 43.7102, 7.262),
      c('Bordeaux', 'Nouvelle-Aquitaine', 44.8378, -0.5792),
    ],
  },
  {
    cc: 'ES',
    country: 'Spain',
    language: 'Spanish',
    currency: 'EUR',
    symbol: '€',
    symbolAfter: true,
    amazon: 'www.amazon.es',
    tld: '.es',
    news: ES_NEWS,
    streets: ES_STREETS,
    style: 'eu',
    phone: ['+34', 3, 3, 3],
    zip: zipN(5),
    cities: [
      c('Madrid', 'Community of Madrid', 40.4168, -3.7038),
      c('Barcelona', 'Catalonia', 41.3874, 2.1686),
      c('Valencia', 'Valencian Community', 39.4699, -0.3763),
      c('Seville', 'Andalusia', 37.3891, -5.9845),
      c('Malaga', 'Andalusia', 36.7213, -4.4214),
      c('Bilbao', 'Basque Country', 43.263, -2.935),
    ],
  },
  {
    cc: 'IT',
    country: 'Italy',
    language: 'Italian',
    currency: 'EUR',
    symbol: '€',
    symbolAfter: true,
    amazon: 'www.amazon.it',
    tld: '.it',
    news: IT_NEWS,
    streets: IT_STREETS,
    style: 'eu',
    phone: ['+39', 2, 4, 4],
    zip: zipN(5),
    cities: [
      c('Rome', 'Lazio', 41.9028, 12.4964),
      c('Milan', 'Lombardy', 45.4642, 9.19),
      c('Naples', 'Campania', 40.8518, 14.2681),
      c('Turin', 'Piedmont', 45.0703, 7.6869),
      c('Florence', 'Tuscany', 43.7696, 11.2558),
      c('Bologna', 'Emilia-Romagna', 44.4949, 11.3426),
    ],
  },
  {
    cc: 'NL',
    country: 'Netherlands',
    language: 'Dutch',
    currency: 'EUR',
    symbol: '€',
    symbolAfter: false,
    amazon: 'www.amazon.nl',
    tld: '.nl',
    news: NL_NEWS,
    streets: NL_STREETS,
    style: 'eu',
    phone: ['+31', 20, 3, 4],
    zip: (rng) => rng.int(1000, 9999) + ' ' + rng.chars(2, 'ABCDEGHJKLMNPRSTVWXZ'),
    cities: [
      c('Amsterdam', 'North Holland', 52.3676, 4.9041),
      c('Rotterdam', 'South Holland', 51.9244, 4.4777),
      c('The Hague', 'South Holland', 52.0705, 4.3007),
      c('Utrecht', 'Utrecht', 52.0907, 5.1214),
      c('Eindhoven', 'North Brabant', 51.4416, 5.4697),
    ],
  },
  {
    cc: 'CA',
    country: 'Canada',
    language: 'English',
    currency: 'CAD',
    symbol: '$',
    symbolAfter: false,
    amazon: 'www.amazon.ca',
    tld: '.ca',
    news: CA_NEWS,
    streets: US_STREETS,
    style: 'us',
    phone: ['+1', 3, 3, 4],
    zip: (rng) =>
      rng.chars(1, 'ABCEGHJKLMNPRSTVXY') +
      rng.int(0, 9) +
      rng.chars(1, 'ABCEGHJKLMNPRSTVWXYZ') +
      ' ' +
      rng.int(0, 9) +
      rng.chars(1, 'ABCEGHJKLMNPRSTVWXYZ') +
      rng.int(0, 9),
    cities: [
      c('Toronto', 'Ontario', 43.6532, -79.3832),
      c('Montreal', 'Quebec', 45.5017, -73.5673),
      c('Vancouver', 'British Columbia', 49.2827, -123.1207),
      c('Calgary', 'Alberta', 51.0447, -114.0719),
      c('Ottawa', 'Ontario', 45.4215, -75.6972),
      c('Edmonton', 'Alberta', 53.5461, -113.4938),
    ],
  },
  {
    cc: 'AU',
    country: 'Australia',
    language: 'English',
    currency: 'AUD',
    symbol: '$',
    symbolAfter: false,
    amazon: 'www.amazon.com.au',
    tld: '.com.au',
    news: AU_NEWS,
    streets: UK_STREETS,
    style: 'us',
    phone: ['+61', 2, 4, 4],
    zip: zipN(4),
    cities: [
      c('Sydney', 'New South Wales', -33.8688, 151.2093),
      c('Melbourne', 'Victoria', -37.8136, 144.9631),
      c('Brisbane', 'Queensland', -27.4698, 153.0251),
      c('Perth', 'Western Australia', -31.9505, 115.8605),
      c('Adelaide', 'South Australia', -34.9285, 138.6007),
    ],
  },
  {
    cc: 'IN',
    country: 'India',
    language: 'English',
    currency: 'INR',
    symbol: '₹',
    symbolAfter: false,
    amazon: 'www.amazon.in',
    tld: '.in',
    news: IN_NEWS,
    streets: GENERIC_STREETS,
    style: 'uk',
    phone: ['+91', 5, 5],
    zip: zipN(6),
    cities: [
      c('Mumbai', 'Maharashtra', 19.076, 72.8777),
      c('Delhi', 'Delhi', 28.7041, 77.1025),
      c('Bengaluru', 'Karnataka', 12.9716, 77.5946),
      c('Hyderabad', 'Telangana', 17.385, 78.4867),
      c('Chennai', 'Tamil Nadu', 13.0827, 80.2707),
      c('Kolkata', 'West Bengal', 22.5726, 88.3639),
    ],
  },
  {
    cc: 'JP',
    country: 'Japan',
    language: 'Japanese',
    currency: 'JPY',
    symbol: '¥',
    symbolAfter: false,
    amazon: 'www.amazon.co.jp',
    tld: '.jp',
    news: JP_NEWS,
    streets: JP_STREETS,
    style: 'jp',
    phone: ['+81', 3, 4, 4],
    zip: (rng) => digits(rng, 3) + '-' + digits(rng, 4),
    cities: [
      c('Tokyo', 'Tokyo', 35.6762, 139.6503),
      c('Osaka', 'Osaka', 34.6937, 135.5023),
      c('Yokohama', 'Kanagawa', 35.4437, 139.638),
      c('Nagoya', 'Aichi', 35.1815, 136.9066),
      c('Sapporo', 'Hokkaido', 43.0618, 141.3545),
      c('Fukuoka', 'Fukuoka', 33.5904, 130.4017),
    ],
  },
  {
    cc: 'BR',
    country: 'Brazil',
    language: 'Portuguese',
    currency: 'BRL',
    symbol: 'R$',
    symbolAfter: false,
    amazon: 'www.amazon.com.br',
    tld: '.com.br',
    news: BR_NEWS,
    streets: BR_STREETS,
    style: 'eu',
    phone: ['+55', 11, 5, 4],
    zip: (rng) => digits(rng, 5) + '-' + digits(rng, 3),
    cities: [
      c('São Paulo', 'São Paulo', -23.5505, -46.6333),
      c('Rio de Janeiro', 'Rio de Janeiro', -22.9068, -43.1729),
      c('Brasília', 'Federal District', -15.7975, -47.8919),
      c('Salvador', 'Bahia', -12.9777, -38.5016),
      c('Belo Horizonte', 'Minas Gerais', -19.9167, -43.9345),
    ],
  },
  {
    cc: 'CN',
    country: 'China',
    language: 'Chinese (Simplified)',
    currency: 'CNY',
    symbol: '¥',
    symbolAfter: false,
    amazon: 'www.amazon.cn',
    tld: '.cn',
    news: CN_NEWS,
    streets: CN_STREETS,
    style: 'eu',
    phone: ['+86', 10, 4, 4],
    zip: zipN(6),
    cities: [
      c('Beijing', 'Beijing', 39.9042, 116.4074),
      c('Shanghai', 'Shanghai', 31.2304, 121.4737),
      c('Guangzhou', 'Guangdong', 23.1291, 113.2644),
      c('Shenzhen', 'Guangdong', 22.5431, 114.0579),
    ],
  },
  {
    cc: 'KR',
    country: 'South Korea',
    language: 'Korean',
    currency: 'KRW',
    symbol: '₩',
    symbolAfter: false,
    amazon: 'www.amazon.com',
    tld: '.co.kr',
    news: KR_NEWS,
    streets: KR_STREETS,
    style: 'eu',
    phone: ['+82', 2, 4, 4],
    zip: zipN(5),
    cities: [
      c('Seoul', 'Seoul', 37.5665, 126.978),
      c('Busan', 'Busan', 35.1796, 129.0756),
      c('Incheon', 'Incheon', 37.4563, 126.7052),
      c('Daegu', 'Daegu', 35.8714, 128.6014),
    ],
  },
  {
    cc: 'CZ',
    country: 'Czechia',
    language: 'Czech',
    currency: 'CZK',
    symbol: 'Kč',
    symbolAfter: true,
    amazon: 'www.amazon.de',
    tld: '.cz',
    news: CZ_NEWS,
    streets: CZ_STREETS,
    style: 'eu',
    phone: ['+420', 3, 3, 3],
    zip: (rng) => digits(rng, 3) + ' ' + digits(rng, 2),
    cities: [
      c('Prague', 'Prague', 50.0755, 14.4378),
      c('Brno', 'South Moravian Region', 49.1951, 16.6068),
      c('Ostrava', 'Moravian-Silesian Region', 49.8209, 18.2625),
      c('Plzeň', 'Plzeň Region', 49.7384, 13.3736),
    ],
  },
];

/** Capitals of further countries: [iso, country, capital, lat, lng, currency, symbol]. */
const CAPITALS: ReadonlyArray<readonly [string, string, string, number, number, string, string]> = [
  ['AR', 'Argentina', 'Buenos Aires', -34.6037, -58.3816, 'ARS', '$'],
  ['AT', 'Austria', 'Vienna', 48.2082, 16.3738, 'EUR', '€'],
  ['BE', 'Belgium', 'Brussels', 50.8503, 4.3517, 'EUR', '€'],
  ['CH', 'Switzerland', 'Zurich', 47.3769, 8.5417, 'CHF', 'CHF'],
  ['CL', 'Chile', 'Santiago', -33.4489, -70.6693, 'CLP', '$'],
  ['CO', 'Colombia', 'Bogotá', 4.711, -74.0721, 'COP', '$'],
  ['DK', 'Denmark', 'Copenhagen', 55.6761, 12.5683, 'DKK', 'kr'],
  ['EG', 'Egypt', 'Cairo', 30.0444, 31.2357, 'EGP', 'E£'],
  ['FI', 'Finland', 'Helsinki', 60.1699, 24.9384, 'EUR', '€'],
  ['GR', 'Greece', 'Athens', 37.9838, 23.7275, 'EUR', '€'],
  ['HK', 'Hong Kong', 'Hong Kong', 22.3193, 114.1694, 'HKD', 'HK$'],
  ['HU', 'Hungary', 'Budapest', 47.4979, 19.0402, 'HUF', 'Ft'],
  ['ID', 'Indonesia', 'Jakarta', -6.2088, 106.8456, 'IDR', 'Rp'],
  ['IE', 'Ireland', 'Dublin', 53.3498, -6.2603, 'EUR', '€'],
  ['IL', 'Israel', 'Tel Aviv', 32.0853, 34.7818, 'ILS', '₪'],
  ['KE', 'Kenya', 'Nairobi', -1.2921, 36.8219, 'KES', 'KSh'],
  ['MX', 'Mexico', 'Mexico City', 19.4326, -99.1332, 'MXN', '$'],
  ['MY', 'Malaysia', 'Kuala Lumpur', 3.139, 101.6869, 'MYR', 'RM'],
  ['NG', 'Nigeria', 'Lagos', 6.5244, 3.3792, 'NGN', '₦'],
  ['NO', 'Norway', 'Oslo', 59.9139, 10.7522, 'NOK', 'kr'],
  ['NZ', 'New Zealand', 'Auckland', -36.8485, 174.7633, 'NZD', '$'],
  ['PE', 'Peru', 'Lima', -12.0464, -77.0428, 'PEN', 'S/'],
  ['PH', 'Philippines', 'Manila', 14.5995, 120.9842, 'PHP', '₱'],
  ['PK', 'Pakistan', 'Karachi', 24.8607, 67.0011, 'PKR', 'Rs'],
  ['PL', 'Poland', 'Warsaw', 52.2297, 21.0122, 'PLN', 'zł'],
  ['PT', 'Portugal', 'Lisbon', 38.7223, -9.1393, 'EUR', '€'],
  ['RO', 'Romania', 'Bucharest', 44.4268, 26.1025, 'RON', 'lei'],
  ['RU', 'Russia', 'Moscow', 55.7558, 37.6173, 'RUB', '₽'],
  ['SA', 'Saudi Arabia', 'Riyadh', 24.7136, 46.6753, 'SAR', 'SAR'],
  ['SE', 'Sweden', 'Stockholm', 59.3293, 18.0686, 'SEK', 'kr'],
  ['SG', 'Singapore', 'Singapore', 1.3521, 103.8198, 'SGD', '$'],
  ['TH', 'Thailand', 'Bangkok', 13.7563, 100.5018, 'THB', '฿'],
  ['TR', 'Turkey', 'Istanbul', 41.0082, 28.9784, 'TRY', '₺'],
  ['TW', 'Taiwan', 'Taipei', 25.033, 121.5654, 'TWD', 'NT$'],
  ['UA', 'Ukraine', 'Kyiv', 50.4501, 30.5234, 'UAH', '₴'],
  ['AE', 'United Arab Emirates', 'Dubai', 25.2048, 55.2708, 'AED', 'AED'],
  ['VN', 'Vietnam', 'Ho Chi Minh City', 10.8231, 106.6297, 'VND', '₫'],
  ['ZA', 'South Africa', 'Johannesburg', -26.2041, 28.0473, 'ZAR', 'R'],
  ['SK', 'Slovakia', 'Bratislava', 48.1486, 17.1077, 'EUR', '€'],
  ['BG', 'Bulgaria', 'Sofia', 42.6977, 23.3219, 'BGN', 'лв'],
];

const MARKETS = new Map<string, Market>(MARKET_LIST.map((m) => [m.cc, m]));
for (const [cc, country, capital, lat, lng, currency, symbol] of CAPITALS) {
  MARKETS.set(cc, {
    cc,
    country,
    language: 'English',
    currency,
    symbol,
    symbolAfter: symbol.length > 1 && symbol !== 'HK$' && symbol !== 'NT$',
    amazon: 'www.amazon.com',
    tld: '.com',
    news: INTL_NEWS,
    streets: GENERIC_STREETS,
    style: 'eu',
    phone: ['+' + String(10 + ((cc.charCodeAt(0) * 7 + cc.charCodeAt(1)) % 89)), 3, 3, 4],
    zip: zipN(5),
    cities: [c(capital, capital, lat, lng)],
  });
}
const US = MARKETS.get('US') as Market;

const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  pt: 'Portuguese',
  nl: 'Dutch',
  ja: 'Japanese',
  zh: 'Chinese',
  'zh-cn': 'Chinese (Simplified)',
  'zh-tw': 'Chinese (Traditional)',
  ko: 'Korean',
  cs: 'Czech',
  ru: 'Russian',
  pl: 'Polish',
  sv: 'Swedish',
  da: 'Danish',
  no: 'Norwegian',
  fi: 'Finnish',
  tr: 'Turkish',
  ar: 'Arabic',
  hi: 'Hindi',
  he: 'Hebrew',
  el: 'Greek',
  hu: 'Hungarian',
  ro: 'Romanian',
  uk: 'Ukrainian',
  th: 'Thai',
  vi: 'Vietnamese',
  id: 'Indonesian',
  ms: 'Malay',
  sk: 'Slovak',
  bg: 'Bulgarian',
};

export function languageName(code: string): string {
  return LANGUAGE_NAMES[code.toLowerCase()] ?? LANGUAGE_NAMES[code.slice(0, 2).toLowerCase()] ?? 'English';
}

/** Resolved place of a render: market, city and the display names used in text. */
export interface Place {
  market: Market;
  city: City;
  /** the location as a short display name ("New York, NY" style is not attempted: "New York") */
  locationDisplay: string;
}

/**
 * Finds the market by country ISO (or the engine's home market) and the city by the first part of
 * the location name; unknown cities get the market's main city with coordinates nudged
 * deterministically so different locations do not share one centre.
 */
export function resolvePlace(input: SerpRenderInput, homeCc?: string): Place {
  const cc = (input.countryIso ?? homeCc ?? 'US').toUpperCase();
  const market = MARKETS.get(cc) ?? (homeCc ? MARKETS.get(homeCc) : undefined) ?? US;
  const name = input.locationName ?? '';
  const comma = name.indexOf(',');
  const first = (comma < 0 ? name : name.slice(0, comma)).trim();
  let city = market.cities[0];
  if (first !== '' && first !== market.country) {
    const found = market.cities.find((x) => x.name === first || x.region === first);
    if (found) city = found;
    else if (comma >= 0) {
      // A city or region we do not know: keep the market's centre, shifted by the name's hash.
      let h = 0;
      for (let i = 0; i < first.length; i++) h = (Math.imul(h, 31) + first.charCodeAt(i)) | 0;
      const dLat = (((h >>> 0) % 2000) / 1000 - 1) * 1.5;
      const dLng = ((((h >>> 11) >>> 0) % 2000) / 1000 - 1) * 1.5;
      const second = name
        .slice(comma + 1)
        .split(',')[0]
        .trim();
      city = { name: first, region: second || first, lat: round6(city.lat + dLat), lng: round6(city.lng + dLng) };
    }
  }
  return { market, city, locationDisplay: city.name };
}

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** "+1 212-555-0134" style phone number of the market. */
export function phoneNumber(rng: Rng, market: Market): string {
  const p = market.phone;
  const sep = market.style === 'us' ? '-' : ' ';
  let out = p[0];
  for (let i = 1; i < p.length; i++) {
    const g = p[i] as number;
    // a first group above 9 is a literal area code (20 for London, 30 for Berlin)
    let part = i === 1 && g > 9 ? String(g) : rng.chars(g, DIGITS);
    // area codes and (in North America) exchanges never start with 0 or 1
    if ((i === 1 || (i === 2 && market.style === 'us')) && (part[0] === '0' || part[0] === '1')) {
      part = String(2 + (part.charCodeAt(part.length - 1) % 8)) + part.slice(1);
    }
    out += (i === 1 ? ' ' : sep) + part;
  }
  return out;
}

/** A street address line and the pieces of AddressInfo. */
export interface StreetAddress {
  line: string;
  zip: string;
  full: string;
}

export function streetAddress(rng: Rng, place: Place): StreetAddress {
  const m = place.market;
  const street = rng.pick(m.streets);
  const num = rng.int(1, m.style === 'us' ? 2999 : 180);
  const zip = m.zip(rng);
  let line: string;
  let full: string;
  switch (m.style) {
    case 'us':
      line = num + ' ' + street;
      full = line + ', ' + place.city.name + ', ' + regionAbbrev(place.city.region) + ' ' + zip;
      break;
    case 'uk':
      line = num + ' ' + street;
      full = line + ', ' + place.city.name + ' ' + zip;
      break;
    case 'jp':
      line = street + '-' + rng.int(1, 30) + '-' + rng.int(1, 20);
      full = line + ', ' + place.city.name + ', ' + place.city.region + ' ' + zip;
      break;
    default:
      line = street + ' ' + num;
      full = line + ', ' + zip + ' ' + place.city.name;
  }
  return { line, zip, full };
}

const US_STATES: Readonly<Record<string, string>> = {
  Alabama: 'AL',
  Alaska: 'AK',
  Arizona: 'AZ',
  Arkansas: 'AR',
  California: 'CA',
  Colorado: 'CO',
  Connecticut: 'CT',
  Delaware: 'DE',
  Florida: 'FL',
  Georgia: 'GA',
  Hawaii: 'HI',
  Idaho: 'ID',
  Illinois: 'IL',
  Indiana: 'IN',
  Iowa: 'IA',
  Kansas: 'KS',
  Kentucky: 'KY',
  Louisiana: 'LA',
  Maine: 'ME',
  Maryland: 'MD',
  Massachusetts: 'MA',
  Michigan: 'MI',
  Minnesota: 'MN',
  Mississippi: 'MS',
  Missouri: 'MO',
  Montana: 'MT',
  Nebraska: 'NE',
  Nevada: 'NV',
  'New Hampshire': 'NH',
  'New Jersey': 'NJ',
  'New Mexico': 'NM',
  'New York': 'NY',
  'North Carolina': 'NC',
  'North Dakota': 'ND',
  Ohio: 'OH',
  Oklahoma: 'OK',
  Oregon: 'OR',
  Pennsylvania: 'PA',
  'Rhode Island': 'RI',
  'South Carolina': 'SC',
  'South Dakota': 'SD',
  Tennessee: 'TN',
  Texas: 'TX',
  Utah: 'UT',
  Vermont: 'VT',
  Virginia: 'VA',
  Washington: 'WA',
  'West Virginia': 'WV',
  Wisconsin: 'WI',
  Wyoming: 'WY',
  'District of Columbia': 'DC',
  Ontario: 'ON',
  Quebec: 'QC',
  'British Columbia': 'BC',
  Alberta: 'AB',
  'New South Wales': 'NSW',
  Victoria: 'VIC',
  Queensland: 'QLD',
  'Western Australia': 'WA',
  'South Australia': 'SA',
};

export function regionAbbrev(region: string): string {
  return US_STATES[region] ?? region;
}

/** Formats a price in the market's currency ("$19.99", "19,99 €"). */
export function displayPrice(value: number, market: Market): string {
  const whole = market.currency === 'JPY' || market.currency === 'KRW' || market.currency === 'HUF';
  const text = whole ? formatCount(Math.round(value)) : value.toFixed(2);
  if (market.symbolAfter) return (whole ? text : text.replace('.', ',')) + ' ' + market.symbol;
  return market.symbol + text;
}

/* ------------------------------------------------------------------------------------------- */
/* Keyword intent                                                                               */
/* ------------------------------------------------------------------------------------------- */

export interface Intent {
  question: boolean;
  howto: boolean;
  commercial: boolean;
  local: boolean;
  news: boolean;
  health: boolean;
  recipe: boolean;
  tech: boolean;
  travel: boolean;
  finance: boolean;
  visual: boolean;
  /** short, entity-like keyword (1–3 words, not a question or local/commercial query) */
  entity: boolean;
  /** the keyword without intent words */
  topic: string;
  /** local business category when local */
  category: Category | null;
}

export interface Category {
  /** Google's category label, e.g. "Pizza restaurant" */
  label: string;
  /** category id, e.g. "pizza_restaurant" */
  id: string;
  extra: readonly string[];
  /** name suffixes for generated businesses */
  suffixes: readonly string[];
  priced: boolean;
  /** opening hour range [open, close] in hours; close > 24 means past midnight */
  hours: readonly [number, number];
}

const cat = (label: string, id: string, extra: string[], suffixes: string[], priced: boolean, hours: [number, number]): Category => ({
  label,
  id,
  extra,
  suffixes,
  priced,
  hours,
});

const CATEGORY_WORDS: ReadonlyArray<readonly [string, Category]> = [
  [
    'pizza',
    cat(
      'Pizza restaurant',
      'pizza_restaurant',
      ['Italian restaurant', 'Pizza delivery', 'Takeout restaurant'],
      ['Pizza', 'Pizzeria', 'Pizza Co.', 'Slice House'],
      true,
      [11, 23],
    ),
  ],
  [
    'sushi',
    cat(
      'Sushi restaurant',
      'sushi_restaurant',
      ['Japanese restaurant', 'Asian restaurant'],
      ['Sushi', 'Sushi Bar', 'Omakase'],
      true,
      [11, 22],
    ),
  ],
  [
    'burger',
    cat(
      'Hamburger restaurant',
      'hamburger_restaurant',
      ['American restaurant', 'Fast food restaurant'],
      ['Burgers', 'Burger Joint', 'Grill'],
      true,
      [11, 23],
    ),
  ],
  [
    'restaurant',
    cat(
      'Restaurant',
      'restaurant',
      ['Bar & grill', 'Family restaurant', 'American restaurant'],
      ['Kitchen', 'Bistro', 'Eatery', 'Grill', 'Table'],
      true,
      [11, 22],
    ),
  ],
  [
    'restaurants',
    cat(
      'Restaurant',
      'restaurant',
      ['Bar & grill', 'Family restaurant', 'Fine dining restaurant'],
      ['Kitchen', 'Bistro', 'Eatery', 'Grill', 'Table'],
      true,
      [11, 22],
    ),
  ],
  [
    'coffee',
    cat(
      'Coffee shop',
      'coffee_shop',
      ['Cafe', 'Espresso bar', 'Bakery'],
      ['Coffee', 'Coffee Roasters', 'Espresso Bar', 'Café'],
      true,
      [7, 18],
    ),
  ],
  ['cafe', cat('Cafe', 'cafe', ['Coffee shop', 'Breakfast restaurant', 'Bakery'], ['Café', 'Coffee House', 'Corner Café'], true, [7, 18])],
  [
    'bakery',
    cat('Bakery', 'bakery', ['Pastry shop', 'Cake shop', 'Cafe'], ['Bakery', 'Bake Shop', 'Boulangerie', 'Breads'], true, [6, 18]),
  ],
  ['bar', cat('Bar', 'bar', ['Cocktail bar', 'Pub', 'Sports bar'], ['Bar', 'Tavern', 'Taproom', 'Lounge'], true, [16, 26])],
  [
    'hotel',
    cat('Hotel', 'hotel', ['Boutique hotel', 'Extended stay hotel'], ['Hotel', 'Inn & Suites', 'Suites', 'Grand Hotel'], true, [0, 24]),
  ],
  ['hotels', cat('Hotel', 'hotel', ['Boutique hotel', 'Resort hotel'], ['Hotel', 'Inn & Suites', 'Suites', 'Grand Hotel'], true, [0, 24])],
  [
    'dentist',
    cat(
      'Dentist',
      'dentist',
      ['Cosmetic dentist', 'Dental clinic', 'Pediatric dentist'],
      ['Dental', 'Family Dentistry', 'Dental Care', 'Smiles'],
      false,
      [8, 17],
    ),
  ],
  [
    'doctor',
    cat(
      'Medical clinic',
      'medical_clinic',
      ['Family practice physician', 'Urgent care center'],
      ['Medical Group', 'Family Medicine', 'Health Center'],
      false,
      [8, 17],
    ),
  ],
  [
    'plumber',
    cat(
      'Plumber',
      'plumber',
      ['Water heater installation service', 'Drainage service'],
      ['Plumbing', 'Plumbing & Heating', 'Rooter Service'],
      false,
      [7, 19],
    ),
  ],
  [
    'electrician',
    cat(
      'Electrician',
      'electrician',
      ['Lighting contractor', 'Electrical installation service'],
      ['Electric', 'Electrical Services', 'Electric Co.'],
      false,
      [7, 18],
    ),
  ],
  [
    'gym',
    cat(
      'Gym',
      'gym',
      ['Fitness center', 'Personal trainer', 'Health club'],
      ['Fitness', 'Gym', 'Athletic Club', 'Strength Co.'],
      true,
      [5, 23],
    ),
  ],
  [
    'salon',
    cat('Hair salon', 'hair_salon', ['Beauty salon', 'Nail salon', 'Hairdresser'], ['Salon', 'Hair Studio', 'Beauty Bar'], true, [9, 19]),
  ],
  ['barber', cat('Barber shop', 'barber_shop', ['Hair salon', "Men's hairdresser"], ['Barbershop', 'Barber Co.', 'Cuts'], true, [9, 19])],
  [
    'lawyer',
    cat(
      'Lawyer',
      'lawyer',
      ['Law firm', 'Personal injury attorney', 'Legal services'],
      ['Law Firm', '& Associates', 'Legal Group'],
      false,
      [9, 17],
    ),
  ],
  ['attorney', cat('Attorney', 'attorney', ['Law firm', 'Legal services'], ['Law Firm', '& Partners', 'Legal Group'], false, [9, 17])],
  [
    'mechanic',
    cat(
      'Auto repair shop',
      'auto_repair_shop',
      ['Car repair and maintenance service', 'Brake shop', 'Oil change service'],
      ['Auto Repair', 'Automotive', 'Garage'],
      false,
      [8, 18],
    ),
  ],
  [
    'vet',
    cat(
      'Veterinarian',
      'veterinarian',
      ['Animal hospital', 'Pet groomer'],
      ['Animal Hospital', 'Veterinary Clinic', 'Pet Care'],
      false,
      [8, 18],
    ),
  ],
  ['pharmacy', cat('Pharmacy', 'pharmacy', ['Drug store', 'Medical supply store'], ['Pharmacy', 'Drugs', 'Apothecary'], true, [8, 21])],
  ['florist', cat('Florist', 'florist', ['Flower delivery', 'Gift shop'], ['Flowers', 'Florist', 'Blooms'], true, [9, 18])],
  ['bookstore', cat('Book store', 'book_store', ['Used book store', 'Coffee shop'], ['Books', 'Booksellers', 'Book Shop'], true, [10, 20])],
  ['store', cat('Store', 'store', ['Department store', 'Discount store'], ['Store', 'Market', 'Shop', 'Outlet'], true, [9, 21])],
  ['shop', cat('Store', 'store', ['Gift shop', 'Discount store'], ['Shop', 'Store', 'Market'], true, [9, 20])],
  [
    'supermarket',
    cat('Supermarket', 'supermarket', ['Grocery store', 'Organic food store'], ['Market', 'Foods', 'Grocery'], true, [7, 22]),
  ],
  ['grocery', cat('Grocery store', 'grocery_store', ['Supermarket', 'Produce market'], ['Market', 'Foods', 'Grocery'], true, [7, 22])],
  ['car wash', cat('Car wash', 'car_wash', ['Auto detailing service'], ['Car Wash', 'Auto Spa', 'Express Wash'], true, [8, 19])],
  ['spa', cat('Day spa', 'day_spa', ['Massage spa', 'Facial spa'], ['Spa', 'Day Spa', 'Wellness'], true, [9, 20])],
  ['school', cat('School', 'school', ['Private school', 'Elementary school'], ['Academy', 'School', 'Learning Center'], false, [8, 16])],
  ['bank', cat('Bank', 'bank', ['ATM', 'Savings bank'], ['Bank', 'Credit Union', 'Savings'], false, [9, 17])],
  ['hospital', cat('Hospital', 'hospital', ['Emergency room', 'Medical center'], ['Medical Center', 'Hospital', 'Health'], false, [0, 24])],
  ['park', cat('Park', 'park', ['City park', 'Playground'], ['Park', 'Gardens', 'Green'], false, [6, 22])],
  [
    'museum',
    cat(
      'Museum',
      'museum',
      ['Art museum', 'History museum', 'Tourist attraction'],
      ['Museum', 'Gallery', 'Heritage Center'],
      true,
      [10, 17],
    ),
  ],
  [
    'taco',
    cat('Mexican restaurant', 'mexican_restaurant', ['Taco restaurant', 'Taqueria'], ['Tacos', 'Taqueria', 'Cantina'], true, [10, 23]),
  ],
  [
    'tacos',
    cat('Mexican restaurant', 'mexican_restaurant', ['Taco restaurant', 'Taqueria'], ['Tacos', 'Taqueria', 'Cantina'], true, [10, 23]),
  ],
  [
    'thai',
    cat(
      'Thai restaurant',
      'thai_restaurant',
      ['Asian restaurant', 'Noodle shop'],
      ['Thai Kitchen', 'Thai Cuisine', 'Bangkok House'],
      true,
      [11, 22],
    ),
  ],
  [
    'chinese',
    cat(
      'Chinese restaurant',
      'chinese_restaurant',
      ['Asian restaurant', 'Dim sum restaurant'],
      ['Chinese Kitchen', 'Garden', 'Dumpling House'],
      true,
      [11, 22],
    ),
  ],
  [
    'indian',
    cat(
      'Indian restaurant',
      'indian_restaurant',
      ['Vegetarian restaurant', 'Asian restaurant'],
      ['Tandoor', 'Curry House', 'Indian Cuisine'],
      true,
      [11, 22],
    ),
  ],
  [
    'ramen',
    cat(
      'Ramen restaurant',
      'ramen_restaurant',
      ['Japanese restaurant', 'Noodle shop'],
      ['Ramen', 'Noodle Bar', 'Ramen-ya'],
      true,
      [11, 22],
    ),
  ],
];
const CATEGORY_MAP = new Map<string, Category>(CATEGORY_WORDS.map(([w, k]) => [w, k]));
const DEFAULT_CATEGORY = (topic: string): Category =>
  cat(
    capitalize(topic),
    slugify(topic, 'point_of_interest').split('-').join('_'),
    ['Store', 'Service establishment'],
    [titleCase(topic), 'Co.', 'Center', 'Services'],
    true,
    [9, 18],
  );

const QUESTION_STARTS = new Set([
  'how',
  'what',
  'why',
  'when',
  'who',
  'where',
  'which',
  'can',
  'is',
  'are',
  'does',
  'do',
  'should',
  'will',
  'was',
  'were',
  'could',
  'would',
]);
const COMMERCIAL = new Set([
  'buy',
  'best',
  'cheap',
  'cheapest',
  'price',
  'prices',
  'deal',
  'deals',
  'sale',
  'review',
  'reviews',
  'vs',
  'discount',
  'coupon',
  'top',
  'affordable',
  'order',
  'shop',
  'online',
  'compare',
  'rent',
  'for sale',
  'iphone',
  'laptop',
  'shoes',
  'headphones',
  'tv',
  'insurance',
  'mattress',
  'vacuum',
  'camera',
  'phone',
  'watch',
  'car',
  'cars',
  'bike',
  'software',
  'hosting',
  'vpn',
]);
const LOCAL = new Set(['near', 'nearby', 'open', 'delivery', 'directions']);
const NEWS = new Set([
  'news',
  'latest',
  'today',
  'election',
  'update',
  'updates',
  'live',
  'score',
  'scores',
  'breaking',
  'announced',
  'weather',
  'stock',
  'results',
  'war',
  'president',
  'trump',
  'biden',
  'nfl',
  'nba',
  'game',
]);
const HEALTH = new Set([
  'symptoms',
  'treatment',
  'pain',
  'disease',
  'diet',
  'vitamin',
  'cancer',
  'diabetes',
  'covid',
  'health',
  'medicine',
  'sleep',
  'anxiety',
  'weight',
  'blood',
  'pregnancy',
  'allergy',
  'infection',
]);
const RECIPE = new Set([
  'recipe',
  'recipes',
  'cook',
  'bake',
  'baking',
  'soup',
  'cake',
  'cookies',
  'bread',
  'chicken',
  'pasta',
  'salad',
  'sauce',
  'smoothie',
  'dinner',
  'breakfast',
]);
const TECH = new Set([
  'python',
  'javascript',
  'typescript',
  'java',
  'code',
  'error',
  'api',
  'linux',
  'windows',
  'excel',
  'sql',
  'css',
  'html',
  'react',
  'node',
  'docker',
  'git',
  'android',
  'ios',
  'install',
  'download',
  'app',
  'ai',
  'chatgpt',
]);
const TRAVEL = new Set([
  'flights',
  'flight',
  'hotel',
  'hotels',
  'travel',
  'trip',
  'vacation',
  'tickets',
  'tour',
  'beach',
  'visa',
  'airport',
  'things',
]);
const FINANCE = new Set([
  'stock',
  'stocks',
  'invest',
  'investing',
  'mortgage',
  'loan',
  'credit',
  'tax',
  'taxes',
  'bitcoin',
  'crypto',
  'salary',
  'bank',
  'retirement',
  '401k',
  'etf',
  'dividend',
]);
const VISUAL = new Set([
  'pictures',
  'photos',
  'images',
  'ideas',
  'design',
  'wallpaper',
  'logo',
  'tattoo',
  'art',
  'drawing',
  'outfit',
  'decor',
  'aesthetic',
]);
const STRIP = new Set([
  'best',
  'cheap',
  'cheapest',
  'buy',
  'near',
  'me',
  'nearby',
  'open',
  'now',
  'top',
  'affordable',
  'online',
  'reviews',
  'review',
  'latest',
  'news',
  'today',
]);
const HOWTO_PREFIXES = ['how to ', 'how do i ', 'how do you ', 'how can i ', 'ways to '];
const QUESTION_PREFIXES = [
  'what is the ',
  'what is a ',
  'what is an ',
  'what is ',
  'what are ',
  'who is ',
  'who was ',
  'why is ',
  'why do ',
  'why does ',
  'when is ',
  'when did ',
  'where is ',
  'is ',
  'are ',
  'does ',
  'do ',
  'can ',
];

export function detectIntent(keyword: string): Intent {
  const lower = keyword.toLowerCase().trim();
  const words = lower.split(' ').filter((w) => w.length > 0);
  const has = (set: ReadonlySet<string>): boolean => words.some((w) => set.has(w));
  const first = words[0] ?? '';
  const question = QUESTION_STARTS.has(first) || lower.endsWith('?');
  let howto = false;
  let topic = lower.endsWith('?') ? lower.slice(0, -1) : lower;
  for (const p of HOWTO_PREFIXES) {
    if (topic.startsWith(p)) {
      howto = true;
      topic = topic.slice(p.length);
      break;
    }
  }
  if (!howto && question) {
    for (const p of QUESTION_PREFIXES) {
      if (topic.startsWith(p)) {
        topic = topic.slice(p.length);
        break;
      }
    }
  }
  let category: Category | null = null;
  for (let i = 0; i < words.length && category === null; i++) {
    const w = words[i];
    category = CATEGORY_MAP.get(w) ?? (i + 1 < words.length ? (CATEGORY_MAP.get(w + ' ' + words[i + 1]) ?? null) : null);
  }
  const nearMe = lower.includes('near me') || has(LOCAL);
  const local = nearMe || (category !== null && !question);
  const stripped = topic
    .split(' ')
    .filter((w) => w.length > 0 && !STRIP.has(w))
    .join(' ');
  if (stripped.length > 0) topic = stripped;
  if (topic.length === 0) topic = lower || 'search';
  if (local && category === null) category = DEFAULT_CATEGORY(topic);
  const commercial = !question && !local && has(COMMERCIAL);
  return {
    question: question || howto,
    howto,
    commercial,
    local,
    news: has(NEWS),
    health: has(HEALTH),
    recipe: has(RECIPE),
    tech: has(TECH),
    travel: has(TRAVEL),
    finance: has(FINANCE),
    visual: has(VISUAL),
    entity:
      !question && !howto && !local && !commercial && !has(HEALTH) && !has(RECIPE) && !has(TECH) && words.length >= 1 && words.length <= 3,
    topic,
    category,
  };
}

/* ------------------------------------------------------------------------------------------- */
/* Shared word lists                                                                            */
/* ------------------------------------------------------------------------------------------- */

export const FIRST_NAMES = [
  'James',
  'Maria',
  'David',
  'Sarah',
  'Michael',
  'Emma',
  'Daniel',
  'Olivia',
  'Chris',
  'Sophie',
  'Alex',
  'Laura',
  'Ryan',
  'Hannah',
  'Kevin',
  'Priya',
  'Tom',
  'Elena',
  'Marco',
  'Yuki',
  'Lucas',
  'Anna',
  'Omar',
  'Julia',
];
export const SURNAMES = [
  'Smith',
  'Johnson',
  'Garcia',
  'Miller',
  'Brown',
  'Davis',
  'Martinez',
  'Wilson',
  'Anderson',
  'Taylor',
  'Thomas',
  'Moore',
  'Lee',
  'Walker',
  'Hall',
  'Young',
  'King',
  'Wright',
  'Lopez',
  'Hill',
  'Green',
  'Baker',
  'Nelson',
  'Carter',
  'Rossi',
  'Müller',
  'Dubois',
  'Tanaka',
  'Kim',
  'Novak',
];
export const ADJECTIVES = [
  'Golden',
  'Blue',
  'Urban',
  'Little',
  'Royal',
  'Green',
  'Happy',
  'Original',
  'Classic',
  'Modern',
  'Rustic',
  'Sunny',
  'Silver',
  'Red',
  'Corner',
  'Old Town',
  'Downtown',
  'Main Street',
  'Lucky',
  'Family',
];

export const BLOG_PARTS: readonly (readonly string[])[] = [
  ['the', 'my', 'daily', 'simple', 'modern', 'smart', 'happy', 'urban', 'wild', 'honest', 'true', 'clever'],
  ['guide', 'home', 'tech', 'life', 'money', 'travel', 'food', 'health', 'style', 'craft', 'garden', 'gear'],
  ['hub', 'journal', 'lab', 'insider', 'corner', 'diaries', 'blog', 'mag', 'notes', 'review', 'bee', 'nest'],
];
export const BLOG_TLDS = ['.com', '.com', '.com', '.net', '.org', '.co', '.io', '.blog'];

export function blogDomain(rng: Rng, tld: string): string {
  return (
    rng.pick(BLOG_PARTS[0]) +
    rng.pick(BLOG_PARTS[1]) +
    rng.pick(BLOG_PARTS[2]) +
    (rng.chance(0.25) && tld !== '.com' ? tld : rng.pick(BLOG_TLDS))
  );
}

/* ------------------------------------------------------------------------------------------- */
/* News                                                                                         */
/* ------------------------------------------------------------------------------------------- */

export const NEWS_SECTION_NAMES: readonly string[] = [
  'news',
  'world',
  'business',
  'technology',
  'politics',
  'science',
  'health',
  'sport',
  'culture',
  'lifestyle',
  'us-news',
  'local',
];

/** Headline templates; {site} is the publisher, {n} a small number, {city} the task's city. */
export const NEWS_HEADLINES: readonly Tpl[] = tpls([
  '{Topic}: what we know so far',
  "What's next for {topic} after this week's surprise",
  '{Topic} explained: {n} key questions answered',
  'Live updates: {topic} latest',
  'Why everyone is talking about {topic}',
  '{Topic} sees biggest change in {n} years, experts say',
  'Opinion: The real story behind {topic}',
  '{Topic} in {city}: officials respond',
  'How {topic} could affect you',
  '{Topic} latest: {n} things to know today',
  'Inside the fight over {topic}',
  '{Topic} hits new record as demand grows',
  'Analysis: {topic} and what it means for {year}',
  '{Topic}: new report raises fresh questions',
  'The {topic} debate, explained',
  "{Topic} update: here's the latest",
  'Experts weigh in on {topic}',
  '{Topic} draws crowds in {city}',
]);

export const NEWS_SNIPPETS: readonly Tpl[] = tpls([
  'The latest developments on {topic} have prompted a wave of reactions, with analysts warning that the coming weeks will be decisive.',
  'Officials said on {day} that {topic} would remain a priority, as questions mount over the timeline and the costs involved.',
  '{Topic} has become one of the most discussed subjects this year. Here is what you need to know and what could happen next.',
  'New figures released this week shed light on {topic}, showing a sharp change compared with the same period last year.',
  'Residents in {city} say {topic} is already affecting daily life, and many are calling for clearer answers.',
]);
