// The template type of the organic, news, maps and YouTube renderers: "{Kw} - {site}" strings
// compiled once at module load into closures over a mutable per-render context, so rendering a row
// never parses a template. (google-images uses vocab.ts's bit-keyed variant.)

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
