// An executor module for serpq: each google/organic task goes to a SERP fetcher of your own over
// HTTP, and its answer becomes the vendor's organic result. Run it with
//
//   FETCHER_URL=http://127.0.0.1:9000/serp npx serpq serve --executor ./examples/http-fetcher-executor.mjs
//
// The fetcher receives POST {"keyword", "location_code", "language_code", "device", "os", "depth", "se_domain"}
// and answers {"items": [{"title", "url", "description"}], "total": 12300000} (total optional).
// The default URL is on port 9000 because serpq itself listens on 8080.

/** The vendor's datetime format: 2026-12-01 10:00:00 +00:00. @param {Date} d */
const vendorTime = (d) => d.toISOString().replace('T', ' ').slice(0, 19) + ' +00:00';

/**
 * One organic item with every field of the vendor's organic element (unknowns null).
 * @param {{ title?: string, url: string, description?: string | null }} found
 * @param {number} i
 */
function organicItem(found, i) {
  const url = new URL(found.url);
  return {
    type: 'organic',
    rank_group: i + 1,
    rank_absolute: i + 1,
    page: 1,
    position: 'left',
    xpath: null,
    rectangle: null,
    domain: url.hostname,
    title: String(found.title ?? ''),
    description: typeof found.description === 'string' ? found.description : null,
    url: url.href,
    breadcrumb: `${url.origin} › ${url.pathname.split('/').filter(Boolean).join(' › ')}`.replace(/ › $/, ''),
    cache_url: null,
    related_search_url: null,
    website_name: null,
    is_image: false,
    is_video: false,
    is_featured_snippet: false,
    is_malicious: false,
    is_web_story: false,
    pre_snippet: null,
    extended_snippet: null,
    images: null,
    amp_version: false,
    rating: null,
    price: null,
    highlighted: null,
    links: null,
    faq: null,
    extended_people_also_search: null,
    about_this_result: null,
    related_result: null,
    timestamp: null,
  };
}

/** @type {import('serpq/executor').ExecutorFactory} */
export default function httpFetcher(options) {
  const url = options.env.FETCHER_URL ?? 'http://127.0.0.1:9000/serp';
  return {
    async execute(task, signal) {
      if (task.se !== 'google' || task.se_type !== 'organic') {
        options.log(`http-fetcher: ${task.se}/${task.se_type} is not fetched here`);
        return { status_code: 50100 }; // Not Implemented.
      }
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          keyword: task.keyword,
          location_code: task.location_code,
          language_code: task.language_code,
          device: task.device,
          os: task.os,
          depth: task.depth,
          se_domain: task.se_domain,
        }),
        signal, // aborts when serpq's time limit for the task is up
      });
      if (!res.ok) throw new Error(`fetcher answered HTTP ${res.status}`);
      const answer = await res.json();
      const found = Array.isArray(answer.items) ? answer.items.slice(0, task.depth) : [];
      if (found.length === 0) return { status_code: 40102 }; // No Search Results.
      const items = found.map(organicItem);
      const domain = task.se_domain ?? 'google.com';
      const query = new URLSearchParams({ q: task.keyword ?? '', num: String(task.depth), hl: task.language_code ?? 'en' });
      if (task.country_iso_code) query.set('gl', task.country_iso_code);
      return {
        status_code: 20000,
        results: {
          advanced: {
            keyword: task.keyword,
            type: 'organic',
            se_domain: domain,
            location_code: task.location_code,
            language_code: task.language_code,
            check_url: `https://www.${domain}/search?${query.toString().replace(/\+/g, '%20')}`,
            datetime: vendorTime(new Date()),
            spell: null,
            refinement_chips: null,
            item_types: ['organic'],
            se_results_count: Number.isInteger(answer.total) ? answer.total : items.length,
            pages_count: 1,
            items_count: items.length,
            items,
          },
        },
      };
    },
  };
}
