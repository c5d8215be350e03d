import { describe, expect, it } from 'vitest';
import { type ApiName, loadApi } from '../../../domain/api-catalog/index.js';
import { renderEndpointResult } from './render.js';
import { OWNER_REPLIES, REVIEW_SENTENCES, SHOPS } from './realistic-values.js';

const DATETIME = '2026-12-01 12:00:00 +00:00';

async function render(api: ApiName, path: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const catalog = await loadApi(api);
  const endpoint = catalog.endpoints.find((e) => e.path === path)!;
  return (renderEndpointResult(catalog, endpoint, params, { datetime: DATETIME }) ?? [])[0] as Record<string, unknown>;
}

const SENTENCES = Object.values(REVIEW_SENTENCES).flat();
const REPLIES = Object.values(OWNER_REPLIES).flat();

describe('realistic results of the most used endpoints', () => {
  it('Google reviews read as reviews: sentences of one tone about the subject, owner replies, Google Maps links', async () => {
    const r = await render('business_data', 'business_data/google/reviews/task_get/{id}', {
      keyword: 'joe’s pizza brooklyn',
      location_code: 2840,
      language_code: 'en',
      depth: 40,
    });
    const items = r.items as Array<Record<string, unknown>>;
    expect(items.length).toBe(40);
    for (const item of items) {
      const text = String(item.review_text);
      const parts = text.split(/(?<=\.) /);
      expect(parts.length).toBeGreaterThanOrEqual(2);
      for (const p of parts) expect(SENTENCES.map((s) => s.replace('{s}', 'Joe’s Pizza Brooklyn'))).toContain(p);
      const tones = Object.entries(REVIEW_SENTENCES).filter(([, ss]) =>
        parts.every((p) => ss.some((s) => s.replace('{s}', 'Joe’s Pizza Brooklyn') === p)),
      );
      expect(tones).toHaveLength(1);
      if (item.owner_answer !== null) {
        expect(REPLIES).toContain(item.owner_answer);
        expect(item.owner_time_ago).toMatch(/ago$/);
      } else expect([item.owner_time_ago, item.owner_timestamp]).toEqual([null, null]);
      expect(item.profile_url).toMatch(/^https:\/\/www\.google\.com\/maps\/contrib\/\d{21}$/);
      expect(item.review_url).toMatch(/^https:\/\/www\.google\.com\/maps\/reviews\//);
      expect(item.time_ago).toMatch(/ago$/);
    }
    // Some owners answer, some do not; most reviews are good, not all.
    expect(items.some((i) => i.owner_answer === null)).toBe(true);
    expect(items.some((i) => i.owner_answer !== null)).toBe(true);
  });

  it('Trustpilot reviews carry their counts as the digits the vendor types as strings', async () => {
    const r = await render('business_data', 'business_data/trustpilot/reviews/task_get/{id}', { domain: 'example.com', depth: 5 });
    expect(r.reviews_count).toMatch(/^\d+$/);
    for (const item of r.items as Array<Record<string, unknown>>)
      expect(SENTENCES.some((s) => String(item.review_text).includes(s.replace('{s}', 'Example')))).toBe(true);
  });

  it('Google Shopping products are sold by real shops: seller, domain and url agree, the title names the product', async () => {
    const r = await render('merchant', 'merchant/google/products/task_get/advanced/{id}', {
      keyword: 'wireless earbuds',
      location_code: 2840,
      language_code: 'en',
    });
    const products = (r.items as Array<Record<string, unknown>>).filter((i) => i.type === 'google_shopping_serp');
    expect(products.length).toBeGreaterThan(10);
    for (const p of products) {
      const shop = SHOPS.find(([name]) => name === p.seller);
      expect(shop, String(p.seller)).toBeDefined();
      expect(p.domain).toBe(shop![1]);
      expect(new URL(String(p.url)).hostname).toBe(`www.${shop![1]}`);
      expect(String(p.title).toLowerCase()).toContain('wireless earbuds');
      expect(p.shopping_url).toMatch(/^https:\/\/www\.google\.com\/shopping\/product\/\d+$/);
      expect(p.data_docid).toMatch(/^\d{19}$/);
    }
    expect(new Set(products.map((p) => p.seller)).size).toBeGreaterThan(3);
  });
});
