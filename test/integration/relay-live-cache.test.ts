/**
 * The relay's cache of every API's live calls (`--relay-cache-ttl`), against a real upstream (a second
 * serpq process behind the recording proxy): an equal Labs call within the TTL is answered from the
 * stored answer at no cost and without an upstream call, whatever the tag, webhooks or priority; a
 * different input, a call after the TTL and a failed answer go upstream again; equal calls at once
 * make one upstream call; on PostgreSQL every node shares the stored answers. In one process, an
 * equal call in flight is waited for (a held upstream call, released by the test). Nothing sleeps:
 * the TTL passes by moving the relay's clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SerpqClient, WireEnvelope } from '../../src/client/index.js';
import { matchEndpoint } from '../../src/domain/api-catalog/index.js';
import { systemClock } from '../../src/domain/clock.js';
import { createEndpointRelay } from '../../src/executors/relay/endpoints.js';
import type { Upstream } from '../../src/executors/relay/upstream.js';
import type { ProcessStore } from '../../src/process/open-store.js';
import { catalogOf } from '../../src/services/catalog.js';
import { DEFAULT_LIMITS } from '../../src/store/store.js';
import { DIALECTS, type TestStore, createTestStore, pgSkipNote } from '../helpers/dialects.js';
import { type UpstreamProxy, admin, client, startRelayPair } from '../helpers/relay.js';
import { type ServerProcess, killAllServers, startServer } from '../helpers/server-process.js';

pgSkipNote();

const UP_TOKEN = 'relay-live-cache-upstream-token';
const RELAY_TOKEN = 'relay-live-cache-relay-token';
const LABS = 'dataforseo_labs/google/ranked_keywords/live';

const first = (env: WireEnvelope) => env.tasks![0]!;
const micro = (usd: number) => Math.round(usd * 1_000_000);

describe('relay cache of live calls, against a real upstream', () => {
  let dir: string;
  let up: ServerProcess;
  let proxy: UpstreamProxy;
  let relay: ServerProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-relay-live-cache-'));
    const pair = await startRelayPair({
      dir,
      upToken: UP_TOKEN,
      relayToken: RELAY_TOKEN,
      proxy: true,
      relayArgs: ['--relay-cache-ttl', '1h'],
    });
    ({ up, relay } = pair);
    proxy = pair.proxy!;
  }, 60_000);
  afterAll(async () => {
    await killAllServers();
    await proxy?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const labsCalls = () => proxy.calls.filter((c) => c.path === `/v3/${LABS}`).length;
  const balanceMicro = async (login: string) => micro(Number((await admin(relay, RELAY_TOKEN, 'GET', `/admin/accounts/${login}`)).balance));
  const demo = () => client(relay);
  const team = () => client(relay, 'team-b', 'team-b-secret');
  const cacheHits = async (c: SerpqClient) =>
    ((await c.userData()).tasks![0]!.result![0] as { relay: { cache_hits: number } }).relay.cache_hits;

  it('answers an equal call within the TTL from the stored answer, free and without the upstream', async () => {
    const task = { target: 'cache.example', location_code: 2840, language_code: 'en', limit: 5 };
    const before = labsCalls();
    const [demoBefore, teamBefore] = [await balanceMicro('demo'), await balanceMicro('team-b')];
    const mine = await demo().liveOf(LABS, [{ ...task, tag: 'mine' }]);
    expect(first(mine).status_code).toBe(20000);
    expect(first(mine).cost).toBeGreaterThan(0);
    expect(labsCalls() - before).toBe(1);
    expect(demoBefore - (await balanceMicro('demo'))).toBe(micro(first(mine).cost));

    // Another account, its own tag and priority, the fields in another order: the same request.
    const hitsBefore = await cacheHits(team());
    const theirs = await team().liveOf(LABS, [
      { limit: 5, language_code: 'en', tag: 'theirs', priority: 2, location_code: 2840, target: 'cache.example' },
    ]);
    expect(first(theirs).status_code).toBe(20000);
    expect(first(theirs).cost).toBe(0);
    expect(theirs.cost).toBe(0);
    expect(first(theirs).result).toEqual(first(mine).result);
    expect(first(theirs).id).not.toBe(first(mine).id);
    expect(first(theirs).data).toMatchObject({ tag: 'theirs' });
    expect(labsCalls() - before).toBe(1);
    expect(await balanceMicro('team-b')).toBe(teamBefore);
    expect(await cacheHits(team())).toBe(hitsBefore + 1);

    // A different input is another request.
    const other = await team().liveOf(LABS, [{ ...task, limit: 6 }]);
    expect(first(other).status_code).toBe(20000);
    expect(first(other).cost).toBeGreaterThan(0);
    expect(labsCalls() - before).toBe(2);
  });

  it('goes upstream again once the answer is older than the TTL', async () => {
    const task = { target: 'ttl.example', location_code: 2840, language_code: 'en', limit: 3 };
    const before = labsCalls();
    expect(first(await demo().liveOf(LABS, [task])).cost).toBeGreaterThan(0);
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/clock', { advance_seconds: 3000 });
    expect(first(await demo().liveOf(LABS, [task])).cost).toBe(0);
    expect(labsCalls() - before).toBe(1);
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/clock', { advance_seconds: 601 });
    const again = await demo().liveOf(LABS, [task]);
    expect(first(again).status_code).toBe(20000);
    expect(first(again).cost).toBeGreaterThan(0);
    expect(labsCalls() - before).toBe(2);
    // And that fresh answer serves the next equal call.
    expect(first(await team().liveOf(LABS, [task])).cost).toBe(0);
    expect(labsCalls() - before).toBe(2);
  });

  it('makes one upstream call for equal calls at once, each answered, one charged', async () => {
    const task = { target: 'together.example', location_code: 2840, language_code: 'en', limit: 4 };
    const before = labsCalls();
    const answers = await Promise.all([demo(), team(), demo(), team()].map((c) => c.liveOf(LABS, [task])));
    for (const a of answers) expect(first(a).status_code).toBe(20000);
    for (const a of answers.slice(1)) expect(first(a).result).toEqual(first(answers[0]!).result);
    expect(labsCalls() - before).toBe(1);
    expect(answers.filter((a) => first(a).cost > 0)).toHaveLength(1);
  });

  it('keeps no failed answer: each equal call after a failure goes upstream', async () => {
    const path = 'backlinks/summary/live';
    const count = () => proxy.calls.filter((c) => c.path === `/v3/${path}`).length;
    // The upstream account loses its Backlinks subscription: the upstream answers 40204.
    await admin(up, UP_TOKEN, 'PATCH', '/admin/accounts/demo', { subscriptions: { backlinks: false } });
    try {
      const before = count();
      for (let i = 0; i < 2; i++) {
        const out = await demo().liveOf(path, [{ target: 'refused.example' }]);
        expect(first(out).status_code).toBe(40204);
        expect(first(out).cost).toBe(0);
      }
      expect(count() - before).toBe(2);
    } finally {
      await admin(up, UP_TOKEN, 'PATCH', '/admin/accounts/demo', { subscriptions: { backlinks: true } });
    }
    // Once the upstream answers it, it is kept.
    const before = count();
    expect(first(await demo().liveOf(path, [{ target: 'refused.example' }])).status_code).toBe(20000);
    expect(first(await team().liveOf(path, [{ target: 'refused.example' }])).cost).toBe(0);
    expect(count() - before).toBe(1);
  });

  it('changes nothing with the TTL at 0 (the default): every call goes upstream', async () => {
    const off = await startServer({
      db: join(dir, 'relay-off.db'),
      adminToken: RELAY_TOKEN,
      extraArgs: ['--executor', 'relay', '--upstream-url', proxy.base, '--upstream-login', 'demo', '--upstream-password', 'demo'],
    });
    try {
      const task = { target: 'off.example', location_code: 2840, language_code: 'en', limit: 2 };
      const before = labsCalls();
      const answers = [await client(off).liveOf(LABS, [task]), await client(off).liveOf(LABS, [task])];
      for (const a of answers) expect(first(a).cost).toBeGreaterThan(0);
      expect(labsCalls() - before).toBe(2);
    } finally {
      await off.kill();
    }
  });

  it.runIf(DIALECTS.includes('postgres'))(
    'shares stored answers between the nodes of a PostgreSQL deployment',
    async () => {
      const db = await createTestStore('postgres', 'relay-live-cache-nodes');
      try {
        const args = [
          ...['--executor', 'relay', '--upstream-url', proxy.base, '--upstream-login', 'demo', '--upstream-password', 'demo'],
          ...['--relay-cache-ttl', '1h'],
        ];
        const a = await startServer({ db: db.url, adminToken: RELAY_TOKEN, extraArgs: args });
        const b = await startServer({ db: db.url, adminToken: RELAY_TOKEN, extraArgs: args });
        const task = { target: 'nodes.example', location_code: 2840, language_code: 'en', limit: 2 };
        const before = labsCalls();
        expect(first(await client(a).liveOf(LABS, [task])).cost).toBeGreaterThan(0);
        const fromB = await client(b).liveOf(LABS, [task]);
        expect(first(fromB).status_code).toBe(20000);
        expect(first(fromB).cost).toBe(0);
        expect(labsCalls() - before).toBe(1);
        await Promise.all([a.kill(), b.kill()]);
      } finally {
        await db.cleanup();
      }
    },
    60_000,
  );
});

/** An upstream whose answers the test releases: every call waits until `release`. */
function heldUpstream() {
  const calls: Array<{ path: string; body: unknown; answer: (env: WireEnvelope) => void }> = [];
  const waiters: Array<() => void> = [];
  const client = {
    request: (_method: string, path: string, body?: unknown) =>
      new Promise<WireEnvelope>((answer) => {
        calls.push({ path, body, answer });
        waiters.splice(0).forEach((w) => w());
      }),
  } as unknown as SerpqClient;
  const upstream = {
    url: 'http://upstream.test',
    call: (_kind: string, fn: (c: SerpqClient) => Promise<WireEnvelope>) => fn(client),
  } as unknown as Upstream;
  /** Resolves once `n` calls have arrived. */
  const arrived = async (n: number) => {
    while (calls.length < n) await new Promise<void>((r) => waiters.push(r));
  };
  return { upstream, calls, arrived };
}

const envelopeOf = (code: number, result: unknown[] | null, cost: number): WireEnvelope => ({
  version: '0.1',
  status_code: 20000,
  status_message: 'Ok.',
  time: '0 sec.',
  cost,
  tasks_count: 1,
  tasks_error: code === 20000 ? 0 : 1,
  tasks: [
    {
      id: 'u',
      status_code: code,
      status_message: code === 20000 ? 'Ok.' : 'Failed.',
      time: '0',
      cost,
      result_count: 0,
      path: [],
      data: {},
      result,
    },
  ],
});

for (const dialect of DIALECTS) {
  describe(`relay cache of live calls in one process (${dialect})`, () => {
    let ts: TestStore;
    let store: ProcessStore;
    let acc: number;

    beforeEach(async () => {
      ts = await createTestStore(dialect, expect.getState().currentTestName ?? 'relay-live-cache');
      store = ts.store;
      await store.migrate();
      acc = (await store.createAccount({ login: 'team', passwordHash: 'h', balanceMicro: 1_000_000, limits: DEFAULT_LIMITS, createdAt: 0 }))
        .id;
    });
    afterEach(async () => ts.cleanup());

    async function labsCall(params: Record<string, unknown>) {
      const api = (await catalogOf('dataforseo_labs'))!;
      const { endpoint } = matchEndpoint(api, 'POST', LABS)!;
      return { api, endpoint, path: LABS, posted: params, params, datetime: '', accountId: acc };
    }

    it('waits for an equal call in flight instead of calling again; the record hook hears the upstream answer once', async () => {
      const held = heldUpstream();
      const recorded: unknown[] = [];
      const relay = createEndpointRelay({
        upstream: held.upstream,
        realClock: systemClock,
        answers: store,
        cacheTtlMs: 3_600_000,
        onCatalogResult: (call, result) => recorded.push({ call, result }),
      });
      const signal = new AbortController().signal;
      const call = await labsCall({ target: 'held.example', limit: 1 });
      const leader = relay.executeEndpoint(call, signal);
      await held.arrived(1);
      const follower = relay.executeEndpoint(
        { ...call, posted: { ...call.params, tag: 'x' }, params: { ...call.params, tag: 'x' } },
        signal,
      );
      held.calls[0]!.answer(envelopeOf(20000, [{ n: 1 }], 0.02));
      const [a, b] = await Promise.all([leader, follower]);
      expect(held.calls).toHaveLength(1);
      expect(a).toMatchObject({ statusCode: 20000, result: [{ n: 1 }], costMicro: 20_000 });
      expect(b).toMatchObject({ statusCode: 20000, result: [{ n: 1 }], costMicro: 0 });
      expect((await store.relayUsage(acc))[0]?.cacheHits).toBe(1);
      expect(recorded).toEqual([
        { call: { api: 'dataforseo_labs', path: LABS, params: { target: 'held.example', limit: 1 } }, result: [{ n: 1 }] },
      ]);
      // Stored: the next equal call reads it, without the upstream.
      expect(await relay.executeEndpoint(call, signal)).toMatchObject({ statusCode: 20000, result: [{ n: 1 }], costMicro: 0 });
      expect(held.calls).toHaveLength(1);
    });

    it('shares a failure with the calls that waited for it, and keeps nothing of it', async () => {
      const held = heldUpstream();
      const relay = createEndpointRelay({ upstream: held.upstream, realClock: systemClock, answers: store, cacheTtlMs: 3_600_000 });
      const signal = new AbortController().signal;
      const call = await labsCall({ target: 'failing.example' });
      const leader = relay.executeEndpoint(call, signal);
      await held.arrived(1);
      const follower = relay.executeEndpoint(call, signal);
      held.calls[0]!.answer(envelopeOf(40501, null, 0));
      expect(await leader).toMatchObject({ statusCode: 40501 });
      expect(await follower).toMatchObject({ statusCode: 40501, costMicro: 0 });
      expect((await store.relayUsage(acc))[0]?.cacheHits ?? 0).toBe(0);
      const next = relay.executeEndpoint(call, signal);
      await held.arrived(2);
      held.calls[1]!.answer(envelopeOf(20000, [], 0.01));
      expect(await next).toMatchObject({ statusCode: 20000, costMicro: 10_000 });
    });
  });
}
