// Field-name rules of the schema-driven renderer: for a scalar field of the vendor's schema, the
// generator its name calls for (a `url` is a page URL on the object's site, a `rank_group` the
// item's rank, a `latitude` near the task's city, ...). Unknown names fall back by suffix and type.

import { MAX_DEPTH, type Gen } from './schema-faker-model.js';
import {
  BUSINESS,
  imageUrl,
  pageUrl,
  pastMs,
  personName,
  phrase,
  round,
  searchUrl,
  sentence,
  siteName,
  siteOf,
  slugify,
  title,
  titleCase,
  videoIdOf,
  xpath,
} from './schema-faker-values.js';
import { ALNUM, B64, CATEGORIES, DIGITS, EMPLOYER_SUFFIX, LAST_NAMES, STREETS, TOPICS } from './schema-faker-words.js';
import { formatTimestamp, pad2 } from './serp-text.js';
import { USERNAMES } from './vocab.js';

// Fields named like images (image_url, thumbnail, channel_logo, ...) hold image URLs, not pages.
const URL_IMAGE = /(^|_)(image|thumbnail|logo|photo|avatar|icon)(_|$)|^main_image$|^author_thumbnail$|^channel_logo$/;

/** A string field: the task's own values where the name asks for them, else a coherent made-up one. */
export function stringGen(key: string): Gen {
  switch (key) {
    case 'keyword':
      return (c) => c.input.keyword ?? null;
    case 'se_domain':
      return (c) => c.input.seDomain;
    case 'language_code':
      return (c) => c.input.languageCode;
    case 'language':
      return (c) => c.lang;
    case 'country_code':
      return (c) => c.cc || null;
    case 'check_url':
      return (c) => searchUrl(c, c.kw);
    case 'datetime':
    case 'date':
      return (c) => c.input.datetime;
    case 'domain':
      return (c, _d, st) => siteOf(c, st);
    case 'url':
    case 'source_url':
    case 'link':
    case 'employer_url':
    case 'contact_url':
    case 'book_online_url':
    case 'website':
    case 'ad_url':
    case 'marketplace_url':
    case 'description_source_url':
      return (c, _d, st) => pageUrl(c, st);
    case 'cache_url':
      return (c, _d, st) => `https://webcache.googleusercontent.com/search?q=cache:${c.rng.chars(12, ALNUM)}:${pageUrl(c, st)}`;
    case 'related_search_url':
      return (c) => (c.rng.chance(0.2) ? searchUrl(c, phrase(c)) : null);
    case 'search_query_url':
    case 'scholarly_articles_url':
    case 'encoded_url':
      return (c) => searchUrl(c, phrase(c));
    case 'channel_url':
      return (c) => `https://www.youtube.com/@${slugify(c.Kw).replace(/-/g, '')}${c.rng.int(1, 99)}`;
    case 'author_url':
      return (c) => `https://www.youtube.com/@${c.rng.pick(USERNAMES).replace(/[^a-z0-9]/gi, '')}`;
    case 'contributor_url':
      return (c) => `https://www.google.com/maps/contrib/${c.rng.chars(21, DIGITS)}`;
    case 'preview_url':
      return (c) => `https://tpc.googlesyndication.com/archive/simgad/${c.rng.chars(20, DIGITS)}`;
    case 'breadcrumb':
      return (c, _d, st) => `https://${siteOf(c, st)} › ${c.slug}`;
    case 'title':
    case 'featured_title':
    case 'original_title':
    case 'sub_title':
    case 'subtitle':
    case 'seed_question':
    case 'question_text':
      return (c, _d, st) => (key === 'seed_question' || key === 'question_text' ? `What is ${c.kw}?` : title(c, st.tag));
    case 'pre_snippet':
    case 'extended_snippet':
      return (c) => (c.rng.chance(0.1) ? sentence(c) : null);
    case 'description':
    case 'snippet':
    case 'text':
    case 'answer_text':
    case 'markdown':
    case 'tweet':
    case 'preview':
      return (c) => sentence(c);
    case 'website_name':
    case 'source':
    case 'source_name':
    case 'marketplace':
    case 'seller':
      return (c, _d, st) => siteName(siteOf(c, st));
    case 'employer_name':
      return (c) => `${c.rng.pick(LAST_NAMES)} ${c.rng.pick(EMPLOYER_SUFFIX)}`;
    case 'author':
    case 'author_name':
    case 'ceo':
      return (c) => personName(c.rng);
    case 'channel_name':
    case 'name':
    case 'displayed_name':
      return (c) => `${c.Kw} ${c.rng.pick(['Channel', 'Official', 'Hub', 'TV', 'Daily', 'Studio'])}`;
    case 'position':
      return (_c, _d, st) => (st.tag === 'knowledge_graph' ? 'right' : 'left');
    case 'xpath':
      return (c, _d, st) => xpath(c, st);
    case 'timestamp':
    case 'publication_date':
    case 'updated_date':
    case 'first_shown':
    case 'last_shown':
    case 'start_datetime':
    case 'time_published':
    case 'date_from':
    case 'start_date':
      return (c) => formatTimestamp(pastMs(c, 400));
    case 'end_datetime':
    case 'date_to':
    case 'end_date':
    case 'expiration_timestamp':
      return (c) => formatTimestamp(c.nowMs + c.rng.int(1, 60 * 24) * 3_600_000);
    case 'time_ago':
    case 'job_posted_time':
    case 'displayed_date':
      return (c) => `${c.rng.int(1, 29)} days ago`;
    case 'displayed_dates':
      return (c) => `${new Date(c.nowMs + c.rng.int(1, 60) * 86_400_000).toUTCString().slice(0, 11)}`;
    case 'phone':
      return (c) => `+1 ${c.rng.int(201, 989)}-${c.rng.int(200, 999)}-${c.rng.chars(4, DIGITS)}`;
    case 'address':
      return (c) => `${c.rng.int(1, 999)} ${c.rng.pick(STREETS)}, ${c.city}`;
    case 'city':
    case 'location':
      return (c) => c.city;
    case 'region':
      return (c) => c.input.locationName ?? c.city;
    case 'zip':
      return (c) => c.rng.chars(5, DIGITS);
    case 'borough':
      return () => null;
    case 'cid':
      return (c) => String(c.rng.int(1, 9)) + c.rng.chars(18, DIGITS);
    case 'place_id':
      return (c) => 'ChIJ' + c.rng.chars(23, B64);
    case 'feature_id':
      return (c) => `0x${c.rng.hex(16)}:0x${c.rng.hex(16)}`;
    case 'video_id':
      return (c, _d, st) => (st.top && c.input.params.video_id !== undefined ? videoIdOf(c) : c.rng.chars(11, B64));
    case 'channel_id':
      return (c) => 'UC' + c.rng.chars(22, B64);
    case 'playlist_id':
      return (c) => 'PL' + c.rng.chars(32, B64);
    case 'dataset_id':
      return (c, _d, st) =>
        st.top && typeof c.input.params.dataset_id === 'string' ? c.input.params.dataset_id : c.rng.chars(20, ALNUM) + '==';
    case 'advertiser_id':
      return (c) => 'AR' + c.rng.chars(20, DIGITS);
    case 'creative_id':
      return (c) => 'CR' + c.rng.chars(20, DIGITS);
    case 'job_id':
      return (c) => c.rng.chars(40, B64) + '==';
    case 'currency':
    case 'price_currency':
    case 'converted_currency':
    case 'metrics_currency':
      return () => 'USD';
    case 'displayed_price':
      return (c) => `$${c.rng.int(5, 300)}.${pad2(c.rng.int(0, 99))}`;
    case 'price_level':
      return (c) => '$'.repeat(c.rng.int(1, 3));
    case 'ticker':
    case 'symbol':
    case 'base_symbol':
    case 'quote_symbol':
      return (c) => c.ticker;
    case 'base_display_name':
    case 'quote_display_name':
      return (c) => `${c.Kw} Inc`;
    case 'primary_exchange':
    case 'market':
    case 'market_identifier':
      return () => 'NASDAQ';
    case 'trend':
      return (c) => (c.rng.chance(0.5) ? 'up' : 'down');
    case 'rating_type':
      return () => 'Max5';
    case 'duration_time':
      return (c) => `${c.rng.int(1, 25)}:${pad2(c.rng.int(0, 59))}`;
    case 'time_to_play':
      return (c) => `${c.rng.int(10, 90)} min`;
    case 'salary':
      return (c) => `$${c.rng.int(40, 90)}K–$${c.rng.int(91, 160)}K a year`;
    case 'contract_type':
      return (c) => c.rng.pick(['Full-time', 'Part-time', 'Contractor']);
    case 'category':
      return (c, _d, st) =>
        st.tag !== null && BUSINESS.test(st.tag) ? `${titleCase(c.core)} ${c.rng.pick(CATEGORIES)}` : titleCase(c.rng.pick(TOPICS));
    case 'current_status':
      return () => 'open';
    case 'format':
      return (c) => c.rng.pick(['text', 'image', 'video']);
    case 'label':
      return (c) => c.rng.pick(['360p', '720p', '1080p']);
    case 'mime_type':
      return () => 'video/mp4; codecs="avc1.4d401f"';
    case 'suggestion_type':
      return () => null;
    case 'suggestion':
      return (c) => phrase(c);
    case 'data_attrid':
      return () => null;
    case 'translate_language':
    case 'origin_language':
      return (c) => c.lang;
    case 'table_element':
      return () => 'table_element';
    case 'identifier':
    case 'hotel_identifier':
    case 'card_id':
    case 'posts_id':
    case 'product_id':
    case 'unique_identifier':
      return (c) => c.rng.chars(16, ALNUM);
    case 'founded':
      return (c) => String(c.rng.int(1950, 2015));
    case 'headquarters':
      return (c) => `${c.city}`;
    default:
      if (URL_IMAGE.test(key)) {
        return (c, _d, st) =>
          st.top && st.tag === 'youtube_video_info' && key === 'thumbnail_url'
            ? `https://i.ytimg.com/vi/${videoIdOf(c)}/hqdefault.jpg`
            : imageUrl(c);
      }
      if (key.endsWith('_url')) return (c, _d, st) => pageUrl(c, st);
      if (key.endsWith('_id')) return (c) => c.rng.chars(16, ALNUM);
      if (key.endsWith('_date') || key.endsWith('_time')) return (c) => formatTimestamp(pastMs(c, 200));
      return (c) => phrase(c);
  }
}

/** An integer field: ranks from the object's position, counts in plausible ranges. */
export function integerGen(key: string): Gen {
  switch (key) {
    case 'rank_group':
      return (c, _d, st) => (st.rankGroup > 0 ? st.rankGroup : c.rng.int(1, 10));
    case 'rank_absolute':
      return (c, _d, st) => (st.rankAbs > 0 ? st.rankAbs : c.rng.int(1, 10));
    case 'page':
    case 'pages_count':
    case 'block_rank':
      return () => 1;
    case 'location_code':
      return (c) => c.input.locationCode;
    case 'se_results_count':
      return (c) => c.rng.int(1_000_000, 2_000_000_000);
    case 'views_count':
      return (c) => c.rng.int(1_000, 50_000_000);
    case 'likes_count':
      return (c) => c.rng.int(10, 500_000);
    case 'comments_count':
    case 'reviews_count':
    case 'votes_count':
    case 'total_photos':
    case 'scholarly_citations_count':
      return (c) => c.rng.int(0, 5_000);
    case 'approx_ads_count':
      return (c) => c.rng.int(1, 2_000);
    case 'employees':
      return (c) => c.rng.int(50, 200_000);
    case 'relevance':
      return (c) => c.rng.int(550, 1_300);
    case 'rating_max':
      return () => 5;
    case 'width':
      return (c) => c.rng.pick([640, 800, 1024, 1280, 1920]);
    case 'height':
      return (c) => c.rng.pick([360, 480, 576, 720, 1080]);
    case 'hour':
      return (c) => c.rng.int(6, 22);
    case 'minute':
      return (c) => c.rng.pick([0, 15, 30, 45]);
    case 'fps':
      return () => 30;
    case 'bitrate':
      return (c) => c.rng.int(200_000, 5_000_000);
    case 'duration_time_seconds':
      return (c) => c.rng.int(30, 3_600);
    case 'size':
      return (c) => c.rng.int(1_000, 50_000_000);
    default:
      return (c) => c.rng.int(0, 20);
  }
}

// Finance fields that hold large amounts (revenue, market cap, volume...).
const MONEY =
  /(revenue|expense|income|ebitda|cash|assets|liabilities|equity|market_cap|net_assets|volume|shares_outstanding|open_interest)/;

/** A number field: coordinates near the task's city, prices, percentages, amounts. */
export function numberGen(key: string): Gen {
  switch (key) {
    case 'latitude':
      return (c) => round(c.lat + (c.rng.next() - 0.5) * 0.1, 7);
    case 'longitude':
      return (c) => round(c.lng + (c.rng.next() - 0.5) * 0.1, 7);
    case 'value':
      return (c) => round(1 + c.rng.next() * 4, 1);
    case 'hotel_rating':
      return (c, _d, st) => (st.tag !== null && st.tag.includes('hotel') ? c.rng.int(2, 5) : null);
    case 'price':
    case 'current':
    case 'regular':
    case 'max_value':
    case 'previous_close':
    case 'index_value':
    case 'settlement_price':
    case 'converted_value':
      return (c) => round(5 + c.rng.next() * 400, 2);
    case 'percentage_delta':
    case 'ytd_return':
    case 'dividend_yield':
    case 'expense_ratio':
    case 'yield':
    case 'effective_tax_rate':
    case 'return_on_assets':
    case 'return_on_capital':
      return (c) => round((c.rng.next() - 0.4) * 10, 2);
    case 'duration_time':
      return (c) => round(1 + c.rng.next() * 5, 2);
    case 'start_time':
      return (c, _d, st) => round(Math.max(0, st.rankAbs - 1) * 4.2, 2);
    case 'end_time':
      return (c, _d, st) => round(Math.max(1, st.rankAbs) * 4.2, 2);
    case 'x':
    case 'y':
    case 'width':
    case 'height':
      return (c) => c.rng.int(0, 1200);
    default:
      if (MONEY.test(key)) return (c) => c.rng.int(1, 900) * 1_000_000;
      return (c) => round(c.rng.next() * 100, 2);
  }
}

/** A boolean field: false unless the name is something a result usually is (embeddable, verified). */
export function booleanGen(key: string): Gen {
  switch (key) {
    case 'is_embeddable':
    case 'is_translatable':
      return () => true;
    case 'verified':
    case 'is_verified':
    case 'is_claimed':
      return (c) => c.rng.chance(0.6);
    default:
      return () => false;
  }
}

/** An array of strings: highlighted words, table headers, categories, else a few phrases. */
export function stringArrayGen(key: string): Gen {
  switch (key) {
    case 'highlighted':
      return (c) => [c.kw];
    case 'item_types':
      return () => null; // filled by the result generator
    case 'table_header':
      return (c) => [c.Kw, 'Details'];
    case 'category_ids':
    case 'additional_categories':
      return (c) => {
        const base = c.core.toLowerCase().replace(/[^a-z0-9]+/g, '_');
        const picks = c.rng.sample(CATEGORIES, c.rng.int(1, 2)).map((x) => x.toLowerCase());
        return key === 'category_ids' ? picks.map((x) => `${base}_${x}`) : picks.map((x) => `${titleCase(c.core)} ${x}`);
      };
    default:
      return (c, d) => {
        if (d > MAX_DEPTH + 1) return null;
        const n = c.rng.int(1, 4);
        const out: string[] = [];
        for (let i = 0; i < n; i++) out.push(phrase(c));
        return out;
      };
  }
}
