// An executor module for serpq: each google/organic task goes to a SERP fetcher of your own over
// HTTP, and its answer becomes the vendor's organic result. Run it with
//
//   FETCHER_URL=http://127.0.0.1:9000/serp npm start -- --executor ./examples/http-fetcher-executor.mjs
//
// The fetcher receives POST {"keyword", "location_code", "language_code", "device", "depth"} and answers
// {"items": [{"title", "url", "description"}], "total": 12300000} (total optional).

/** The vendor's datetime format: 2026-12-01 10:00:00 +00:00. */
const vendorTime = (d) => d.toISOString().replace('T', ' ').slice(0, 19) + ' +00:00';

/** @type {import('serpq/executor').ExecutorFactory} */
export default function httpFetcher(options) {
  const url = options.env.FETCHER_URL ?? 'http://127.0.0.1:9000/serp';
  return {
    async execute(task, signal) {
      if (task.se !== 'google' || task.se_type !== 'organic') {
        options.log(`http-fetcher: ${task.se}/${task.se_type} is not fetched here`);
        return { status_code: 40501 };
      }
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          keyword: task.keyword,
          location_code: task.location_code,
          language_code: task.language_code,
          device: task.device,
          depth: task.depth,
        }),
        signal,
      });
      if (!res.ok) throw new Error(`fetcher answered ${res.status}`);
      const answer = await res.json();
      const found = Array.isArray(answer.items) ? answer.items.slice(0, task.depth) : [];
      if (found.length === 0) return { status_code: 40102 };
      const domain = task.se_domain ?? 'google.com';
      const items = found.map((item, i) => ({
        type: 'organic',
        rank_group: i + 1,
        rank_absolute: i + 1,
        position: 'left',
        xpath: null,
        domain: new URL(item.url).hostname,
        title: String(item.title ?? ''),
        url: item.url,
        description: item.description ?? null,
        breadcrumb: null,
      }));
      return {
        results: {
          advanced: {
            keyword: task.keyword,
            type: 'organic',
            se_domain: domain,
            location_code: task.location_code,
            language_code: task.language_code,
            check_url: `https://www.${domain}/search?q=${encodeURIComponent(task.keyword ?? '')}&hl=${task.language_code ?? 'en'}`,
            datetime: vendorTime(new Date()),
            spell: null,
            refinement_chips: null,
            item_types: ['organic'],
            se_results_count: Number.isInteger(answer.total) ? answer.total : items.length,
            items_count: items.length,
            items,
          },
        },
      };
    },
  };
}
