/**
 * The relay for the other APIs' live endpoints and reference lists, against a real upstream (a
 * second serpq process): a live call of Labs, Backlinks, Content Analysis and On-Page answers what the
 * upstream answers, charged what the upstream charged; reference lists are fetched once and shared
 * by the accounts; Google Ads live calls keep to the upstream account's 12 a minute whatever the
 * relay's accounts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireEnvelope } from '../../src/contracts/envelope.js';
import { type UpstreamProxy, admin, client, startUpstreamProxy } from '../helpers/relay.js';
import { type ServerProcess, killAllServers, startServer } from '../helpers/server-process.js';

const UP_TOKEN = 'relay-every-api-upstream-token';
const RELAY_TOKEN = 'relay-every-api-relay-token';

/**
 * The sandbox is deterministic but for the time it answered: the times it derives from it (a result's
 * datetime, a metric's time_update) may differ by the second between two calls.
 */
const strip = (r: unknown) => JSON.parse(JSON.stringify(r).replace(/"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+00:00"/g, '""'));

describe('relay of every API’s live endpoints and reference lists', () => {
  let dir: string;
  let up: ServerProcess;
  let proxy: UpstreamProxy;
  let relay: ServerProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-relay-apis-'));
    up = await startServer({ db: join(dir, 'upstream.db'), adminToken: UP_TOKEN, timeTravel: true });
    await admin(up, UP_TOKEN, 'PATCH', '/admin/accounts/demo', {
      balance: 10_000,
      limits: { tasks_ready_per_minute: 100_000, requests_per_minute: 1_000_000, concurrent_requests: 1000 },
    });
    proxy = await startUpstreamProxy(up.base);
    relay = await startServer({
      db: join(dir, 'relay.db'),
      adminToken: RELAY_TOKEN,
      timeTravel: true,
      extraArgs: ['--executor', 'relay', '--upstream-url', proxy.base, '--upstream-login', 'demo', '--upstream-password', 'demo'],
    });
    await admin(relay, RELAY_TOKEN, 'PATCH', '/admin/accounts/demo', { balance: 100 });
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/accounts', { login: 'team-b', password: 'team-b-secret', balance: 100 });
  }, 60_000);
  afterAll(async () => {
    await killAllServers();
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const balanceMicro = async (srv: ServerProcess, token: string, login = 'demo') =>
    Math.round(Number((await admin(srv, token, 'GET', `/admin/accounts/${login}`)).balance) * 1_000_000);
  const live = (srv: ServerProcess, path: string, task: Record<string, unknown>, login = 'demo', password = 'demo') =>
    client(srv, login, password).liveOf(path, [task]);
  const first = (env: WireEnvelope) => env.tasks![0]!;

  it.each([
    ['dataforseo_labs/google/ranked_keywords/live', { target: 'relay.example', location_code: 2840, language_code: 'en', limit: 5 }],
    ['backlinks/summary/live', { target: 'relay.example' }],
    ['content_analysis/search/live', { keyword: 'relay keyword', limit: 3 }],
    ['on_page/instant_pages', { url: 'https://relay.example/' }],
  ] as const)('passes %s to the upstream: its result, charged its cost', async (path, task) => {
    const calls = proxy.calls.length;
    const [relayBefore, upBefore] = [await balanceMicro(relay, RELAY_TOKEN), await balanceMicro(up, UP_TOKEN)];
    const mine = await live(relay, path, task);
    const [relayAfter, upAfter] = [await balanceMicro(relay, RELAY_TOKEN), await balanceMicro(up, UP_TOKEN)];
    expect(first(mine).status_code).toBe(20000);
    expect(proxy.calls.slice(calls).map((c) => [c.method, c.path])).toEqual([['POST', `/v3/${path}`]]);
    const theirs = await live(up, path, task);
    expect(strip(first(mine).result)).toEqual(strip(first(theirs).result));
    expect(first(mine).id).not.toBe(first(theirs).id);
    const upstreamCost = upBefore - upAfter;
    expect(upstreamCost).toBeGreaterThan(0);
    expect(relayBefore - relayAfter).toBe(upstreamCost);
    expect(Math.round(first(mine).cost * 1_000_000)).toBe(upstreamCost);
  });

  it('fetches a reference list once and shares it between accounts', async () => {
    const path = 'keywords_data/google_ads/locations/us';
    const before = proxy.calls.filter((c) => c.path === `/v3/${path}`).length;
    const a = await client(relay).request('GET', path);
    const b = await client(relay, 'team-b', 'team-b-secret').request('GET', path);
    expect(first(a).status_code).toBe(20000);
    expect(first(a).result).toEqual(first(b).result);
    expect(first(a).result).toEqual(first(await client(up).request('GET', path)).result);
    expect(proxy.calls.filter((c) => c.path === `/v3/${path}`).length - before).toBe(1);
  });

  it('keeps Google Ads live calls within the upstream account’s 12 a minute over every relay account', async () => {
    const ads = (login: string, password: string, i: number) =>
      client(relay, login, password).liveOf('keywords_data/google_ads/search_volume/live', [{ keywords: [`relay ads ${i}`] }]);
    const before = proxy.calls.filter((c) => c.path.includes('/google_ads/')).length;
    // 6 calls from each of two accounts: 12 in all reach the upstream within the minute.
    for (let i = 0; i < 6; i++) {
      expect(first(await ads('demo', 'demo', i)).status_code).toBe(20000);
      expect(first(await ads('team-b', 'team-b-secret', i)).status_code).toBe(20000);
    }
    expect(proxy.calls.filter((c) => c.path.includes('/google_ads/')).length - before).toBe(12);
    // The 13th waits for the upstream account's next minute (the upstream itself would refuse it
    // with 40202 before): it reaches the upstream only once both clocks have moved on.
    proxy.step = 0;
    const thirteenth = ads('demo', 'demo', 13);
    proxy.step = 1;
    await admin(up, UP_TOKEN, 'POST', '/admin/clock', { advance_seconds: 61 });
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/clock', { advance_seconds: 61 });
    expect(first(await thirteenth).status_code).toBe(20000);
    const adsCalls = proxy.calls.filter((c) => c.path.includes('/google_ads/'));
    expect(adsCalls.length - before).toBe(13);
    expect(adsCalls.at(-1)!.step).toBe(1);
  });
});
