// DATA TABLE (no logic): which items a schema-rendered SERP holds, per "se/se_type": the main item
// type (about `depth` of them) and the extras sprinkled among them, or a fixed sequence or count
// for pages that always look the same (Google Finance, AI Mode, video and dataset info).

/** Item plan per "se/seType": the main item type (≈ depth items) and a few sprinkled extras. */
export interface Plan {
  readonly main: string;
  readonly extras: readonly string[];
  /** fixed count instead of depth */
  readonly count?: number;
  /** fixed sequence instead of main + extras */
  readonly fixed?: readonly string[];
}

// Google's organic SERP features; the other engines list the fewer they show.
const ORGANIC_EXTRAS = [
  'people_also_ask',
  'related_searches',
  'top_stories',
  'video',
  'images',
  'knowledge_graph',
  'featured_snippet',
  'paid',
  'local_pack',
  'people_also_search',
];
export const PLANS: Record<string, Plan> = {
  'google/organic': { main: 'organic', extras: ORGANIC_EXTRAS },
  'bing/organic': { main: 'organic', extras: ['paid', 'related_searches', 'people_also_ask', 'video', 'images', 'top_stories'] },
  'yahoo/organic': { main: 'organic', extras: ['related_searches', 'paid', 'images', 'video', 'people_also_ask'] },
  'baidu/organic': { main: 'organic', extras: ['related_searches', 'images', 'video'] },
  'naver/organic': { main: 'organic', extras: ['related_searches', 'images', 'video'] },
  'seznam/organic': { main: 'organic', extras: ['related_searches', 'images', 'video'] },
  'google/maps': { main: 'maps_search', extras: ['maps_paid_item'] },
  'google/news': { main: 'news_search', extras: ['top_stories'] },
  'google/images': { main: 'images_search', extras: ['carousel', 'related_searches'] },
  'google/search_by_image': { main: 'organic', extras: ['images'] },
  'google/ads_advertisers': { main: 'ads_advertiser', extras: ['ads_domain', 'ads_multi_account_advertiser'] },
  'youtube/organic': { main: 'youtube_video', extras: ['youtube_channel', 'youtube_playlist', 'youtube_video_paid'] },
  'google/finance_explore': {
    main: 'google_finance_explore_market_trends',
    extras: [],
    fixed: [
      'google_finance_hero_groups',
      'google_finance_interested',
      'google_finance_explore_market_trends',
      'google_finance_news',
      'google_finance_earnings_calendar',
      'google_finance_most_followed',
      'google_finance_people_also_search',
    ],
  },
  'google/finance_markets': {
    main: 'google_finance_market_trends',
    extras: [],
    fixed: [
      'google_finance_hero_groups',
      'google_finance_market_trends',
      'google_finance_news',
      'google_finance_most_followed',
      'google_finance_interested',
      'google_finance_people_also_search',
    ],
  },
  'google/finance_quote': {
    main: 'google_finance_quote',
    extras: [],
    fixed: [
      'google_finance_quote',
      'google_finance_compare_to',
      'google_finance_news',
      'google_finance_financial',
      'google_finance_details',
      'google_finance_about',
      'google_finance_people_also_search',
    ],
  },
  'google/finance_ticker_search': {
    main: 'google_finance_market_instrument',
    extras: ['google_finance_asset_pair', 'google_finance_market_index'],
  },
  'google/ai_mode': { main: 'ai_overview', extras: [], count: 1 },
  'youtube/video_info': { main: 'youtube_video_info', extras: [], count: 1 },
  'google/dataset_info': { main: 'dataset', extras: [], count: 1 },
};
