/**
 * The relay for the task types of every API against a real upstream (a second serpq process behind
 * a recording proxy): one type of each task-based API is posted to the relay by two accounts,
 * forwarded upstream tagged with serpq's ids, collected from that type's upstream tasks_ready, and
 * served as the upstream served it (every task_get function); each account sees only its own tasks;
 * an account pays what the upstream charged. Time never passes by sleeping: each side is settled
 * (POST /admin/settle) in the order the work flows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiName, loadApi } from '../../src/domain/api-catalog/index.js';
import { taskPostEndpoint } from '../../src/domain/api-catalog/tasks.js';
import { minimalRequest } from '../helpers/catalog-requests.js';
import { type UpstreamProxy, admin, client, clockAheadEnv, startRelayPair } from '../helpers/relay.js';
import { type ServerProcess, freePort, killAllServers, startServer } from '../helpers/server-process.js';
import { type WebhookSink, startSink } from '../helpers/webhook-sink.js';

const UP_TOKEN = 'relay-every-api-tasks-upstream';
const RELAY_TOKEN = 'relay-every-api-tasks-relay';

const TYPES = [
  'keywords_data/google_ads/search_volume',
  'merchant/google/products',
  'app_data/google/app_searches',
  'business_data/google/reviews',
  'ai_optimization/chat_gpt/llm_responses',
  'on_page/lighthouse',
] as const;

const SPECS = await Promise.all(
  TYPES.map(async (type) => {
    const api = await loadApi(type.split('/')[0] as ApiName);
    return { type, api: api.api, request: minimalRequest(taskPostEndpoint(api, type)!), fns: api.types[type]!.taskGet };
  }),
);

/** Forward (relay), execute (upstream), collect (relay): the order the work flows. */
async function settleBoth(up: ServerProcess, relay: ServerProcess): Promise<void> {
  await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
  await admin(up, UP_TOKEN, 'POST', '/admin/settle');
  await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
}

/** The upstream's task ids carrying a tag (read from its database). */
function upstreamIdsOf(dir: string, tag: string): string[] {
  const db = new Database(join(dir, 'upstream.db'), { readonly: true });
  try {
    return (db.prepare('SELECT id FROM tasks WHERE tag = ?').all(tag) as Array<{ id: string }>).map((r) => r.id);
  } finally {
    db.close();
  }
}

describe('relay of every API’s task types', () => {
  let dir: string;
  let up: ServerProcess;
  let proxy: UpstreamProxy | null;
  let relay: ServerProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-relay-tasks-'));
    ({ up, relay, proxy } = await startRelayPair({ dir, upToken: UP_TOKEN, relayToken: RELAY_TOKEN, proxy: true }));
  }, 60_000);
  afterAll(async () => {
    await killAllServers();
    await proxy?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const balanceMicro = async (srv: ServerProcess, token: string, login = 'demo') =>
    Math.round(Number((await admin(srv, token, 'GET', `/admin/accounts/${login}`)).balance) * 1_000_000);

  it.each(SPECS)('$type: forwarded once, collected, every function equal to the upstream’s, charged its cost', async (spec) => {
    const mine = client(relay);
    const theirs = client(relay, 'team-b', 'team-b-secret');
    const upBefore = await balanceMicro(up, UP_TOKEN);
    const relayBefore = await balanceMicro(relay, RELAY_TOKEN);
    const posted = await mine.taskPostOf(spec.type, [{ ...spec.request, tag: 'mine' }]);
    expect(posted.tasks?.[0]?.status_code, JSON.stringify(posted.tasks?.[0])).toBe(20100);
    const id = posted.tasks![0]!.id;
    const other = await theirs.taskPostOf(spec.type, [{ ...spec.request }]);
    const otherId = other.tasks![0]!.id;
    // Not done until the upstream is.
    expect((await mine.taskGetOf(spec.type, id, spec.fns[0] ?? undefined)).tasks?.[0]?.status_code).toBe(40602);
    await settleBoth(up, relay);

    // Each account's tasks_ready of the type lists its own task only, with its own tag.
    const readyPath = (await loadApi(spec.api as ApiName)).tasksReady.find((s) => s.types.length === 1 && s.types[0] === spec.type)!.path;
    const ready = (await mine.request('GET', readyPath)).tasks![0]!.result as Array<{ id: string; tag: string | null }>;
    expect(ready.map((r) => r.id)).toEqual([id]);
    expect(ready[0]!.tag).toBe('mine');
    const readyB = (await theirs.request('GET', readyPath)).tasks![0]!.result as Array<{ id: string }>;
    expect(readyB.map((r) => r.id)).toEqual([otherId]);

    // The upstream got each task once, tagged with serpq's id.
    const upstreamIds = upstreamIdsOf(dir, id);
    expect(upstreamIds).toHaveLength(1);
    expect(upstreamIdsOf(dir, otherId)).toHaveLength(1);
    const upstreamId = upstreamIds[0]!;
    const posts = proxy!.calls.filter((c) => c.method === 'POST' && c.path === `/v3/${spec.type}/task_post`);
    expect(posts.flatMap((c) => c.tags).sort()).toEqual([id, otherId].sort());

    for (const fn of spec.fns) {
      const got = (await mine.taskGetOf(spec.type, id, fn ?? undefined)).tasks![0]!;
      expect(got.status_code, `${spec.type} ${fn}`).toBe(20000);
      expect(got.id).toBe(id);
      expect(got.data?.tag).toBe('mine');
      expect(Array.isArray(got.result)).toBe(true);
      const want = (await client(up).taskGetOf(spec.type, upstreamId, fn ?? undefined)).tasks![0]!;
      expect(got.result, `${spec.type} ${fn}`).toEqual(want.result);
      // Another account's id answers 40001 without the data.
      expect((await theirs.taskGetOf(spec.type, id, fn ?? undefined)).tasks![0]!.status_code).toBe(40001);
    }
    // Collected: off tasks_ready.
    expect(((await mine.request('GET', readyPath)).tasks![0]!.result as unknown[] | null) ?? []).toEqual([]);

    // What the upstream charged for the two tasks is what the relay's two accounts paid.
    const upCost = upBefore - (await balanceMicro(up, UP_TOKEN));
    const paid = relayBefore - (await balanceMicro(relay, RELAY_TOKEN));
    expect(upCost).toBeGreaterThan(0);
    expect(paid * 2).toBe(upCost);
  });
});

describe('relay of On-Page crawls', () => {
  let dir: string;
  let up: ServerProcess;
  let relay: ServerProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-relay-crawl-'));
    ({ up, relay } = await startRelayPair({ dir, upToken: UP_TOKEN, relayToken: RELAY_TOKEN, upstreamTimeTravel: true }));
  }, 60_000);
  afterAll(async () => {
    await killAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('forwards the crawl; its functions answer from the upstream’s crawl while it runs and once it finished', async () => {
    const mine = client(relay);
    const posted = (await mine.taskPostOf('on_page', [{ target: 'crawl.example', max_crawl_pages: 50 }])).tasks![0]!;
    expect(posted.status_code).toBe(20100);
    const id = posted.id;
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
    const [upstreamId] = upstreamIdsOf(dir, id) as [string];

    const summaryOf = async (srv: ServerProcess, taskId: string) =>
      (await client(srv).request('GET', `on_page/summary/${taskId}`)).tasks![0]!;
    const running = await summaryOf(relay, id);
    expect(running.status_code).toBe(20000);
    expect(running.id).toBe(id);
    expect((running.result![0] as { crawl_progress: string }).crawl_progress).toBe('in_progress');
    // The upstream's crawl as it runs (its clock moves on between two reads: the pages crawled grow).
    const upstreamRunning = (await summaryOf(up, upstreamId)).result![0] as {
      crawl_status: { pages_crawled: number };
      domain_info: unknown;
    };
    const relayed = running.result![0] as { crawl_status: { pages_crawled: number }; domain_info: unknown };
    expect(relayed.domain_info).toEqual(upstreamRunning.domain_info);
    expect(relayed.crawl_status.pages_crawled).toBeLessThanOrEqual(upstreamRunning.crawl_status.pages_crawled);
    // Another account's id: 40001, not the upstream's answer.
    expect((await client(relay, 'team-b', 'team-b-secret').request('GET', `on_page/summary/${id}`)).tasks![0]!.status_code).toBe(40001);

    // The upstream's crawl ends; the relay lists the task on on_page/tasks_ready.
    await admin(up, UP_TOKEN, 'POST', '/admin/clock', { advance_seconds: 3600 });
    await admin(up, UP_TOKEN, 'POST', '/admin/settle');
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
    const ready = (await mine.request('GET', 'on_page/tasks_ready')).tasks![0]!.result as Array<{ id: string }>;
    expect(ready.map((r) => r.id)).toEqual([id]);
    const finished = await summaryOf(relay, id);
    expect((finished.result![0] as { crawl_progress: string }).crawl_progress).toBe('finished');
    expect(finished.result).toEqual((await summaryOf(up, upstreamId)).result);
    const pages = (await mine.request('POST', 'on_page/pages', [{ id, limit: 5 }])).tasks![0]!;
    const theirs = (await client(up).request('POST', 'on_page/pages', [{ id: upstreamId, limit: 5 }])).tasks![0]!;
    expect(pages.status_code).toBe(20000);
    expect(pages.id).toBe(id);
    expect(pages.result).toEqual(theirs.result);
    // Collected by the function's first answer.
    expect(((await mine.request('GET', 'on_page/tasks_ready')).tasks![0]!.result as unknown[] | null) ?? []).toEqual([]);
  });
});

describe('relay cache for the other APIs’ task types', () => {
  let dir: string;
  let up: ServerProcess;
  let proxy: UpstreamProxy | null;
  let relay: ServerProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-relay-task-cache-'));
    ({ up, relay, proxy } = await startRelayPair({
      dir,
      upToken: UP_TOKEN,
      relayToken: RELAY_TOKEN,
      proxy: true,
      relayArgs: ['--relay-cache-ttl', '1h'],
    }));
  }, 60_000);
  afterAll(async () => {
    await killAllServers();
    await proxy?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an equal Google Ads task of another account is served from the first one’s upstream result at cost 0', async () => {
    const type = 'keywords_data/google_ads/search_volume';
    const task = { keywords: ['cached volume', 'cached volume b'], location_code: 2840, language_code: 'en' };
    const a = client(relay);
    const b = client(relay, 'team-b', 'team-b-secret');
    const first = (await a.taskPostOf(type, [{ ...task, tag: 'a' }])).tasks![0]!.id;
    await settleBoth(up, relay);
    const bBefore = Number((await admin(relay, RELAY_TOKEN, 'GET', '/admin/accounts/team-b')).balance);
    // Another tag and priority: the same request.
    const second = (await b.taskPostOf(type, [{ ...task, tag: 'b', priority: 2 }])).tasks![0]!.id;
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
    const posts = proxy!.calls.filter((c) => c.kind === 'task_post');
    expect(posts.flatMap((c) => c.tags)).toEqual([first]);
    const mine = (await a.taskGetOf(type, first)).tasks![0]!;
    const theirs = (await b.taskGetOf(type, second)).tasks![0]!;
    expect(theirs.status_code).toBe(20000);
    expect(theirs.result).toEqual(mine.result);
    expect(theirs.data?.tag).toBe('b');
    expect(Number((await admin(relay, RELAY_TOKEN, 'GET', '/admin/accounts/team-b')).balance)).toBeCloseTo(bBefore, 9);
  });
});

describe('relay of the other APIs’ task types in postback mode', () => {
  let dir: string;
  let up: ServerProcess;
  let relay: ServerProcess;
  let sink: WebhookSink;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-relay-task-postbacks-'));
    sink = await startSink();
    const port = await freePort();
    ({ up, relay } = await startRelayPair({
      dir,
      upToken: UP_TOKEN,
      relayToken: RELAY_TOKEN,
      upstreamArgs: ['--allow-private-webhooks'],
      relayArgs: ['--upstream-postback-base', `http://127.0.0.1:${port}`, '--allow-private-webhooks'],
      relayPort: port,
    }));
  }, 60_000);
  afterAll(async () => {
    await killAllServers();
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a Merchant task completes by the upstream’s postback; the team’s own postback carries the upstream’s result', async () => {
    const type = 'merchant/google/products';
    const demo = client(relay);
    const posted = (
      await demo.taskPostOf(type, [
        {
          keyword: 'postback products',
          location_code: 2840,
          language_code: 'en',
          postback_url: `${sink.base}/ok/team?id=$id`,
          postback_data: 'advanced',
        },
      ])
    ).tasks![0]!;
    expect(posted.status_code).toBe(20100);
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
    // The upstream runs it and posts it back to the relay, which completes it and posts to the team.
    await admin(up, UP_TOKEN, 'POST', '/admin/settle');
    const [upstreamId] = upstreamIdsOf(dir, posted.id) as [string];
    const log = (await admin(up, UP_TOKEN, 'GET', `/admin/tasks/${upstreamId}/deliveries`)) as {
      deliveries: Array<{ kind: string; state: string }>;
      attempts: Array<{ url: string; http_code: number }>;
    };
    expect(log.deliveries, JSON.stringify(log.attempts)).toEqual([expect.objectContaining({ kind: 'postback', state: 'delivered' })]);
    expect(new URL(log.attempts[0]!.url).pathname).toBe('/relay/postback');
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
    await sink.waitUntil((rs) => rs.some((r) => r.url.startsWith('/ok/team')));
    const body = JSON.parse(sink.requests.find((r) => r.url.startsWith('/ok/team'))!.body) as {
      tasks: Array<{ id: string; status_code: number; result: unknown[] }>;
    };
    const theirs = (await client(up).taskGetOf(type, upstreamId, 'advanced')).tasks![0]!;
    expect(body.tasks[0]!.id).toBe(posted.id);
    expect(body.tasks[0]!.status_code).toBe(20000);
    expect(body.tasks[0]!.result).toEqual(theirs.result);
    const got = (await demo.taskGetOf(type, posted.id, 'advanced')).tasks![0]!;
    expect(got.result).toEqual(theirs.result);
  });
});

describe('relay of a type whose API has no id_list (AI Optimization), killed after the upstream took its task_post', () => {
  let dir: string;

  afterAll(async () => {
    await killAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the task on the upstream’s tasks_ready after the restart: completed once, posted once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-relay-no-id-list-'));
    const { up, relay, proxy } = await startRelayPair({ dir, upToken: UP_TOKEN, relayToken: RELAY_TOKEN, proxy: true });
    const px = proxy!;
    const type = 'ai_optimization/chat_gpt/llm_responses';
    const api = await loadApi('ai_optimization');
    // The relay dies holding the upstream's answer to its task_post: the upstream has the task, the relay never heard.
    const cut = px.arm({ match: (c) => c.kind === 'task_post', phase: 'after', action: () => relay.kill() });
    const posted = (await client(relay).taskPostOf(type, [minimalRequest(taskPostEndpoint(api, type)!)])).tasks![0]!;
    expect(posted.status_code).toBe(20100);
    const settled = admin(relay, RELAY_TOKEN, 'POST', '/admin/settle').catch(() => null);
    await cut.fired;
    await settled;
    // The upstream completes it; the relay starts again on its database, its real clock past the 5 s
    // an unconfirmed call is left to settle.
    await admin(up, UP_TOKEN, 'POST', '/admin/settle');
    const again = await startServer({
      db: join(dir, 'relay.db'),
      adminToken: RELAY_TOKEN,
      timeTravel: true,
      port: relay.port,
      env: clockAheadEnv(dir, 6000),
      extraArgs: ['--executor', 'relay', '--upstream-url', px.base, '--upstream-login', 'demo', '--upstream-password', 'demo'],
    });
    for (let i = 0; i < 5; i++) {
      await admin(again, RELAY_TOKEN, 'POST', '/admin/settle');
      if ((await client(again).taskGetOf(type, posted.id)).tasks![0]!.status_code === 20000) break;
      await admin(again, RELAY_TOKEN, 'POST', '/admin/clock', { advance_seconds: 60 });
    }
    const got = (await client(again).taskGetOf(type, posted.id)).tasks![0]!;
    expect(got.status_code).toBe(20000);
    // Posted upstream once, tagged with serpq's id, and the relay's result is the upstream's.
    expect(px.calls.filter((c) => c.kind === 'task_post').flatMap((c) => c.tags)).toEqual([posted.id]);
    const [upstreamId] = upstreamIdsOf(dir, posted.id) as [string];
    expect(got.result).toEqual((await client(up).taskGetOf(type, upstreamId)).tasks![0]!.result);
  });
});
