/**
 * The vendor's official TypeScript client (dataforseo-client, NSwag-generated) against a real serpq
 * HTTP server on a random loopback port: post, tasks_ready, task_get advanced/html, tasks_fixed, a
 * 401 and a 40602, exactly as a DataForSEO user would call them.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SerpApi,
  SerpApiGoogleImagesCarouselElementItem,
  SerpApiGoogleImagesImagesSearchElementItem,
  SerpApiGoogleImagesRelatedSearchesElementItem,
  SerpGoogleImagesTaskGetAdvancedResponseInfo,
  SerpGoogleImagesTaskGetAdvancedResultInfo,
  SerpGoogleImagesTaskGetHtmlResponseInfo,
  SerpGoogleImagesTaskPostRequestInfo,
  SerpGoogleImagesTaskPostResponseInfo,
  SerpGoogleImagesTaskPostTaskInfo,
  SerpGoogleImagesTasksFixedResponseInfo,
  SerpGoogleImagesTasksReadyResponseInfo,
  SerpGoogleImagesTasksReadyResultInfo,
  SerpTasksReadyResponseInfo,
  SerpTasksReadyResultInfo,
  BaseSerpApiGoogleImagesElementItem,
} from 'dataforseo-client';
import { type TestApp, makeTestApp } from '../helpers/app.js';

/** Verbatim from the client's README ("Examples of usage"). */
function createAuthenticatedFetch(username: string, password: string) {
  return (url: RequestInfo, init?: RequestInit): Promise<Response> => {
    const token = btoa(`${username}:${password}`);
    const authHeader = { Authorization: `Basic ${token}` };

    const newInit: RequestInit = {
      ...init,
      headers: {
        ...init?.headers,
        ...authHeader,
      },
    };

    return fetch(url, newInit);
  };
}

/**
 * The shape of the client's ApiException (models/ApiException.js). The class is not exported by the
 * package (neither from the root nor through its `exports` map), so users can only duck-type it.
 */
interface ClientApiException extends Error {
  isApiException: true;
  status: number;
  response: string;
  headers: Record<string, string>;
  result: unknown;
}

/*
 * The package's .d.ts files use extension-less relative imports, which NodeNext resolution cannot
 * follow, so under this project's tsconfig every client symbol types as `any`; callbacks are
 * annotated explicitly to stay `strict`.
 */
type ReadyResult = SerpGoogleImagesTasksReadyResultInfo | SerpTasksReadyResultInfo;
type ImagesItem = BaseSerpApiGoogleImagesElementItem;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let t: TestApp | undefined;

async function start(options: { latency?: string } = {}): Promise<{ t: TestApp; baseUrl: string; api: SerpApi }> {
  t = await makeTestApp(options);
  await t.app.http.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.http.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return { t, baseUrl, api: new SerpApi(baseUrl, { fetch: createAuthenticatedFetch('demo', 'demo') }) };
}

afterEach(async () => {
  await t?.close();
  t = undefined;
});

function imagesRequest(keyword: string, extra: Partial<SerpGoogleImagesTaskPostRequestInfo> = {}): SerpGoogleImagesTaskPostRequestInfo {
  const task = new SerpGoogleImagesTaskPostRequestInfo();
  task.keyword = keyword;
  task.location_code = 2840;
  task.language_code = 'en';
  Object.assign(task, extra);
  return task;
}

describe('official dataforseo-client against serpq', () => {
  it('posts, lists ready, gets advanced and html, then forgets collected tasks', async () => {
    const { t, api } = await start();

    const posted = await api.googleImagesTaskPost([
      imagesRequest('albert einstein', { tag: 'first-tag' }),
      imagesRequest('marie curie', { tag: 'second-tag', priority: 2 }),
    ]);
    expect(posted).toBeInstanceOf(SerpGoogleImagesTaskPostResponseInfo);
    expect(posted!.status_code).toBe(20000);
    expect(posted!.tasks_count).toBe(2);
    expect(posted!.tasks_error).toBe(0);
    expect(posted!.cost).toBeGreaterThan(0);
    const tasks = posted!.tasks!;
    expect(tasks).toHaveLength(2);
    for (const task of tasks as SerpGoogleImagesTaskPostTaskInfo[]) {
      expect(task.status_code).toBe(20100);
      expect(task.status_message).toBe('Task Created.');
      expect(task.id).toMatch(UUID);
      expect(task.path).toEqual(['v3', 'serp', 'google', 'images', 'task_post']);
      expect(task.result).toBeNull();
    }
    // priority 2 costs more than priority 1
    expect(tasks[1]!.cost!).toBeGreaterThan(tasks[0]!.cost!);
    expect(tasks[0]!.data).toMatchObject({
      api: 'serp',
      function: 'task_post',
      se: 'google',
      se_type: 'images',
      keyword: 'albert einstein',
      tag: 'first-tag',
    });
    expect(tasks[1]!.data).toMatchObject({ keyword: 'marie curie', tag: 'second-tag', priority: 2 });
    const [id1, id2] = tasks.map((task: SerpGoogleImagesTaskPostTaskInfo) => task.id!);
    const tags = new Map([
      [id1!, 'first-tag'],
      [id2!, 'second-tag'],
    ]);

    // Nothing is ready before the workers run.
    const before = await api.googleImagesTasksReady();
    expect(before!.tasks![0]!.result ?? []).toEqual([]);

    expect(await t.runWorkers()).toBe(2);

    const ready = await api.googleImagesTasksReady();
    expect(ready).toBeInstanceOf(SerpGoogleImagesTasksReadyResponseInfo);
    expect(ready!.status_code).toBe(20000);
    expect(ready!.cost).toBe(0);
    const readyTask = ready!.tasks![0]!;
    expect(readyTask.status_code).toBe(20000);
    expect(readyTask.result_count).toBe(2);
    expect(readyTask.data).toMatchObject({ api: 'serp', function: 'tasks_ready', se: 'google', se_type: 'images' });
    const readyResults = readyTask.result!;
    expect(readyResults.map((r: ReadyResult) => r.id).sort()).toEqual([id1, id2].sort());
    for (const r of readyResults) {
      expect(r).toBeInstanceOf(SerpGoogleImagesTasksReadyResultInfo);
      expect(r.se).toBe('google');
      expect(r.se_type).toBe('images');
      expect(r.tag).toBe(tags.get(r.id!));
      expect(r.endpoint_regular).toBeNull();
      expect(r.endpoint_advanced).toBe(`/v3/serp/google/images/task_get/advanced/${r.id}`);
      expect(r.endpoint_html).toBe(`/v3/serp/google/images/task_get/html/${r.id}`);
      expect(typeof r.date_posted).toBe('string');
    }

    // The all-engines scope lists the same tasks.
    const allReady = await api.tasksReady();
    expect(allReady).toBeInstanceOf(SerpTasksReadyResponseInfo);
    expect(allReady!.status_code).toBe(20000);
    const allResults = allReady!.tasks![0]!.result!;
    expect(allResults.map((r: ReadyResult) => r.id).sort()).toEqual([id1, id2].sort());
    for (const r of allResults) {
      expect(r.tag).toBe(tags.get(r.id!));
      expect(r.endpoint_regular).toBeNull();
      expect(r.endpoint_advanced).toBe(`/v3/serp/google/images/task_get/advanced/${r.id}`);
      expect(r.endpoint_html).toBe(`/v3/serp/google/images/task_get/html/${r.id}`);
    }

    // task_get/advanced parses into the client's typed models.
    const adv = await api.googleImagesTaskGetAdvanced(id1!);
    expect(adv).toBeInstanceOf(SerpGoogleImagesTaskGetAdvancedResponseInfo);
    expect(adv!.status_code).toBe(20000);
    const advTask = adv!.tasks![0]!;
    expect(advTask.id).toBe(id1);
    expect(advTask.status_code).toBe(20000);
    expect(advTask.result_count).toBe(1);
    expect(advTask.path).toEqual(['v3', 'serp', 'google', 'images', 'task_get', 'advanced', id1]);
    expect(advTask.data).toMatchObject({ keyword: 'albert einstein', tag: 'first-tag', se: 'google', se_type: 'images' });
    const result = advTask.result![0]!;
    expect(result).toBeInstanceOf(SerpGoogleImagesTaskGetAdvancedResultInfo);
    expect(result.keyword).toBe('albert einstein');
    expect(result.type).toBe('images');
    expect(result.location_code).toBe(2840);
    expect(result.language_code).toBe('en');
    expect(result.se_domain).toBe('google.com');
    expect(result.check_url).toMatch(/^https:\/\/www\.google\.com\/search\?/);
    expect(result.item_types).toEqual(['carousel', 'images_search', 'related_searches']);
    const items = result.items!;
    expect(items.length).toBeGreaterThan(0);
    expect(result.items_count).toBe(items.length);

    const carousel = items.filter((i: ImagesItem) => i instanceof SerpApiGoogleImagesCarouselElementItem);
    const images = items.filter((i: ImagesItem) => i instanceof SerpApiGoogleImagesImagesSearchElementItem);
    const related = items.filter((i: ImagesItem) => i instanceof SerpApiGoogleImagesRelatedSearchesElementItem);
    // The client maps the `type` discriminator: every item becomes one of its typed subclasses.
    expect(carousel.length + images.length + related.length).toBe(items.length);
    expect(carousel).toHaveLength(1);
    expect(related).toHaveLength(1);
    expect(images.length).toBeGreaterThan(0);
    for (const item of items) {
      const expectedClass =
        item.type === 'carousel'
          ? SerpApiGoogleImagesCarouselElementItem
          : item.type === 'images_search'
            ? SerpApiGoogleImagesImagesSearchElementItem
            : SerpApiGoogleImagesRelatedSearchesElementItem;
      expect(item).toBeInstanceOf(expectedClass);
    }
    // rank_absolute runs 1..n over all items; rank_group counts within a type.
    expect(items.map((i: ImagesItem) => i.rank_absolute)).toEqual(items.map((_: ImagesItem, n: number) => n + 1));
    expect(images.map((i: ImagesItem) => i.rank_group)).toEqual(images.map((_: ImagesItem, n: number) => n + 1));
    const firstImage = images[0] as SerpApiGoogleImagesImagesSearchElementItem;
    expect(typeof firstImage.title).toBe('string');
    expect(firstImage.source_url).toMatch(/^https?:\/\//);
    expect(firstImage.url).toMatch(/^https?:\/\//);
    const carouselItem = carousel[0] as SerpApiGoogleImagesCarouselElementItem;
    expect(carouselItem.items!.length).toBeGreaterThan(0);
    expect(carouselItem.items![0]!.type).toBe('carousel_element');
    const relatedItem = related[0] as SerpApiGoogleImagesRelatedSearchesElementItem;
    expect(relatedItem.items!.length).toBeGreaterThan(0);

    // task_get/html
    const html = await api.googleImagesTaskGetHtml(id2!);
    expect(html).toBeInstanceOf(SerpGoogleImagesTaskGetHtmlResponseInfo);
    expect(html!.status_code).toBe(20000);
    const htmlTask = html!.tasks![0]!;
    expect(htmlTask.id).toBe(id2);
    expect(htmlTask.status_code).toBe(20000);
    const htmlResult = htmlTask.result![0]!;
    expect(htmlResult.keyword).toBe('marie curie');
    expect(htmlResult.items_count).toBe(htmlResult.items!.length);
    expect(htmlResult.items![0]!.page).toBe(1);
    expect(htmlResult.items![0]!.html).toContain('marie curie');

    // Both tasks were collected: they leave tasks_ready at every scope.
    const after = await api.googleImagesTasksReady();
    expect(after!.status_code).toBe(20000);
    expect(after!.tasks![0]!.result_count).toBe(0);
    expect((after!.tasks![0]!.result ?? []).map((r: ReadyResult) => r.id)).toEqual([]);
    const allAfter = await api.tasksReady();
    expect((allAfter!.tasks![0]!.result ?? []).map((r: ReadyResult) => r.id)).toEqual([]);

    // A collected task can still be fetched again.
    const again = await api.googleImagesTaskGetAdvanced(id1!);
    expect(again!.tasks![0]!.status_code).toBe(20000);

    // tasks_fixed: nothing was re-parsed.
    const fixed = await api.googleImagesTasksFixed();
    expect(fixed).toBeInstanceOf(SerpGoogleImagesTasksFixedResponseInfo);
    expect(fixed!.status_code).toBe(20000);
    expect(fixed!.tasks_count).toBe(1);
    const fixedTask = fixed!.tasks![0]!;
    expect(fixedTask.status_code).toBe(20000);
    expect(fixedTask.result_count).toBe(0);
    expect(fixedTask.result ?? []).toEqual([]);
    expect(fixedTask.data).toMatchObject({ api: 'serp', function: 'tasks_fixed', se: 'google', se_type: 'images' });
  });

  it('surfaces a wrong password as a 401 ApiException carrying the 40100 envelope', async () => {
    const { baseUrl } = await start();
    const bad = new SerpApi(baseUrl, { fetch: createAuthenticatedFetch('demo', 'wrong-password') });

    // The generated client throws an ApiException for every non-200 status (nothing is returned).
    const err = await bad.googleImagesTasksReady().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    const apiErr = err as ClientApiException;
    expect(apiErr.isApiException).toBe(true);
    expect(apiErr.message).toBe('An unexpected server error occurred.');
    expect(apiErr.status).toBe(401);
    expect(apiErr.result).toBeNull();
    const body = JSON.parse(apiErr.response) as { status_code: number; status_message: string; tasks: unknown };
    expect(body.status_code).toBe(40100);
    expect(body.tasks).toBeNull();
    expect(String(apiErr.headers['www-authenticate'] ?? '')).toMatch(/^Basic /);

    // The same through task_post: nothing is created.
    await expect(bad.googleImagesTaskPost([imagesRequest('albert einstein')])).rejects.toMatchObject({ status: 401 });
  });

  it('parses a 40602 "Task In Queue." answer until the task has run', async () => {
    const { t, api } = await start({ latency: '60s' });

    const posted = await api.googleImagesTaskPost([imagesRequest('nikola tesla', { tag: 'queued' })]);
    const id = posted!.tasks![0]!.id!;
    expect(posted!.tasks![0]!.status_code).toBe(20100);

    // Not due yet: the worker has nothing to run.
    expect(await t.runWorkers()).toBe(0);
    const queued = await api.googleImagesTaskGetAdvanced(id);
    expect(queued).toBeInstanceOf(SerpGoogleImagesTaskGetAdvancedResponseInfo);
    expect(queued!.status_code).toBe(20000);
    expect(queued!.tasks_error).toBe(0);
    const queuedTask = queued!.tasks![0]!;
    expect(queuedTask.id).toBe(id);
    expect(queuedTask.status_code).toBe(40602);
    expect(queuedTask.status_message).toBe('Task In Queue.');
    expect(queuedTask.result).toBeNull();
    expect(queuedTask.result_count).toBe(0);
    expect(queuedTask.data).toMatchObject({ keyword: 'nikola tesla', tag: 'queued' });

    const queuedHtml = await api.googleImagesTaskGetHtml(id);
    expect(queuedHtml!.tasks![0]!.status_code).toBe(40602);
    expect((await api.googleImagesTasksReady())!.tasks![0]!.result ?? []).toEqual([]);

    t.advance(61);
    expect(await t.runWorkers()).toBe(1);

    const ready = await api.googleImagesTasksReady();
    expect(ready!.tasks![0]!.result!.map((r: ReadyResult) => [r.id, r.tag])).toEqual([[id, 'queued']]);
    const done = await api.googleImagesTaskGetAdvanced(id);
    expect(done!.tasks![0]!.status_code).toBe(20000);
    expect(done!.tasks![0]!.result![0]!.keyword).toBe('nikola tesla');
  });
});
