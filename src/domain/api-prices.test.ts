import { describe, expect, it } from 'vitest';
import { API_DEFAULT_PRICES, API_PRICES, REQUEST_CAPS, SPECIAL_LIMITS, SUBSCRIPTION_APIS, priceRuleFor } from './api-prices.js';

describe('priceRuleFor', () => {
  it('takes the longest matching prefix', () => {
    expect(priceRuleFor('keywords_data/google_ads/search_volume/live')).toEqual({
      per: 'keywords',
      usdPerBlock: 0.06,
      liveUsdPerBlock: 0.09,
      blockSize: 1000,
    });
    expect(priceRuleFor('keywords_data/google_ads/keywords_for_site/task_post')).toEqual({ per: 'task', usd: 0.06, liveUsd: 0.09 });
    expect(priceRuleFor('dataforseo_labs/google/historical_rank_overview/live')).toMatchObject({ baseUsd: 0.12, perItemUsd: 0.0012 });
    expect(priceRuleFor('on_page/content_parsing/live')).toMatchObject({ per: 'page', usd: 0.00015 });
    expect(priceRuleFor('on_page/content_parsing')).toEqual({ per: 'free' });
  });

  it('falls back to the API default for a family the table does not list', () => {
    expect(priceRuleFor('dataforseo_labs/google/ranked_keywords/live')).toBe(API_DEFAULT_PRICES.dataforseo_labs);
    expect(priceRuleFor('backlinks/summary/live')).toMatchObject({ per: 'request+items', baseUsd: 0.024, perItemUsd: 0.000036 });
    expect(priceRuleFor('business_data/social_media/pinterest/live')).toBe(API_DEFAULT_PRICES.business_data);
    expect(priceRuleFor('serp/google/organic/task_post')).toBe(API_DEFAULT_PRICES.serp);
  });

  it('makes getters and dictionaries free whatever the family', () => {
    expect(priceRuleFor('keywords_data/google_ads/search_volume/task_get/01234567-0000-0000-0000-000000000000')).toEqual({ per: 'free' });
    expect(priceRuleFor('backlinks/index')).toEqual({ per: 'free' });
    expect(priceRuleFor('serp/google/organic/tasks_ready')).toEqual({ per: 'free' });
    expect(priceRuleFor('dataforseo_labs/locations_and_languages')).toEqual({ per: 'free' });
    expect(priceRuleFor('ai_optimization/claude/llm_responses/models')).toEqual({ per: 'free' });
    expect(priceRuleFor('appendix/user_data')).toEqual({ per: 'free' });
  });

  it('tolerates slashes around the path and answers undefined for an unknown API', () => {
    expect(priceRuleFor('/on_page/instant_pages/')).toMatchObject({ per: 'page', usd: 0.00015 });
    expect(priceRuleFor('nope/x/live')).toBeUndefined();
  });
});

describe('the tables', () => {
  it('hold only exact micro-USD amounts', () => {
    const amounts: number[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'number') amounts.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk([API_PRICES, API_DEFAULT_PRICES]);
    for (const a of amounts) expect(Math.abs(a * 1_000_000 - Math.round(a * 1_000_000))).toBeLessThan(1e-6);
  });

  it('carry the documented special limits and subscription answers', () => {
    expect(SPECIAL_LIMITS['keywords_data/google_ads/search_volume/live']?.callsPerMinute).toBe(12);
    expect(SPECIAL_LIMITS['appendix/user_data']?.callsPerMinute).toBe(6);
    expect(REQUEST_CAPS['on_page/instant_pages']?.maxTasksPerPost).toBe(20);
    expect(SUBSCRIPTION_APIS.backlinks?.statusCode).toBe(40204);
  });
});
