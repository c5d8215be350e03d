import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type UpstreamProxy, admin, client, idListRows, startUpstreamProxy, upstreamTags } from '../helpers/relay.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text.js';
import { type ServerProcess, killAllServers, startServer } from '../helpers/server-process.js';

/**
 * The relay against a real upstream: a second serpq process (sandbox executor) stands for the
 * vendor. Tasks are posted to the relay by several accounts, forwarded upstream in shared calls,
 * collected from the upstream's tasks_ready and served as the upstream served them. Time never
 * passes by sleeping: each side is settled (POST /admin/settle) in the order the work flows.
 */
const UP_TOKEN = 'relay-upstream-admin-token';
const RELAY_TOKEN = 'relay-gateway-admin-token';

describe('relay to an upstream DataForSEO-compatible API (a second serpq process)', () => {
  let dir: string;
  let up: ServerProcess;
  let proxy: UpstreamProxy | null = null;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-relay-'));
    up = await startServer({ db: join(dir, 'upstream.db'), adminToken: UP_TOKEN });
    await admin(up, UP_TOKEN, 'PATCH', '/admin/accounts/demo', {
      balance: 10_000,
      limits: { tasks_ready_per_minute: 100_000, requests_per_minute: 1_000_000, concurrent_requests: 1000 },
    });
  });
  afterEach(async () => {
    await killAllServers();
    await proxy?.close();
    proxy = null;
    rmSync(dir, { recursive: true, force: true });
  });

  async function startRelay(extra: string[] = [], db = join(dir, 'relay.db'), upstreamUrl = up.base): Promise<ServerProcess> {
    return startServer({
      db,
      adminToken: RELAY_TOKEN,
      timeTravel: true,
      extraArgs: [
        '--executor',
        'relay',
        '--upstream-url',
        upstreamUrl,
        '--upstream-login',
        'demo',
        '--upstream-password',
        'demo',
        ...extra,
      ],
    });
  }

  /** Forward (relay), execute (upstream), collect (relay): the order the work flows. */
  async function settleBoth(relay: ServerProcess): Promise<void> {
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
    await admin(up, UP_TOKEN, 'POST', '/admin/settle');
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
  }

  it('serves the upstream’s results for organic, images, maps and an html function, with the accounts’ own ids and tags', async () => {
    const relay = await startRelay();
    const c = client(relay);
    const posts = [
      ['google', 'organic', { keyword: 'relay organic', location_code: 2840, language_code: 'en', tag: 'mine' }],
      ['google', 'images', { keyword: 'relay images', location_code: 2840, language_code: 'en' }],
      ['google', 'maps', { keyword: 'relay maps', location_code: 2840, language_code: 'en' }],
    ] as const;
    const ids: string[] = [];
    for (const [se, type, task] of posts) {
      const env = await c.taskPost(se, type, [{ ...task }]);
      expect(env.tasks?.[0]?.status_code).toBe(20100);
      ids.push(env.tasks![0]!.id);
    }
    // Not done until the upstream is.
    expect((await c.taskGet('google', 'organic', 'advanced', ids[0]!)).tasks?.[0]?.status_code).toBe(40602);
    await settleBoth(relay);

    const ready = await c.readyRows();
    expect(ready.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(ready.find((r) => r.id === ids[0])?.tag).toBe('mine');
    const tags = await upstreamTags(up, UP_TOKEN);
    for (const [i, [se, type]] of posts.entries()) {
      const upstreamId = tags.get(ids[i]!)?.[0];
      expect(upstreamId, `the upstream got ${se}/${type} tagged with serpq's id`).toBeDefined();
      const fns =
        type === 'maps'
          ? (['advanced'] as const)
          : type === 'images'
            ? (['advanced', 'html'] as const)
            : (['regular', 'advanced', 'html'] as const);
      for (const fn of fns) {
        const mine = (await c.taskGet(se, type, fn, ids[i]!)).tasks![0]!;
        const theirs = (await client(up).taskGet(se, type, fn, upstreamId!)).tasks![0]!;
        expect(mine.id).toBe(ids[i]);
        expect(mine.status_code).toBe(20000);
        expect(mine.result, `${se}/${type} ${fn}`).toEqual(theirs.result);
        expect(mine.data?.tag ?? null).toBe(i === 0 ? 'mine' : null);
      }
    }
    const status = await admin(relay, RELAY_TOKEN, 'GET', '/admin/upstream');
    expect(status).toMatchObject({
      url: up.base,
      reachable: true,
      in_flight: 0,
      calls_in_flight: 0,
      limits: { requests_per_minute: 2000, concurrent_requests: 30, tasks_ready_per_minute: 20 },
      last_error: null,
    });
  });

  it('combines 1,000 tasks of three accounts into upstream calls of up to 100; the upstream gets each exactly once', async () => {
    // A recording proxy between the relay and the upstream sees every task_post the relay makes.
    proxy = await startUpstreamProxy(up.base);
    const relay = await startRelay([], join(dir, 'relay.db'), proxy.base);
    for (const login of ['team-a', 'team-b']) {
      await admin(relay, RELAY_TOKEN, 'POST', '/admin/accounts', { login, password: `${login}-pw`, balance: 100 });
    }
    const accounts = [client(relay), client(relay, 'team-a', 'team-a-pw'), client(relay, 'team-b', 'team-b-pw')];
    const counts = [334, 333, 333];
    const TOTAL = 1000;
    /** serpq task id -> the account (index) that posted it. */
    const mine = new Map<string, number>();
    // Each account posts as a client would, in calls of up to 100, the three accounts at once.
    await Promise.all(
      accounts.map(async (c, a) => {
        for (let from = 0; from < counts[a]!; from += 100) {
          const tasks = Array.from({ length: Math.min(100, counts[a]! - from) }, (_, i) => ({
            keyword: `shared ${a} ${from + i}`,
            location_code: 2840,
            language_code: 'en',
          }));
          const env = await c.taskPost('google', 'images', tasks);
          expect(env.tasks).toHaveLength(tasks.length);
          for (const t of env.tasks ?? []) {
            expect(t.status_code).toBe(20100);
            mine.set(t.id, a);
          }
        }
      }),
    );
    expect(mine.size).toBe(TOTAL);
    await settleBoth(relay);

    const posts = proxy.calls.filter((call) => call.kind === 'task_post');
    // Up to 100 tasks per upstream call, and calls about as few as 1,000 tasks allow. The relay posts
    // per claimed batch (up to 200 tasks a claim, cut into calls of 100), so each claim may end in one
    // short call: 10 calls when every claim is full (what runs show), a few more when claims catch the
    // posts halfway. 20 leaves room for that and fails when calls shrink (e.g. 50 or fewer a call);
    // calls per account or per client call are caught by the mixing check below.
    expect(posts.every((call) => call.tags.length >= 1 && call.tags.length <= 100)).toBe(true);
    expect(posts.length).toBeGreaterThanOrEqual(Math.ceil(TOTAL / 100));
    expect(posts.length).toBeLessThanOrEqual(20);
    expect(posts.every((call) => call.answered && call.statusCode === 20000)).toBe(true);
    // Calls combine tasks of several accounts.
    const accountsIn = posts.map((call) => new Set(call.tags.map((tag) => mine.get(tag))));
    expect(accountsIn.some((set) => set.size > 1)).toBe(true);
    // Each task went upstream in exactly one call, and the upstream holds each tag exactly once.
    const postedTags = posts.flatMap((call) => call.tags);
    expect(postedTags).toHaveLength(TOTAL);
    expect(new Set(postedTags)).toEqual(new Set(mine.keys()));
    const tags = await upstreamTags(up, UP_TOKEN);
    expect([...tags.keys()].sort()).toEqual([...mine.keys()].sort());
    expect([...tags.values()].every((v) => v.length === 1)).toBe(true);
    // Every task completed once; each account lists and collects its own tasks only.
    for (const [a, c] of accounts.entries()) {
      const rows = await c.readyRows();
      expect(rows).toHaveLength(counts[a]!);
      expect(new Set(rows.map((r) => r.id)).size).toBe(counts[a]);
      expect(rows.every((r) => mine.get(r.id) === a)).toBe(true);
    }
    console.info(
      `relay 1000 tasks: ${posts.length} upstream task_post calls (${posts.map((call) => call.tags.length).join(' ')}), ` +
        `${accountsIn.filter((set) => set.size > 1).length} mixing accounts`,
    );
  });

  it('passes an upstream task failure through: the task completes with the upstream’s code, listed and in serp/errors', async () => {
    const relay = await startRelay();
    await admin(up, UP_TOKEN, 'POST', '/admin/faults', { status_code: 40102, count: 1 });
    const c = client(relay);
    const env = await c.taskPost('google', 'organic', [{ keyword: 'nothing found', location_code: 2840, language_code: 'en' }]);
    const id = env.tasks![0]!.id;
    await settleBoth(relay);
    expect((await c.readyRows()).map((r) => r.id)).toEqual([id]);
    const got = (await c.taskGet('google', 'organic', 'advanced', id)).tasks![0]!;
    expect(got.status_code).toBe(40102);
    expect(got.result).toBeNull();
    const errors = (await c.errors({})).tasks?.[0]?.result as Array<{ id: string; error_code: number }>;
    expect(errors.find((e) => e.id === id)?.error_code).toBe(40102);
  });

  it("counts relayed completions by engine, type and code, and the relay's upstream calls, on /metrics", async () => {
    const relay = await startRelay();
    await admin(up, UP_TOKEN, 'POST', '/admin/faults', { status_code: 40102, count: 1 });
    const c = client(relay);
    await c.taskPost('google', 'organic', [{ keyword: 'metrics fails', location_code: 2840, language_code: 'en' }]);
    await settleBoth(relay);
    await c.taskPost('google', 'organic', [{ keyword: 'metrics ok', location_code: 2840, language_code: 'en' }]);
    await settleBoth(relay);
    const scrape = async () => {
      const res = await fetch(`${relay.base}/metrics`, { headers: { authorization: `Bearer ${RELAY_TOKEN}` } });
      expect(res.status).toBe(200);
      return parsePrometheusText(await res.text());
    };
    // The counts arrive with the completions: the scrape after settling sees them.
    const m = await scrape();
    expect(sampleValue(m, 'serpq_tasks_completed_total', { se: 'google', se_type: 'organic' })).toBe(1);
    expect(sampleValue(m, 'serpq_tasks_failed_total', { se: 'google', se_type: 'organic', status_code: '40102' })).toBe(1);
    expect(sampleValue(m, 'serpq_upstream_calls_total', { kind: 'request', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(sampleValue(m, 'serpq_upstream_call_duration_seconds_count', { kind: 'request', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
  });

  it('keeps tasks while the upstream is down and forwards them once it is back; nothing is lost', async () => {
    const relay = await startRelay();
    const c = client(relay);
    const upDb = join(dir, 'upstream.db');
    const upPort = up.port;
    await up.kill();
    const env = await c.taskPost('google', 'images', [{ keyword: 'while down', location_code: 2840, language_code: 'en' }]);
    const id = env.tasks![0]!.id;
    expect(env.tasks![0]!.status_code).toBe(20100);
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
    expect((await c.taskGet('google', 'images', 'advanced', id)).tasks?.[0]?.status_code).toBe(40602);
    expect((await admin(relay, RELAY_TOKEN, 'GET', '/admin/upstream')).reachable).toBe(false);

    // Back where the relay points; the refused call was never sent, so the retry posts it afresh.
    up = await startServer({ db: upDb, adminToken: UP_TOKEN, port: upPort });
    // The retry is due after its backoff on the relay's clock.
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/clock', { advance_seconds: 600 });
    await settleBoth(relay);
    expect((await c.taskGet('google', 'images', 'advanced', id)).tasks?.[0]?.status_code).toBe(20000);
    expect((await upstreamTags(up, UP_TOKEN)).get(id)).toHaveLength(1);
  });

  /** An account's balance on a server, in micro-USD. */
  async function balanceMicro(srv: ServerProcess, token: string, login = 'demo'): Promise<number> {
    return Math.round(Number((await admin(srv, token, 'GET', `/admin/accounts/${login}`)).balance) * 1_000_000);
  }

  it('relays a live call synchronously: the upstream’s live result, in the relay’s own envelope, charged what the upstream charged', async () => {
    const relay = await startRelay();
    const task = { keyword: 'live through the relay', location_code: 2840, language_code: 'en' };
    const [relayBefore, upBefore] = [await balanceMicro(relay, RELAY_TOKEN), await balanceMicro(up, UP_TOKEN)];
    const mine = await client(relay).live('google', 'organic', 'advanced', task);
    const [relayAfter, upAfter] = [await balanceMicro(relay, RELAY_TOKEN), await balanceMicro(up, UP_TOKEN)];
    const theirs = await client(up).live('google', 'organic', 'advanced', task);
    expect(mine.tasks?.[0]?.status_code).toBe(20000);
    // The sandbox upstream is deterministic but for the time it answered (the result's datetime, and
    // the timestamps it derives from it: the two calls may fall either side of a second).
    const strip = (r: unknown) => JSON.parse(JSON.stringify(r).replace(/"(datetime|timestamp)":"[^"]*"/g, '"$1":""'));
    expect(strip(mine.tasks?.[0]?.result)).toEqual(strip(theirs.tasks?.[0]?.result));
    expect(mine.tasks?.[0]?.id).not.toBe(theirs.tasks?.[0]?.id);
    // Money: the account paid what the upstream account paid for the call (by the upstream's price table).
    const upstreamCost = upBefore - upAfter;
    expect(upstreamCost).toBeGreaterThan(0);
    expect(relayBefore - relayAfter).toBe(upstreamCost);
    expect(Math.round(mine.tasks![0]!.cost * 1_000_000)).toBe(upstreamCost);
    // One upstream live call per relayed one, nothing queued.
    expect((await admin(relay, RELAY_TOKEN, 'GET', '/admin/upstream')).in_flight).toBe(0);
  });

  it('charges a relayed live call the upstream’s cost where it differs from serpq’s price', async () => {
    // The upstream serpq prices live calls as the relay does; a hop in front of it reports three
    // times that cost for live calls (a vendor whose price differs from serpq's table).
    const hop = createServer((req, res) => {
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const headers: Record<string, string> = {};
        for (const h of ['authorization', 'content-type', 'content-encoding']) {
          const v = req.headers[h];
          if (typeof v === 'string') headers[h] = v;
        }
        const answer = await fetch(up.base + (req.url ?? '/'), {
          method: req.method,
          headers,
          body: req.method === 'GET' ? undefined : new Uint8Array(Buffer.concat(chunks)),
        });
        let text = await answer.text();
        if (req.url?.includes('/live/')) {
          const env = JSON.parse(text) as { cost: number; tasks: Array<{ cost: number }> };
          const triple = (usd: number) => Number((usd * 3).toFixed(6));
          env.cost = triple(env.cost);
          for (const t of env.tasks) t.cost = triple(t.cost);
          text = JSON.stringify(env);
        }
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(text);
      })().catch(() => res.destroy());
    });
    hop.listen(0, '127.0.0.1');
    await once(hop, 'listening');
    try {
      const relay = await startRelay([], join(dir, 'relay.db'), `http://127.0.0.1:${(hop.address() as AddressInfo).port}`);
      const task = { keyword: 'live at the upstream’s price', location_code: 2840, language_code: 'en' };
      const [relayBefore, upBefore] = [await balanceMicro(relay, RELAY_TOKEN), await balanceMicro(up, UP_TOKEN)];
      const mine = await client(relay).live('google', 'organic', 'advanced', task);
      expect(mine.tasks?.[0]?.status_code).toBe(20000);
      const price = upBefore - (await balanceMicro(up, UP_TOKEN));
      expect(price, 'serpq’s live price, as the upstream serpq charged it').toBeGreaterThan(0);
      // The account paid the reported cost, not serpq's price; the envelope says so too.
      expect(relayBefore - (await balanceMicro(relay, RELAY_TOKEN))).toBe(3 * price);
      expect(Math.round(mine.tasks![0]!.cost * 1_000_000)).toBe(3 * price);
      expect(Math.round(mine.cost * 1_000_000)).toBe(3 * price);
      // id_list shows the live task at the same cost.
      const rows = await idListRows(relay, RELAY_TOKEN, client(relay));
      expect(rows.find((r) => r.id === mine.tasks![0]!.id)?.cost).toBe(mine.tasks![0]!.cost);
    } finally {
      hop.closeAllConnections();
      hop.close();
    }
  });

  it('refuses to start when the upstream refuses the credentials, and names the setting when one is missing', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--db', ':memory:', '--port', '0', ...args], {
        cwd: join(import.meta.dirname, '../..'),
        encoding: 'utf8',
        env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SERPQ_'))),
        timeout: 60_000,
      });
    const refused = run(['--executor', 'relay', '--upstream-url', up.base, '--upstream-login', 'demo', '--upstream-password', 'wrong']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/refused the credentials/);
    const missing = run(['--executor', 'relay', '--upstream-url', up.base]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/SERPQ_UPSTREAM_LOGIN/);
    expect(missing.stderr).toMatch(/SERPQ_UPSTREAM_PASSWORD/);
  });
});
