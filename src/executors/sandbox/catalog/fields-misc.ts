// Field-name rules for the catalog's other scalar fields: On-Page crawl facts and timings, content
// and generation texts, LLM tokens, hosting and registration facts, app and listing ids. Each
// returns null for names it does not know (fields.ts then falls back to the SERP faker's rules).

import { hashString } from '../prng.js';
import { personName, sentence, round } from '../schema-faker-values.js';
import { ALNUM, DIGITS } from '../schema-faker-words.js';
import { appIdFor, asinFor } from './candidates.js';
import type { CatCtx, St } from './context.js';
import { hostOf, normalizeTarget } from './subjects.js';
import { CMS_NAMES, COUNTRY_CODES, LLM_MODELS, PLATFORM_TYPES, REGISTRARS, SEMANTIC_LOCATIONS, SERVERS, TECHNOLOGIES } from './words.js';

type Gen = (c: CatCtx, d: number, st: St) => unknown;

const ip = (seed: number): string => `${(seed % 200) + 20}.${(seed >>> 8) % 256}.${(seed >>> 16) % 256}.${(seed >>> 24) % 254 || 1}`;
const subjectHash = (c: CatCtx, st: St): number => hashString(st.dom ?? c.req.target ?? c.kw);

export function miscString(key: string): Gen | null {
  switch (key) {
    case 'ip':
    case 'ip_address':
    case 'domain_from_ip':
      return (c, _d, st) => ip(subjectHash(c, st));
    case 'network_address':
      return (c, _d, st) => ip(subjectHash(c, st)).replace(/\.\d+$/, '.0');
    case 'country':
    case 'domain_from_country':
    case 'country_iso_code':
      return (c, _d, st) => (st.dom === null ? c.cc || 'US' : COUNTRY_CODES[subjectHash(c, st) % 5]!);
    case 'server':
      return (c, _d, st) => SERVERS[subjectHash(c, st) % SERVERS.length]!;
    case 'cms':
      return (c, _d, st) => (subjectHash(c, st) % 3 === 0 ? null : CMS_NAMES[subjectHash(c, st) % CMS_NAMES.length]!);
    case 'platform_type':
      return (c, _d, st) => PLATFORM_TYPES[subjectHash(c, st) % PLATFORM_TYPES.length]!;
    case 'item_type':
      return (c) => (c.rng.chance(0.85) ? 'anchor' : c.rng.pick(['image', 'redirect', 'canonical']));
    case 'semantic_location':
      return (c) => c.rng.pick(SEMANTIC_LOCATIONS);
    case 'registrar':
      return (c, _d, st) => REGISTRARS[subjectHash(c, st) % REGISTRARS.length]!;
    case 'anchor':
    case 'anchor_text':
      return (c) => c.kw;
    case 'page_from_title':
    case 'meta_title':
    case 'h_title':
      return (c) => `${c.Kw} | ${c.rng.pick(['Guide', 'Tips', 'Review', 'News'])}`;
    case 'page_from_language':
    case 'content_language_code':
    case 'hunspell_language_code':
      return (c) => c.lang;
    case 'page_from_encoding':
    case 'charset':
    case 'encoding':
      return () => 'utf-8';
    case 'content_encoding':
      return () => 'gzip';
    case 'media_type':
    case 'content_type':
      return () => 'text/html';
    case 'resource_type':
      return (_c, _d, st) =>
        st.tag !== null && ['html', 'image', 'script', 'stylesheet', 'broken', 'redirect'].includes(st.tag) ? st.tag : 'html';
    case 'crawl_progress':
      return (c) => c.crawl?.progress ?? 'finished';
    case 'crawl_stop_reason':
      return (c) => (c.crawl ? c.crawl.stopReason : 'limit_exceeded');
    case 'crawl_gateway_address':
      return (c) => ip(c.seed);
    case 'model_name':
    case 'model':
      return (c) =>
        typeof c.req.params.model_name === 'string'
          ? c.req.params.model_name
          : (LLM_MODELS[Object.keys(LLM_MODELS).find((p) => c.endpoint.path.includes(`/${p}/`)) ?? 'chat_gpt'] ?? 'gpt-4o-mini');
    case 'platform':
      return (c) => (typeof c.req.params.platform === 'string' ? c.req.params.platform : 'google');
    case 'initial_text':
      return (c) => (typeof c.req.params.text === 'string' ? c.req.params.text : sentence(c));
    case 'generated_text':
    case 'answer':
    case 'page_as_markdown':
      return (c) => `${sentence(c)} ${sentence(c)}`;
    case 'html':
      return (c) =>
        `<!doctype html><html lang="${c.lang}"><head><meta charset="utf-8"><title>${c.Kw}</title></head><body><h1>${c.Kw}</h1><p>${sentence(c)}</p></body></html>`;
    case 'group':
      return (c) => c.rng.pick(TECHNOLOGIES)[0];
    case 'technology':
      return (c) => (typeof c.req.params.technology === 'string' ? c.req.params.technology : c.rng.pick(TECHNOLOGIES)[2]);
    case 'app_id':
      return (c, _d, st) => st.dom ?? appIdFor(c, c.kw);
    case 'asin':
    case 'data_asin':
    case 'parent_asin':
      return (c, _d, st) => st.dom ?? (typeof c.req.params.asin === 'string' ? c.req.params.asin : asinFor(c.kw));
    case 'developer':
    case 'profile_name':
    case 'author_name':
    case 'seller_name':
      return (c) => personName(c.rng);
    case 'percentage_discount':
      return (c) => `${c.rng.int(5, 40)}%`;
    case 'version':
      return (c) => `${c.rng.int(1, 12)}.${c.rng.int(0, 20)}.${c.rng.int(0, 9)}`;
    case 'installs':
      return (c) => c.rng.pick(['1,000+', '10,000+', '100,000+', '1,000,000+', '10,000,000+']);
    case 'review_id':
    case 'question_id':
    case 'answer_id':
    case 'id':
      return (c) => c.rng.chars(24, ALNUM);
    case 'phone_numbers':
      return (c) => `+1 ${c.rng.int(201, 989)}-${c.rng.int(200, 999)}-${c.rng.chars(4, DIGITS)}`;
    case 'emails':
      return (c, _d, st) => `info@${hostOf(normalizeTarget(st.dom ?? c.req.target ?? 'example.com'))}`;
    default:
      return null;
  }
}

const TIMING = /(time|duration|_start|_end|dom_complete|delay|paint|interactive)$/;
const READABILITY = /(readability_index|grade_level|coleman_liau_index)$/;

export function miscNumber(key: string, integer: boolean): Gen | null {
  switch (key) {
    case 'rating_max':
      return () => 5;
    case 'onpage_score':
      return (c) => round(60 + c.rng.next() * 39, 2);
    case 'status_code':
    case 'page_from_status_code':
    case 'url_to_status_code':
    case 'page_to_status_code':
      return (c) => (c.rng.chance(0.95) ? 200 : c.rng.pick([301, 404]));
    case 'click_depth':
      return (c) => c.rng.int(0, 4);
    case 'url_length':
    case 'relative_url_length':
      return (c) => c.rng.int(15, 90);
    case 'input_tokens':
      return (c) => c.rng.int(20, 400);
    case 'output_tokens':
    case 'new_tokens':
      return (c) => c.rng.int(100, 1500);
    case 'reasoning_tokens':
      return (c) => (c.req.params.use_reasoning === true ? c.rng.int(100, 2000) : 0);
    case 'money_spent':
      return (c) => round(0.0001 + c.rng.next() * 0.01, 6);
    case 'timestamp':
      return (c) => Math.floor((c.nowMs - c.rng.int(1, 365) * 86_400_000) / 1000);
    case 'year':
      return (c) => c.year;
    case 'month':
      return (c) => new Date(c.nowMs).getUTCMonth() + 1;
    case 'stars':
      return (c) => c.rng.int(2, 5);
    case 'max_crawl_pages':
      return (c) => (typeof c.req.params.max_crawl_pages === 'number' ? c.req.params.max_crawl_pages : 100);
    case 'pages_in_queue':
      return (c) => c.crawl?.pagesInQueue ?? 0;
    case 'pages_crawled':
      return (c) =>
        c.crawl?.pagesCrawled ?? (typeof c.req.params.max_crawl_pages === 'number' ? c.req.params.max_crawl_pages : c.rng.int(20, 100));
    case 'density':
    case 'vocabulary_density':
      return (c) => round(c.rng.next() * 0.1, 4);
    case 'frequency':
      return (c) => c.rng.int(1, 40);
    case 'like_count':
    case 'pins_count':
      return (c) => c.rng.int(0, 100_000);
    case 'installs_count':
      return (c) => c.rng.int(1_000, 50_000_000);
    case 'spelling_errors':
    case 'grammar_errors':
      return (c) => c.rng.int(0, 3);
    case 'sentences':
      return (c) => c.rng.int(3, 60);
    case 'paragraphs':
      return (c) => c.rng.int(1, 15);
    case 'words':
      return (c) => c.rng.int(50, 1200);
    default:
      if (TIMING.test(key)) return (c) => (integer ? c.rng.int(5, 3000) : round(5 + c.rng.next() * 3000, 2));
      if (READABILITY.test(key)) return (c) => round(4 + c.rng.next() * 12, 2);
      if (key.endsWith('_count') || key.endsWith('_size')) return (c) => c.rng.int(0, key.endsWith('_size') ? 200_000 : 500);
      return null;
  }
}

export function miscBoolean(key: string): Gen | null {
  switch (key) {
    case 'is_free':
      return (c) => c.rng.chance(0.7);
    case 'is_https':
    case 'valid_certificate':
    case 'is_available':
    case 'web_search':
      return () => true;
    default:
      return null;
  }
}
