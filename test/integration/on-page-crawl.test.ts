/**
 * On-Page crawls as the sandbox runs them, on both stores: a crawl task progresses with the clock
 * (time travel), its functions answer from the same crawl while it runs and once finished,
 * force_stop ends it, tasks_ready lists finished crawls until a function collects them, and a
 * pingback says when one finished.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WireEnvelope } from '../../src/contracts/envelope.js';
import { CRAWL_PAGES_PER_SECOND, crawlTotal, sitePages } from '../../src/domain/crawl.js';
import { type TestApp, eachDialect, makeTestApp } from '../helpers/app.js';
import { type WebhookSink, startSink } from '../helpers/webhook-sink.js';

type Row = Record<string, unknown>;
const task = (b: WireEnvelope) => b.tasks![0]!;
const result = (b: WireEnvelope) => (task(b).result ?? [])[0] as Row;

/** A target whose site has more pages than `pages` (the crawl stops at max_crawl_pages). */
function bigSite(pages: number): string {
  for (let i = 0; ; i++) if (sitePages(`site${i}.example`) > pages) return `site${i}.example`;
}

eachDialect('On-Page crawls', (dialect) => {
  let t: TestApp;
  let sink: WebhookSink;
  beforeAll(async () => {
    t = await makeTestApp({ dialect });
    sink = await startSink();
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const post = async (target: string, max: number, extra: Row = {}) => {
    const res = await t.request('POST', '/v3/on_page/task_post', { body: [{ target, max_crawl_pages: max, ...extra }] });
    expect(task(res.body).status_code).toBe(20100);
    return task(res.body).id;
  };
  const summary = async (id: string) => result((await t.request('GET', `/v3/on_page/summary/${id}`)).body);
  const pages = async (id: string, extra: Row = {}) => (await t.request('POST', '/v3/on_page/pages', { body: [{ id, ...extra }] })).body;
  const ready = async () => (task((await t.request('GET', '/v3/on_page/tasks_ready')).body).result ?? []) as Row[];

  it('progresses with the clock, every function answering from the same crawl, until it finishes and is listed', async () => {
    const target = bigSite(200);
    const id = await post(target, 200, { tag: 'crawl-1', pingback_url: `${sink.base}/ok/ping?id=$id` });
    expect(await summary(id)).toMatchObject({ crawl_progress: 'in_progress', crawl_status: { max_crawl_pages: 200, pages_crawled: 0 } });

    t.advance(5);
    await t.runWorkers();
    const running = await summary(id);
    const crawled = 5 * CRAWL_PAGES_PER_SECOND;
    expect(running).toMatchObject({
      crawl_progress: 'in_progress',
      crawl_stop_reason: null,
      crawl_status: { max_crawl_pages: 200, pages_crawled: crawled, pages_in_queue: 200 - crawled },
    });
    expect((running.domain_info as Row).crawl_end).toBeNull();
    const partial = result(await pages(id, { limit: 1000 }));
    expect(partial).toMatchObject({ crawl_progress: 'in_progress', total_items_count: crawled, items_count: crawled });
    const urls = (partial.items as Row[]).map((p) => new URL(String(p.url)).hostname.replace(/^www\./, ''));
    expect(new Set(urls)).toEqual(new Set([target]));
    expect(await ready()).toEqual([]);

    t.advance(20);
    await t.runWorkers();
    expect(await ready()).toEqual([expect.objectContaining({ id, target, tag: 'crawl-1' })]);
    expect(await t.runDeliveries()).toBe(1);
    expect(sink.requests.at(-1)).toMatchObject({ method: 'GET', url: `/ok/ping?id=${id}` });

    const finished = await summary(id);
    expect(finished).toMatchObject({
      crawl_progress: 'finished',
      crawl_stop_reason: 'limit_exceeded',
      crawl_status: { max_crawl_pages: 200, pages_crawled: 200, pages_in_queue: 0 },
    });
    expect(typeof (finished.domain_info as Row).crawl_end).toBe('string');
    // Collected by the first function answer after it finished.
    expect(await ready()).toEqual([]);
    const all = result(await pages(id, { limit: 1000 }));
    expect([all.total_items_count, all.items_count]).toEqual([200, 200]);
    // The pages crawled earlier are the same pages now.
    expect((all.items as Row[]).slice(0, crawled).map((p) => p.url)).toEqual((partial.items as Row[]).map((p) => p.url));
    const page2 = result(await pages(id, { limit: 10, offset: 10 }));
    expect((page2.items as Row[]).map((p) => p.url)).toEqual((all.items as Row[]).slice(10, 20).map((p) => p.url));
    // The same call twice: the same answer.
    expect(JSON.stringify(result(await pages(id, { limit: 5 })))).toBe(JSON.stringify(result(await pages(id, { limit: 5 }))));
  });

  it('ends a small site at its last page (empty_queue), and a force_stop ends a crawl where it is', async () => {
    let small = 'a.example';
    for (let i = 0; sitePages(small) >= 400; i++) small = `small${i}.example`;
    const id = await post(small, 400);
    t.advance(Math.ceil(crawlTotal(small, 400) / CRAWL_PAGES_PER_SECOND) + 1);
    await t.runWorkers();
    expect(await summary(id)).toMatchObject({
      crawl_progress: 'finished',
      crawl_stop_reason: 'empty_queue',
      crawl_status: { pages_crawled: sitePages(small) },
    });

    const big = bigSite(1000);
    const stopped = await post(big, 1000);
    t.advance(3);
    const stop = await t.request('POST', '/v3/on_page/force_stop', { body: [{ id: stopped }] });
    expect([task(stop.body).status_code, task(stop.body).id, task(stop.body).result]).toEqual([20000, stopped, null]);
    await t.runWorkers();
    expect(await summary(stopped)).toMatchObject({
      crawl_progress: 'finished',
      crawl_stop_reason: 'force_stopped',
      crawl_status: { max_crawl_pages: 1000, pages_crawled: 3 * CRAWL_PAGES_PER_SECOND, pages_in_queue: 0 },
    });
    expect(result(await pages(stopped, { limit: 1000 })).total_items_count).toBe(3 * CRAWL_PAGES_PER_SECOND);
    // Stopping a finished crawl changes nothing.
    t.advance(60);
    expect(task((await t.request('POST', '/v3/on_page/force_stop', { body: [{ id: stopped }] })).body).status_code).toBe(20000);
    expect((await summary(stopped)).crawl_status).toMatchObject({ pages_crawled: 3 * CRAWL_PAGES_PER_SECOND });
  });

  it('answers every function of a crawl, and refuses other ids the way task_get does', async () => {
    const id = await post('example.com', 20);
    t.advance(3);
    await t.runWorkers();
    const calls: Array<[string, Row]> = [
      ['resources', {}],
      ['links', {}],
      ['duplicate_tags', { type: 'duplicate_title' }],
      ['duplicate_content', { url: 'https://example.com/' }],
      ['non_indexable', {}],
      ['redirect_chains', {}],
      ['keyword_density', { keyword_length: 1 }],
      ['microdata', { url: 'https://example.com/' }],
      ['raw_html', { url: 'https://example.com/' }],
      ['waterfall', { url: 'https://example.com/' }],
      ['content_parsing', { url: 'https://example.com/' }],
      ['pages_by_resource', { url: 'https://example.com/' }],
      ['uncrawlable_resources', {}],
    ];
    for (const [fn, extra] of calls) {
      const res = await t.request('POST', `/v3/on_page/${fn}`, { body: [{ id, ...extra }] });
      expect([fn, res.status, task(res.body).status_code]).toEqual([fn, 200, 20000]);
      expect(task(res.body).result).toHaveLength(1);
    }
    const other = await t.addAccount('crawl-other', { balance: 10 });
    const asOther = await t.request('GET', `/v3/on_page/summary/${id}`, { auth: other });
    expect([task(asOther.body).status_code, task(asOther.body).result]).toEqual([40001, null]);
    const lighthouse = await t.request('POST', '/v3/on_page/lighthouse/task_post', { body: [{ url: 'https://example.com/' }] });
    const serp = await t.request('POST', '/v3/serp/google/organic/task_post', {
      body: [{ keyword: 'shoes', location_code: 2840, language_code: 'en' }],
    });
    expect(task((await t.request('GET', `/v3/on_page/summary/${task(lighthouse.body).id}`)).body).status_code).toBe(40003);
    expect(task((await t.request('GET', `/v3/on_page/summary/${task(serp.body).id}`)).body).status_code).toBe(40002);
    expect(task((await t.request('GET', '/v3/on_page/summary/00000000-0000-0000-0000-000000000000')).body).status_code).toBe(40401);
    const missing = await t.request('POST', '/v3/on_page/pages', { body: [{ limit: 5 }] });
    expect([task(missing.body).status_code, task(missing.body).status_message]).toEqual([40501, "Invalid Field: 'id'."]);
    expect((await t.request('POST', '/v3/on_page/pages', { rawBody: '{not json' })).body.status_code).toBe(40503);
    const refused = await t.request('POST', '/v3/on_page/task_post', { body: [{ target: 'example.com' }] });
    expect([task(refused.body).status_code, task(refused.body).cost]).toEqual([40501, 0]);
  });
});
