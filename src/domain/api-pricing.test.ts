import { describe, expect, it } from 'vitest';
import { chargeMicro, endpointChargeMicro, returnedItems } from './api-pricing.js';

describe('api-pricing', () => {
  it('charges Labs a request fee plus the rows returned, doubled with clickstream data', () => {
    const result = [{ items_count: 25, items: [] }];
    expect(endpointChargeMicro('dataforseo_labs/google/ranked_keywords/live', { live: true }, {}, result)).toBe(12_000 + 25 * 120);
    expect(
      endpointChargeMicro('dataforseo_labs/google/ranked_keywords/live', { live: true }, { include_clickstream_data: true }, result),
    ).toBe(2 * (12_000 + 25 * 120));
  });

  it('charges Google Ads per task of up to 1,000 keywords, live at the live price', () => {
    const keywords = Array.from({ length: 999 }, (_, i) => `k${i}`);
    expect(endpointChargeMicro('keywords_data/google_ads/search_volume/live', { live: true }, { keywords }, null)).toBe(90_000);
    expect(endpointChargeMicro('keywords_data/google_ads/search_volume/task_post', { live: false, priority: 1 }, { keywords }, null)).toBe(
      60_000,
    );
  });

  it('lists and dictionaries are free', () => {
    expect(endpointChargeMicro('dataforseo_labs/locations_and_languages', { live: true }, {}, [{}])).toBe(0);
    expect(endpointChargeMicro('backlinks/available_filters', { live: true }, {}, [{}])).toBe(0);
  });

  it('On-Page pages: browser rendering replaces the JavaScript and resources surcharges', () => {
    const rule = {
      per: 'page',
      usd: 0.00015,
      extras: { load_resources: 0.0003, enable_javascript: 0.00135, enable_browser_rendering: 0.00495 },
      supersedes: { enable_browser_rendering: ['enable_javascript', 'load_resources'] },
    } as const;
    expect(chargeMicro(rule, { live: true }, { enable_javascript: true }, null)).toBe(1500);
    expect(chargeMicro(rule, { live: true }, { enable_javascript: true, load_resources: true, enable_browser_rendering: true }, null)).toBe(
      5100,
    );
  });

  it('counts returned rows from items_count, else items, else the results', () => {
    expect(returnedItems(null)).toBe(0);
    expect(returnedItems([{ items: [1, 2, 3] }])).toBe(3);
    expect(returnedItems([{ a: 1 }, { a: 2 }])).toBe(2);
  });
});
