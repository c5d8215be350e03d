// Vocabulary for synthetic SERPs. Kept engine-neutral so organic, news or shopping sandboxes can
// reuse the same sites and words. Templates use {placeholders} filled by `compileTemplate`; they are
// compiled once at module load so renderers never parse or regex-match templates per item.

import type { Rng } from './prng.js';

/** Values a template may reference. Renderers fill the fields they know; the rest stay "". */
export interface TemplateContext {
  /** keyword as typed */
  kw: string;
  /** keyword in Title Case */
  Kw: string;
  /** lowercase, dash-separated, URL-safe slug */
  slug: string;
  /** Wikipedia-style slug: First_letter_upper_with_underscores */
  wslug: string;
  /** encodeURIComponent(keyword) (spaces as %20) */
  pct: string;
  /** query-string form (spaces as +) */
  plus: string;
  /** a thousands-separated count, e.g. "12,345" */
  n: string;
  /** a modifier word, e.g. "aesthetic" */
  mod: string;
  /** language code, e.g. "en" */
  lang: string;
  /** host name for sites whose domain is generated (blogs) */
  dom: string;
  /** numeric id (8–10 digits) */
  id: string;
  /** 32 lowercase hex chars */
  h: string;
  /** 11 base62 chars */
  b: string;
  /** slices of `h`: 2 hex chars, 6 hex chars, "ab/cd/ef" hash path, Wikimedia "a/ab" path */
  h2: string;
  h6: string;
  h12: string;
  hp: string;
  wp: string;
  /** 13-digit, timestamp-like id */
  ts: string;
  /** 4-digit year, 2-digit month, 2-digit day */
  y: string;
  m: string;
  d: string;
  /** subreddit, user name, news section */
  sub: string;
  user: string;
  sect: string;
}

export type TemplateKey = keyof TemplateContext;

/** The fields a template may read, in bit order for `CompiledTemplate.keys`. */
export const TEMPLATE_KEYS = [
  'kw',
  'Kw',
  'slug',
  'wslug',
  'pct',
  'plus',
  'n',
  'mod',
  'lang',
  'dom',
  'id',
  'h',
  'b',
  'h2',
  'h6',
  'h12',
  'hp',
  'wp',
  'ts',
  'y',
  'm',
  'd',
  'sub',
  'user',
  'sect',
] as const satisfies readonly TemplateKey[];

/** The bit of a template field in `CompiledTemplate.keys`. */
export const KEY_BIT: Readonly<Record<TemplateKey, number>> = Object.fromEntries(TEMPLATE_KEYS.map((k, i) => [k, 1 << i])) as Record<
  TemplateKey,
  number
>;

/**
 * A template compiled to literal/key pieces; call it with a context to get the string. `keys` is the
 * bit set (KEY_BIT) of the fields it reads, so a renderer can compute only the per-row values in use.
 */
export type CompiledTemplate = ((ctx: TemplateContext) => string) & { readonly keys: number };

/** Compiles "{Kw} Photos" style templates. Unknown or unclosed braces are kept literally. */
export function compileTemplate(template: string): CompiledTemplate {
  const pieces: Array<string | { key: TemplateKey }> = [];
  let keys = 0;
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const close = open < 0 ? -1 : template.indexOf('}', open);
    if (open < 0 || close < 0) {
      pieces.push(template.slice(i));
      break;
    }
    if (open > i) pieces.push(template.slice(i, open));
    const key = template.slice(open + 1, close) as TemplateKey;
    pieces.push({ key });
    keys |= KEY_BIT[key] ?? 0;
    i = close + 1;
  }
  const render = (ctx: TemplateContext): string => {
    let out = '';
    for (const p of pieces) out += typeof p === 'string' ? p : (ctx[p.key] ?? '');
    return out;
  };
  return Object.assign(render, { keys });
}

/** A content site that plausibly hosts images for arbitrary keywords. */
export interface ImageSite {
  /** registrable domain shown as the result subtitle; "{dom}" means generated per result */
  domain: string;
  /** relative frequency in results */
  weight: number;
  /** page hosting the image */
  page: readonly CompiledTemplate[];
  /** the image file itself (own host or CDN) */
  src: readonly CompiledTemplate[];
  /** result titles */
  titles: readonly CompiledTemplate[];
}

const c = (list: readonly string[]): CompiledTemplate[] => list.map(compileTemplate);

interface SiteSpec {
  domain: string;
  weight: number;
  page: string[];
  src: string[];
  titles: string[];
}

const SITE_SPECS: SiteSpec[] = [
  {
    domain: 'pinterest.com',
    weight: 14,
    page: ['https://www.pinterest.com/pin/{ts}/', 'https://www.pinterest.com/ideas/{slug}/{id}/'],
    src: ['https://i.pinimg.com/736x/{hp}/{h}.jpg', 'https://i.pinimg.com/originals/{hp}/{h}.png'],
    titles: ['Pin on {Kw}', '{Kw} Ideas | {mod} {kw}', '900+ {Kw} ideas in {y} | {kw}, {mod}', 'Pin by {user} on {Kw}'],
  },
  {
    domain: 'pexels.com',
    weight: 7,
    page: ['https://www.pexels.com/search/{pct}/', 'https://www.pexels.com/photo/{slug}-{id}/'],
    src: ['https://images.pexels.com/photos/{id}/pexels-photo-{id}.jpeg'],
    titles: [
      '{n}+ Best {Kw} Photos · 100% Free Download · Pexels Stock Photos',
      '{Kw} Photos, Download The BEST Free {Kw} Stock Photos & HD Images',
    ],
  },
  {
    domain: 'unsplash.com',
    weight: 6,
    page: ['https://unsplash.com/s/photos/{slug}', 'https://unsplash.com/photos/{slug}-{b}'],
    src: ['https://images.unsplash.com/photo-{ts}-{h12}.jpg'],
    titles: ['{n}+ {Kw} Pictures | Download Free Images on Unsplash', '{Kw} Pictures | Download Free Images on Unsplash'],
  },
  {
    domain: 'wikipedia.org',
    weight: 3,
    page: ['https://{lang}.wikipedia.org/wiki/{wslug}'],
    src: ['https://upload.wikimedia.org/wikipedia/commons/{wp}/{wslug}_{id}.jpg'],
    titles: ['{Kw} - Wikipedia'],
  },
  {
    domain: 'shutterstock.com',
    weight: 6,
    page: ['https://www.shutterstock.com/search/{slug}', 'https://www.shutterstock.com/image-photo/{slug}-{id}'],
    src: ['https://www.shutterstock.com/image-photo/{slug}-260nw-{id}.jpg'],
    titles: [
      '{n} {Kw} Royalty-Free Images, Stock Photos & Pictures | Shutterstock',
      '{Kw} Images: Browse {n} Stock Photos & Vectors Free Download with Trial | Shutterstock',
    ],
  },
  {
    domain: 'istockphoto.com',
    weight: 5,
    page: ['https://www.istockphoto.com/photos/{slug}'],
    src: ['https://media.istockphoto.com/id/{id}/photo/{slug}.jpg'],
    titles: ['{n}+ {Kw} Stock Photos, Pictures & Royalty-Free Images - iStock', '{Kw} Pictures | Download Free Images on iStock'],
  },
  {
    domain: 'stock.adobe.com',
    weight: 4,
    page: ['https://stock.adobe.com/search?k={plus}'],
    src: ['https://t3.ftcdn.net/jpg/0{d}/{hp}/360_F_{id}_{b}.jpg'],
    titles: ['{Kw} Images - Browse {n} Stock Photos, Vectors, and Video | Adobe Stock'],
  },
  {
    domain: 'flickr.com',
    weight: 3,
    page: ['https://www.flickr.com/photos/{user}/{id}'],
    src: ['https://live.staticflickr.com/{y}/{id}_{h}_b.jpg'],
    titles: ['{Kw} | Flickr', '{kw} | {user} | Flickr'],
  },
  {
    domain: 'etsy.com',
    weight: 3,
    page: ['https://www.etsy.com/listing/{id}/{slug}'],
    src: ['https://i.etsystatic.com/{id}/r/il/{h6}/{ts}/il_570xN.{ts}_{h2}.jpg'],
    titles: ['{Kw} - Etsy', '{Kw} {mod} - Etsy', '{mod} {Kw} Print, {Kw} Wall Art - Etsy'],
  },
  {
    domain: 'amazon.com',
    weight: 3,
    page: ['https://www.amazon.com/{slug}/dp/B0{b}'],
    src: ['https://m.media-amazon.com/images/I/{b}L._AC_SL1500_.jpg'],
    titles: ['Amazon.com: {Kw}', 'Amazon.com: {Kw} {mod}'],
  },
  {
    domain: 'reddit.com',
    weight: 3,
    page: ['https://www.reddit.com/r/{sub}/comments/{b}/{slug}/'],
    src: ['https://i.redd.it/{b}{h2}.jpg', 'https://preview.redd.it/{b}.png'],
    titles: ['{Kw} : r/{sub}', 'My {kw} ({mod}) : r/{sub}'],
  },
  {
    domain: 'alamy.com',
    weight: 3,
    page: ['https://www.alamy.com/stock-photo/{slug}.html'],
    src: ['https://c8.alamy.com/comp/{b}/{slug}-{b}.jpg'],
    titles: ['{Kw} hi-res stock photography and images - Alamy', '{Kw} Stock Photos and Images - Alamy'],
  },
  {
    domain: 'dreamstime.com',
    weight: 3,
    page: ['https://www.dreamstime.com/photos-images/{slug}.html'],
    src: ['https://thumbs.dreamstime.com/b/{slug}-{id}.jpg'],
    titles: ['{n} {Kw} Stock Photos - Free & Royalty-Free Stock Photos from Dreamstime'],
  },
  {
    domain: 'freepik.com',
    weight: 4,
    page: ['https://www.freepik.com/free-photos-vectors/{slug}'],
    src: ['https://img.freepik.com/free-photo/{slug}_{id}-{id}.jpg'],
    titles: ['{Kw} Images - Free Download on Freepik', 'Page 2 | {Kw} Images - Free Download on Freepik'],
  },
  {
    domain: 'vecteezy.com',
    weight: 3,
    page: ['https://www.vecteezy.com/free-photos/{slug}'],
    src: ['https://static.vecteezy.com/system/resources/thumbnails/0{d}/{id}/small/{slug}-photo.jpg'],
    titles: ['{Kw} Stock Photos, Images and Backgrounds for Free Download', '{Kw} Vector Art, Icons, and Graphics for Free Download'],
  },
  {
    domain: 'pixabay.com',
    weight: 4,
    page: ['https://pixabay.com/images/search/{slug}/', 'https://pixabay.com/photos/{slug}-{mod}-{id}/'],
    src: ['https://cdn.pixabay.com/photo/{y}/{m}/{d}/{d}/{m}/{slug}-{id}_1280.jpg'],
    titles: ['{n}+ Free {Kw} & {mod} Images - Pixabay', '{Kw} Images - Free Download on Pixabay'],
  },
  {
    domain: 'wallpapers.com',
    weight: 3,
    page: ['https://wallpapers.com/{slug}'],
    src: ['https://wallpapers.com/images/hd/{slug}-{b}.jpg'],
    titles: ['[{n}+] {Kw} Wallpapers | Wallpapers.com', 'Download {Kw} {mod} Wallpaper | Wallpapers.com'],
  },
  {
    domain: 'wallpapercave.com',
    weight: 2,
    page: ['https://wallpapercave.com/{slug}-wallpapers'],
    src: ['https://wallpapercave.com/wp/wp{id}.jpg'],
    titles: ['{Kw} Wallpapers - Wallpaper Cave'],
  },
  {
    domain: 'youtube.com',
    weight: 2,
    page: ['https://www.youtube.com/watch?v={b}'],
    src: ['https://i.ytimg.com/vi/{b}/maxresdefault.jpg'],
    titles: ['{Kw} - YouTube', '{Kw} ({mod}) - YouTube'],
  },
  {
    domain: 'nytimes.com',
    weight: 1,
    page: ['https://www.nytimes.com/{y}/{m}/{d}/{sect}/{slug}.html'],
    src: ['https://static01.nyt.com/images/{y}/{m}/{d}/multimedia/{slug}-{h6}/{slug}-{h6}-superJumbo.jpg'],
    titles: ['{Kw}: What to Know - The New York Times', 'The Story Behind {Kw} - The New York Times'],
  },
  {
    domain: 'theguardian.com',
    weight: 1,
    page: ['https://www.theguardian.com/{sect}/{y}/{m}/{d}/{slug}'],
    src: ['https://i.guim.co.uk/img/media/{h}/0_0_4000_2400/master/4000.jpg'],
    titles: ['{Kw} | {sect} | The Guardian'],
  },
  {
    domain: 'bbc.com',
    weight: 1,
    page: ['https://www.bbc.com/news/articles/c{b}o'],
    src: ['https://ichef.bbci.co.uk/news/1024/branded_news/{h6}/live/{h}.jpg'],
    titles: ['{Kw}: the pictures everyone is talking about - BBC News', '{Kw} - BBC News'],
  },
  {
    domain: 'deviantart.com',
    weight: 2,
    page: ['https://www.deviantart.com/{user}/art/{Kw}-{id}'],
    src: ['https://images-wixmp-{h2}.wixmp.com/f/{h}/{b}-fullview.png'],
    titles: ['{Kw} by {user} on DeviantArt', '{mod} {Kw} by {user} on DeviantArt'],
  },
  {
    domain: '{dom}',
    weight: 10,
    page: ['https://{dom}/{slug}/', 'https://{dom}/blog/{slug}-{mod}/', 'https://www.{dom}/{y}/{m}/{slug}.html'],
    src: [
      'https://{dom}/wp-content/uploads/{y}/{m}/{slug}-{d}.jpg',
      'https://{dom}/images/{slug}.webp',
      'https://cdn.{dom}/media/{h2}/{slug}.png',
    ],
    titles: [
      "{n} {mod} {Kw} Ideas You'll Love",
      'The Best {Kw} ({mod} edition)',
      '{Kw}: a complete guide with pictures',
      '{Kw} Pictures, Images and Stock Photos',
      '{kw} {mod} | {dom}',
    ],
  },
];

/** Image-hosting and content sites, weighted roughly by how often they appear in image SERPs. */
export const IMAGE_SITES: readonly ImageSite[] = SITE_SPECS.map((s) => ({
  domain: s.domain,
  weight: s.weight,
  page: c(s.page),
  src: c(s.src),
  titles: c(s.titles),
}));

/** Cumulative weights of IMAGE_SITES, for O(log n)-free linear weighted picks (the list is short). */
const SITE_CUMULATIVE: readonly number[] = (() => {
  let acc = 0;
  return IMAGE_SITES.map((s) => (acc += s.weight));
})();

/** Weighted pick from IMAGE_SITES. */
export function pickImageSite(rng: Rng): ImageSite {
  const total = SITE_CUMULATIVE[SITE_CUMULATIVE.length - 1] as number;
  const r = rng.next() * total;
  for (let i = 0; i < SITE_CUMULATIVE.length; i++) {
    if (r < (SITE_CUMULATIVE[i] as number)) return IMAGE_SITES[i] as ImageSite;
  }
  return IMAGE_SITES[IMAGE_SITES.length - 1] as ImageSite;
}

const BLOG_FIRST = ['the', 'my', 'daily', 'happy', 'little', 'urban', 'simple', 'modern', 'wild', 'cozy', 'bright', 'golden'];
const BLOG_SECOND = ['creative', 'design', 'photo', 'pixel', 'craft', 'home', 'travel', 'style', 'art', 'nature', 'studio', 'lens'];
const BLOG_THIRD = ['nest', 'journal', 'hub', 'corner', 'diaries', 'lab', 'mag', 'insider', 'guide', 'blog', 'co', 'life'];
const BLOG_TLDS = ['.com', '.com', '.com', '.net', '.org', '.co', '.io', '.blog'];

/** A plausible small-publisher domain such as "dailyphotojournal.com". */
export function makeBlogDomain(rng: Rng): string {
  return rng.pick(BLOG_FIRST) + rng.pick(BLOG_SECOND) + rng.pick(BLOG_THIRD) + rng.pick(BLOG_TLDS);
}

/** Modifiers Google shows as image chips and in related searches. */
export const MODIFIERS: readonly string[] = [
  'aesthetic',
  'wallpaper',
  'cartoon',
  'drawing',
  'hd',
  'png',
  'vintage',
  'black and white',
  'cute',
  '4k',
  'background',
  'clipart',
  'logo',
  'art',
  'illustration',
  'sketch',
  'transparent',
  'minimalist',
  'dark',
  'pink',
  'blue',
  'red',
  'green',
  'neon',
  'retro',
  'anime',
  'realistic',
  'funny',
  'simple',
  'easy',
  'colorful',
  'abstract',
  'watercolor',
  'pattern',
  'icon',
  'silhouette',
  'close up',
  'high resolution',
  'vector',
  '3d',
  'photography',
  'landscape',
  'portrait',
  'night',
  'sunset',
  'old',
  'modern',
  'tattoo',
  'coloring page',
  'meme',
  'gif',
  'poster',
  'iphone',
  'desktop',
  'mobile',
  'lock screen',
  'free',
];

/** Titles of Google Images' refinement chip row (filter-like chips above the grid). */
export const REFINEMENT_CHIP_TITLES: readonly string[] = [
  'Clip art',
  'Drawing',
  'Line drawing',
  'GIF',
  'Transparent',
  'HD',
  'Wallpaper',
  'Aesthetic',
  'Cute',
  'Cartoon',
  'Black and white',
  'Vintage',
  'Png',
  '4K',
  'Background',
  'Logo',
  'Illustration',
  'Sketch',
];

/** Alt-text templates for image results. */
export const ALT_TEMPLATES: readonly CompiledTemplate[] = c([
  '{kw}',
  '{Kw} stock photo',
  '{kw} {mod}',
  '{mod} {kw}',
  'Free {kw} photo',
  '{Kw} - {mod} {kw} images',
  'A {mod} {kw} on a white background',
  '{Kw} Images',
  '{kw} {mod} picture',
  'Close-up of {kw}',
  '{Kw} ({mod})',
  'Photo of {kw}',
]);

/** Generic title templates usable by any engine. */
export const TITLE_TEMPLATES: readonly CompiledTemplate[] = c([
  '{Kw} Pictures, Images and Stock Photos',
  '{n},000+ Best {Kw} Photos · 100% Free Download',
  '{Kw} - Wikipedia',
  '{Kw} Images - Browse {n} Stock Photos, Vectors, and Video',
  '{n} {mod} {Kw} Ideas',
  '{Kw} Photos and Premium High Res Pictures',
  'Free {Kw} Images',
]);

/** Subreddits, user names and news sections for URL realism. */
export const SUBREDDITS: readonly string[] = [
  'pics',
  'interestingasfuck',
  'wallpapers',
  'Art',
  'itookapicture',
  'EarthPorn',
  'mildlyinteresting',
  'aww',
  'DesignPorn',
  'photography',
];
export const USERNAMES: readonly string[] = [
  'jmartin',
  'lena_photo',
  'pixelcraft',
  'anna.k',
  'visualsbyraj',
  'studio-north',
  'm.oliveira',
  'kaitlyn_art',
  'dkowalski',
  'yuki.t',
];
export const NEWS_SECTIONS: readonly string[] = ['world', 'technology', 'arts', 'science', 'travel', 'style', 'culture', 'business'];

/** Common misspellings → corrections, for deterministic "did you mean" suggestions. */
export const MISSPELLINGS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    iphon: 'iphone',
    wallpapr: 'wallpaper',
    walpaper: 'wallpaper',
    recieve: 'receive',
    definately: 'definitely',
    buisness: 'business',
    beautifull: 'beautiful',
    wierd: 'weird',
    pictres: 'pictures',
    picutre: 'picture',
    imgaes: 'images',
    flwoers: 'flowers',
    sunest: 'sunset',
    accomodation: 'accommodation',
    seperate: 'separate',
    goverment: 'government',
    restaraunt: 'restaurant',
    calender: 'calendar',
    untill: 'until',
    tommorow: 'tomorrow',
    neccessary: 'necessary',
    occured: 'occurred',
    adress: 'address',
    begining: 'beginning',
    beleive: 'believe',
    cemetary: 'cemetery',
    embarass: 'embarrass',
    enviroment: 'environment',
    knowlege: 'knowledge',
    libary: 'library',
  }),
);

/**
 * Returns the corrected keyword when any word is a known misspelling, else null. Splits on single
 * spaces only; keywords are short, so this runs once per render and needs no regex.
 */
export function correctSpelling(keyword: string): string | null {
  const words = keyword.toLowerCase().split(' ');
  let changed = false;
  for (let i = 0; i < words.length; i++) {
    const fix = MISSPELLINGS.get(words[i] as string);
    if (fix !== undefined) {
      words[i] = fix;
      changed = true;
    }
  }
  return changed ? words.join(' ') : null;
}
