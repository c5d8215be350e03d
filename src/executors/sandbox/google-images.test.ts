import { describe, it, expect } from 'vitest';
import {
  escapeHtml,
  renderImagesAdvanced,
  renderImagesAdvancedJson,
  renderImagesExample,
  renderImagesHtml,
  type ImagesItem,
  type ImagesRenderInput,
  type ImagesSearchItem,
} from './google-images.js';
import { createRng, hashString } from './prng.js';
import {
  IMAGE_SITES,
  MODIFIERS,
  NEWS_SECTIONS,
  REFINEMENT_CHIP_TITLES,
  SUBREDDITS,
  USERNAMES,
  compileTemplate,
  correctSpelling,
} from './vocab.js';

const base: ImagesRenderInput = {
  taskId: '07111443-1535-0139-0000-c2e548119c99',
  keyword: 'iphone wallpaper',
  locationCode: 2840,
  languageCode: 'en',
  countryIso: 'US',
  seDomain: 'google.com',
  os: 'windows',
  depth: 100,
  datetime: '2025-01-02 03:04:05 +00:00',
};

const images = (items: ImagesItem[]): ImagesSearchItem[] => items.filter((i): i is ImagesSearchItem => i.type === 'images_search');

describe('prng', () => {
  it('is deterministic per seed and stays in range', () => {
    const a = createRng('seed');
    const b = createRng('seed');
    for (let i = 0; i < 100; i++) {
      const x = a.next();
      expect(x).toBe(b.next());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    const r = createRng(hashString('other'));
    for (let i = 0; i < 100; i++) {
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5).toBe(true);
    }
    expect(r.hex(13)).toMatch(/^[0-9a-f]{13}$/);
    expect(new Set(r.sample([1, 2, 3, 4, 5], 5)).size).toBe(5);
  });

  it('templates and spelling helpers behave', () => {
    const t = compileTemplate('{Kw} - {unknown}x{');
    expect(t({ Kw: 'Cat' } as never)).toBe('Cat - x{');
    expect(correctSpelling('iphon wallpapr')).toBe('iphone wallpaper');
    expect(correctSpelling('constructor')).toBeNull();
  });
});

describe('renderImagesAdvancedJson', () => {
  it('writes exactly JSON.stringify of the object result, for awkward keywords and every depth', () => {
    const keywords = [
      'iphone wallpaper',
      'say "cheese"',
      'back\\slash and \\"both\\"',
      'tab\there\nnewline\u0001ctl',
      'über café naïve',
      'ビール 東京',
      'emoji 🐱 cat',
      'lone \ud800 surrogate',
      '</script><b>',
      "it's 100% {Kw} $id",
      '\u0000items',
    ];
    for (const keyword of keywords) {
      for (const depth of [0, 1, 25, 100]) {
        const input = { ...base, keyword, depth, searchParam: depth === 25 ? '&tbs=qdr:d' : null };
        const text = renderImagesAdvancedJson(input);
        expect(text).toBe(JSON.stringify(renderImagesAdvanced(input)));
        expect(JSON.parse(text)).toEqual(renderImagesAdvanced(input));
      }
    }
    // Deep pages reach every site and template.
    const deep = { ...base, depth: 700, languageCode: 'pt-BR' };
    expect(renderImagesAdvancedJson(deep)).toBe(JSON.stringify(renderImagesAdvanced(deep)));
  });

  it('draws on vocabulary that needs no escaping inside a JSON string', () => {
    const words = [...MODIFIERS, ...NEWS_SECTIONS, ...REFINEMENT_CHIP_TITLES, ...SUBREDDITS, ...USERNAMES];
    for (const site of IMAGE_SITES) words.push(site.domain);
    for (const w of words) expect(JSON.stringify(w)).toBe(`"${w}"`);
    expect(words.length).toBeGreaterThan(50);
  });
});

describe('renderImagesAdvanced', () => {
  it('is deterministic, ignoring taskId and datetime for items other than carousel urls', () => {
    const a = renderImagesAdvanced(base);
    expect(renderImagesAdvanced({ ...base })).toEqual(a);
    const other = renderImagesAdvanced({ ...base, datetime: '2026-01-01 00:00:00 +00:00' });
    expect(other.items).toEqual(a.items);
    expect(other.datetime).toBe('2026-01-01 00:00:00 +00:00');
  });

  it('gives different items for a different keyword', () => {
    const a = images(renderImagesAdvanced(base).items);
    const b = images(renderImagesAdvanced({ ...base, keyword: 'golden retriever puppy' }).items);
    expect(b.map((i) => i.url)).not.toEqual(a.map((i) => i.url));
    expect(b.map((i) => i.encoded_url)).not.toEqual(a.map((i) => i.encoded_url));
  });

  it('renders exactly depth images_search items, prefix-consistent across depths', () => {
    for (const depth of [1, 5, 25, 50, 100, 700]) {
      expect(images(renderImagesAdvanced({ ...base, depth }).items)).toHaveLength(depth);
    }
    const d50 = renderImagesAdvanced({ ...base, depth: 50 }).items;
    const d100 = renderImagesAdvanced({ ...base, depth: 100 }).items;
    expect(d100.slice(0, d50.length)).toEqual(d50);
  });

  it('has consistent ranks, counts and item_types', () => {
    for (const depth of [3, 100]) {
      const r = renderImagesAdvanced({ ...base, depth });
      expect(r.items_count).toBe(r.items.length);
      r.items.forEach((item, i) => expect(item.rank_absolute).toBe(i + 1));
      const perType = new Map<string, number>();
      for (const item of r.items) {
        const next = (perType.get(item.type) ?? 0) + 1;
        perType.set(item.type, next);
        expect(item.rank_group).toBe(next);
      }
      const firstSeen = [...new Set(r.items.map((i) => i.type))];
      expect(r.item_types).toEqual(firstSeen);
      // with fewer images than the related-searches slot, the block still closes the grid
      expect(r.item_types).toEqual(['carousel', 'images_search', 'related_searches']);
    }
  });

  it('places the carousel first and related searches after 20-30 images', () => {
    const r = renderImagesAdvanced(base);
    const carousel = r.items[0]!;
    expect(carousel.type).toBe('carousel');
    if (carousel.type !== 'carousel') throw new Error('unreachable');
    expect(carousel.items.length).toBeGreaterThanOrEqual(6);
    expect(carousel.items.length).toBeLessThanOrEqual(12);
    carousel.items.forEach((el, n) => {
      expect(el).toEqual({
        type: 'carousel_element',
        title: el.title,
        subtitle: null,
        image_url: `https://api.dataforseo.com/cdn/i/${base.taskId}:${n}`,
      });
    });
    const idx = r.items.findIndex((i) => i.type === 'related_searches');
    expect(idx - 1).toBeGreaterThanOrEqual(20);
    expect(idx - 1).toBeLessThanOrEqual(30);
    const related = r.items[idx]!;
    if (related.type !== 'related_searches') throw new Error('unreachable');
    expect(related.items!.length).toBeGreaterThanOrEqual(6);
    expect(related.items!.every((s) => s.includes('iphone wallpaper'))).toBe(true);
    expect(related).toMatchObject({ page: 1, position: 'left', rectangle: null });
  });

  it('fills every images_search field with a non-empty string', () => {
    const keys = ['type', 'rank_group', 'rank_absolute', 'xpath', 'title', 'subtitle', 'alt', 'url', 'source_url', 'encoded_url'];
    for (const keyword of ['iphone wallpaper', '東京 タワー', 'a', 'C++ <b>&"\'']) {
      for (const item of images(renderImagesAdvanced({ ...base, keyword }).items)) {
        expect(Object.keys(item)).toEqual(keys);
        for (const k of ['xpath', 'title', 'subtitle', 'alt', 'url', 'source_url', 'encoded_url'] as const) {
          expect(typeof item[k]).toBe('string');
          expect(item[k].length).toBeGreaterThan(0);
        }
        expect(item.url.startsWith('https://')).toBe(true);
        expect(item.source_url).toMatch(/^https:\/\/\S+\.(jpe?g|png|webp)$/);
        expect(item.encoded_url.startsWith('https://encrypted-tbn0.gstatic.com/images?q=tbn:ANd9Gc')).toBe(true);
      }
    }
  });

  it('builds check_url from domain, locale and search_param; echoes request fields', () => {
    const r = renderImagesAdvanced({ ...base, seDomain: 'google.co.uk', countryIso: 'GB', searchParam: '&tbs=qdr:d' });
    expect(r.check_url).toBe(
      'https://www.google.co.uk/search?q=iphone%20wallpaper&tbm=isch&num=100&hl=en&gl=GB&gws_rd=cr&ie=UTF-8&oe=UTF-8&tbs=qdr:d',
    );
    expect(r).toMatchObject({
      keyword: 'iphone wallpaper',
      type: 'images',
      se_domain: 'google.co.uk',
      location_code: 2840,
      language_code: 'en',
      se_results_count: 0,
      spell: null,
    });
    expect(r.refinement_chips!.items.every((c) => c.options === null && c.type === 'refinement_chips_element')).toBe(true);
  });

  it('survives a lone surrogate in the keyword', () => {
    expect(() => renderImagesAdvanced({ ...base, keyword: 'bad \ud800 keyword' })).not.toThrow();
  });
});

describe('renderImagesHtml', () => {
  it('contains the same images as the advanced result', () => {
    const adv = renderImagesAdvanced(base);
    const res = renderImagesHtml(base);
    expect(res).toMatchObject({
      keyword: base.keyword,
      type: 'images',
      se_domain: 'google.com',
      location_code: 2840,
      language_code: 'en',
      datetime: base.datetime,
      items_count: 1,
    });
    expect(res.items).toHaveLength(1);
    const { page, date, html } = res.items[0]!;
    expect(page).toBe(1);
    expect(date).toBe(base.datetime);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>iphone wallpaper - Google Search</title>');
    for (const item of images(adv.items)) {
      expect(html).toContain(`href="${escapeHtml(item.url)}"`);
      expect(html).toContain(`src="${escapeHtml(item.encoded_url)}"`);
      expect(html).toContain(escapeHtml(item.title));
    }
    const related = adv.items.find((i) => i.type === 'related_searches');
    if (related?.type !== 'related_searches') throw new Error('missing related');
    for (const q of related.items!) expect(html).toContain(`>${escapeHtml(q)}</a>`);
  });

  it('escapes a hostile keyword', () => {
    const keyword = `<script>alert("x")</script> it's`;
    const html = renderImagesHtml({ ...base, keyword, depth: 10 }).items[0]!.html;
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('alert("x")');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; it&#39;s - Google Search');
    expect(html).toContain('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; it&#39;s"');
  });
});

describe('renderImagesExample', () => {
  it('has every item type, a spell suggestion and chips with options', () => {
    const r = renderImagesExample({ ...base, taskId: '00000000-0000-0000-0000-000000000000' });
    expect(r.item_types).toEqual(['carousel', 'images_search', 'related_searches']);
    expect(images(r.items)).toHaveLength(10);
    expect(r.items_count).toBe(r.items.length);
    // related searches sit inside the grid, so images follow it too
    expect(r.items[r.items.length - 1]!.type).toBe('images_search');
    expect(r.spell).toEqual({ keyword: expect.any(String), type: 'did_you_mean' });
    expect(r.refinement_chips!.items.length).toBeGreaterThan(0);
    for (const chip of r.refinement_chips!.items) {
      expect(chip.options!.length).toBeGreaterThan(0);
      for (const opt of chip.options!) {
        expect(opt).toEqual({
          type: 'refinement_chips_option',
          title: expect.any(String),
          url: expect.stringMatching(/^https:\/\/www\.google\.com\/search\?/),
          domain: 'www.google.com',
        });
      }
    }
    const carousel = r.items[0]!;
    expect(carousel.type === 'carousel' && carousel.items[0]!.image_url).toBe(
      'https://api.dataforseo.com/cdn/i/00000000-0000-0000-0000-000000000000:0',
    );
  });
});
