import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import type { SerpqClient } from '../../src/client/index.js';
import { DIALECTS, type TestStore, createTestStore, pgSkipNote } from '../helpers/dialects.js';
import {
  type ProxiedCall,
  type UpstreamProxy,
  admin,
  client,
  clockAheadEnv,
  idListRows,
  seededRandom,
  startUpstreamProxy,
  upstreamTags,
} from '../helpers/relay.js';
import { type ServerProcess, killAllServers, startServer } from '../helpers/server-process.js';

/**
 * The relay killed with SIGKILL while it forwards and while it collects, then started again on the
 * same database and port, a few times over, with SERP, Keywords Data and Merchant tasks in flight; the upstream is a second serpq process (sandbox)
 * behind a recording proxy, which also picks the moments: the k-th upstream call of a kind, held
 * before it reaches the upstream or after the upstream answered it (the relay never hears the
 * answer), while the relay is killed. Every task acknowledged with 20100 must then complete exactly
 * once with the upstream's result, and the upstream must have received each serpq task id (its
 * `tag`) exactly once.
 *
 * The moments come from a seeded generator: the seed is printed on failure, and SERPQ_TEST_SEED=<n>
 * repeats a run. Time never passes by sleeping. The relay's windows on the real clock (5 s before it
 * looks up an unconfirmed call upstream, 60 s before it reads a forwarded task by its id) are passed
 * by restarting it with its real clock (Date.now) moved ahead, and the upstream's clock (time
 * travel) moved by as much while the relay is down, so the two still agree on the time.
 */
const UP_TOKEN = 'relay-crash-upstream-token';
const RELAY_TOKEN = 'relay-crash-relay-token';
const SEED = process.env.SERPQ_TEST_SEED ? Number(process.env.SERPQ_TEST_SEED) : Math.floor(Math.random() * 2 ** 31);
const NO_LIMITS = { tasks_ready_per_minute: 100_000, requests_per_minute: 1_000_000, concurrent_requests: 1000 };
const ACCOUNTS = [
  { login: 'demo', password: 'demo' },
  { login: 'team-a', password: 'team-a-pw' },
  { login: 'team-b', password: 'team-b-pw' },
] as const;
const START_BALANCE = 100;

interface Accepted {
  readonly login: string;
  /** The task type: `serp/google/images`, `keywords_data/google_ads/search_volume`, ... */
  readonly type: string;
  readonly tag: string;
}

/** The task types posted, the function each is compared by (null: `task_get/{id}`) and a task of each. */
const TYPES: Record<string, { fn: string | null; task: (name: string) => Record<string, unknown> }> = {
  'serp/google/images': { fn: 'advanced', task: (name) => ({ keyword: name, location_code: 2840, language_code: 'en' }) },
  'serp/google/maps': { fn: 'advanced', task: (name) => ({ keyword: name, location_code: 2840, language_code: 'en' }) },
  'keywords_data/google_ads/search_volume': {
    fn: null,
    task: (name) => ({ keywords: [name, `${name} b`], location_code: 2840, language_code: 'en' }),
  },
  'merchant/google/products': { fn: 'advanced', task: (name) => ({ keyword: name, location_code: 2840, language_code: 'en' }) },
};
const APIS = ['serp', 'keywords_data', 'merchant'];

/** The k-th call (from now) that `pred` accepts. */
function nth(k: number, pred: (c: ProxiedCall) => boolean): (c: ProxiedCall) => boolean {
  let seen = 0;
  return (c) => pred(c) && ++seen === k;
}

describe.each(DIALECTS)('the relay killed with SIGKILL while forwarding and collecting (%s)', (dialect) => {
  let dir: string;
  let pgStore: TestStore | null = null;
  let proxy: UpstreamProxy | null = null;
  pgSkipNote();

  afterEach(async () => {
    await killAllServers();
    await proxy?.close();
    proxy = null;
    await pgStore?.cleanup();
    pgStore = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('completes every accepted task exactly once; the upstream gets each serpq id exactly once', async () => {
    const trace: string[] = [];
    onTestFailed(() =>
      console.error(`relay-crash (${dialect}) seed ${SEED}: SERPQ_TEST_SEED=${SEED} repeats this run\n${trace.join('\n')}`),
    );
    const rnd = seededRandom(SEED);
    const int = (n: number) => Math.floor(rnd() * n);
    const phase = () => (rnd() < 0.5 ? ('before' as const) : ('after' as const));
    // 0: restart at once (unconfirmed calls wait for the upstream to list them); 6 s: after that wait.
    const ahead = () => (rnd() < 0.5 ? 0 : 6000);

    dir = mkdtempSync(join(tmpdir(), 'serpq-relay-crash-'));
    const up = await startServer({ db: join(dir, 'upstream.db'), adminToken: UP_TOKEN, timeTravel: true });
    await admin(up, UP_TOKEN, 'PATCH', '/admin/accounts/demo', { balance: 10_000, limits: NO_LIMITS });
    const px = await startUpstreamProxy(up.base);
    proxy = px;
    if (dialect === 'postgres') pgStore = await createTestStore('postgres', 'relay-crash');
    const relayDb = pgStore ? pgStore.url : join(dir, 'relay.db');

    let shiftMs = 0;
    const startRelay = (port?: number) =>
      startServer({
        db: relayDb,
        adminToken: RELAY_TOKEN,
        timeTravel: true,
        port,
        env: clockAheadEnv(dir, shiftMs),
        extraArgs: ['--executor', 'relay', '--upstream-url', px.base, '--upstream-login', 'demo', '--upstream-password', 'demo'],
      });
    let relay = await startRelay();
    const port = relay.port;

    /** For the failure message: upstream call slots the store still counts as taken (SQLite). */
    async function heldSlots(): Promise<string> {
      if (dialect !== 'sqlite') return '';
      try {
        const db = new Database(relayDb, { readonly: true });
        try {
          const row = db.prepare('SELECT count(*) AS n, min(expires_at) AS first FROM upstream_slots').get() as {
            n: number;
            first: number | null;
          };
          const lapse = row.first === null ? '' : `, the first lapsing in ${Math.round((row.first - Date.now() - shiftMs) / 1000)} s`;
          return `; upstream call slots still taken in the store: ${row.n}${lapse}`;
        } finally {
          db.close();
        }
      } catch {
        return '';
      }
    }

    /** Starts the relay again on its database and port, its real clock `aheadMs` further ahead. */
    async function restart(aheadMs: number): Promise<void> {
      if (aheadMs > 0) {
        await admin(up, UP_TOKEN, 'POST', '/admin/clock', { advance_seconds: aheadMs / 1000 });
        shiftMs += aheadMs;
      }
      try {
        relay = await startRelay(port);
      } catch (err) {
        const slots = await heldSlots();
        trace.push(`  did not start again (real clock +${shiftMs / 1000} s)${slots}`);
        throw new Error(`the relay did not start again after the kill${slots}:\n${(err as Error).message.trim()}`);
      }
      trace.push(`  restarted, real clock +${shiftMs / 1000} s`);
    }

    await admin(relay, RELAY_TOKEN, 'PATCH', '/admin/accounts/demo', { limits: NO_LIMITS });
    for (const a of ACCOUNTS.slice(1)) {
      await admin(relay, RELAY_TOKEN, 'POST', '/admin/accounts', { ...a, balance: START_BALANCE, limits: NO_LIMITS });
    }
    // The clients reach whichever relay process runs on the port.
    const clients = new Map<string, SerpqClient>(ACCOUNTS.map((a) => [a.login, client(relay, a.login, a.password)]));
    const accepted = new Map<string, Accepted>();

    async function post(login: string, type: string, n: number): Promise<void> {
      const tasks = Array.from({ length: n }, (_, i) => ({
        ...TYPES[type]!.task(`crash ${login} ${type.split('/').pop()} ${i}`),
        tag: `${login}-${type}-${i}`,
      }));
      const env = await clients.get(login)!.taskPostOf(type, tasks);
      expect(env.status_code).toBe(20000);
      env.tasks!.forEach((t, i) => {
        expect(t.status_code, `${login} ${type} ${i}: ${t.status_message}`).toBe(20100);
        accepted.set(t.id, { login, type, tag: tasks[i]!.tag });
      });
    }
    /** An account's tasks_ready rows of every type posted. */
    async function readyRowsOf(c: SerpqClient): Promise<Array<{ id: string; tag: string | null }>> {
      const rows: Array<{ id: string; tag: string | null }> = [...(await c.readyRows())];
      for (const type of Object.keys(TYPES).filter((t) => !t.startsWith('serp/'))) {
        rows.push(...(((await c.tasksReadyOf(type)).tasks![0]!.result as Array<{ id: string; tag: string | null }> | null) ?? []));
      }
      return rows;
    }

    /**
     * Arms a cut on the call `match` picks, does `work` (posting, settling the upstream), then lets
     * the relay settle: the relay is killed while the picked call is held, or, when no call matched,
     * once the settle answered. The kill waits for `work`, so every task post is answered first.
     */
    async function crashRound(label: string, match: (c: ProxiedCall) => boolean, at: 'before' | 'after', work: () => Promise<void>) {
      const victim = relay;
      let workDone: Promise<void> = Promise.resolve();
      const cut = px.arm({
        match,
        phase: at,
        action: async () => {
          await workDone.catch(() => {});
          await victim.kill();
        },
      });
      workDone = work();
      await workDone;
      const settled = admin(victim, RELAY_TOKEN, 'POST', '/admin/settle').then(
        () => 'settled' as const,
        () => 'failed' as const,
      );
      const first = await Promise.race([cut.fired.then(() => 'cut' as const), settled]);
      if (first !== 'cut' && cut.disarm()) {
        await victim.kill();
        trace.push(`${label}: no call matched; killed after the settle (${first})`);
      } else {
        const call = await cut.fired;
        trace.push(`${label}: killed holding call #${call.n} ${call.kind} ${call.path} (${at} the upstream answered)`);
      }
    }

    const isKind =
      (...kinds: string[]) =>
      (c: ProxiedCall) =>
        kinds.includes(c.kind);

    // Forwarding: 300 images and 30 Google Ads search volume tasks of three accounts, killed at one
    // of the first task_post calls.
    await crashRound(`kill 1 (forwarding)`, nth(1 + int(4), isKind('task_post')), phase(), async () => {
      await Promise.all(ACCOUNTS.map((a) => post(a.login, 'serp/google/images', 100)));
      await Promise.all(ACCOUNTS.map((a) => post(a.login, 'keywords_data/google_ads/search_volume', 10)));
    });
    await restart(ahead());
    // More forwarding (60 maps and 30 Merchant tasks), and the look-ups of unconfirmed calls (id_list)
    // if any are due.
    await crashRound(`kill 2 (forwarding)`, nth(1 + int(3), isKind('task_post', 'id_list')), phase(), async () => {
      await Promise.all(ACCOUNTS.map((a) => post(a.login, 'serp/google/maps', 20)));
      await Promise.all(ACCOUNTS.map((a) => post(a.login, 'merchant/google/products', 10)));
    });
    await restart(ahead());
    // Collection: the upstream finishes what it got; killed at one of the relay's task_get calls.
    await crashRound(`kill 3 (collection)`, nth(1 + int(150), isKind('task_get')), phase(), async () => {
      await admin(up, UP_TOKEN, 'POST', '/admin/settle');
    });
    await restart(ahead());
    // Anywhere: the k-th upstream call of any kind.
    await crashRound(
      `kill 4 (any call)`,
      nth(1 + int(300), () => true),
      phase(),
      async () => {
        await admin(up, UP_TOKEN, 'POST', '/admin/settle');
      },
    );
    // The last start is "a minute later": every window on the real clock has passed.
    await restart(65_000);

    const readyCount = async () => {
      let n = 0;
      for (const c of clients.values()) n += (await readyRowsOf(c)).length;
      return n;
    };
    for (let i = 0; i < 40; i++) {
      await admin(up, UP_TOKEN, 'POST', '/admin/settle');
      await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
      const n = await readyCount();
      trace.push(
        `settle ${i}: ${n}/${accepted.size} ready, in flight ${(await admin(relay, RELAY_TOKEN, 'GET', '/admin/upstream')).in_flight}`,
      );
      if (n >= accepted.size) break;
      // Retries are due on the relay's clock.
      await admin(relay, RELAY_TOKEN, 'POST', '/admin/clock', { advance_seconds: 60 });
    }
    expect(accepted.size).toBe(420);

    // Each account lists each of its tasks once, with its own tag.
    for (const [login, c] of clients) {
      const rows = await readyRowsOf(c);
      const ids = rows.map((r) => r.id);
      const mine = [...accepted].filter(([, a]) => a.login === login).map(([id]) => id);
      expect(ids.length - new Set(ids).size, `${login}: ids listed twice`).toBe(0);
      expect(
        ids.filter((id) => !accepted.has(id)),
        `${login}: listed, never accepted`,
      ).toEqual([]);
      expect(
        mine.filter((id) => !ids.includes(id)),
        `${login}: accepted, not listed`,
      ).toEqual([]);
      for (const r of rows) expect(r.tag).toBe(accepted.get(r.id)!.tag);
    }

    // The upstream received each serpq id exactly once, and nothing else.
    const tags = await upstreamTags(up, UP_TOKEN, 'demo', 'demo', APIS);
    const twice = [...tags].filter(([, ids]) => ids.length > 1).map(([tag, ids]) => `${tag} -> ${ids.join(', ')}`);
    expect(twice, 'serpq ids posted upstream more than once').toEqual([]);
    expect(
      [...accepted.keys()].filter((id) => !tags.has(id)),
      'serpq ids never posted upstream',
    ).toEqual([]);
    expect(
      [...tags.keys()].filter((tag) => !accepted.has(tag)),
      'upstream tasks with tags never accepted',
    ).toEqual([]);

    // Each task serves the upstream's result.
    const entries = [...accepted];
    for (let i = 0; i < entries.length; i += 30) {
      await Promise.all(
        entries.slice(i, i + 30).map(async ([id, a]) => {
          const fn = TYPES[a.type]!.fn ?? undefined;
          const mine = (await clients.get(a.login)!.taskGetOf(a.type, id, fn)).tasks![0]!;
          const theirs = (await client(up).taskGetOf(a.type, tags.get(id)![0]!, fn)).tasks![0]!;
          expect(mine.status_code, `${id}: ${mine.status_message}`).toBe(20000);
          expect(mine.id).toBe(id);
          expect(mine.result, `${id}: the upstream's result`).toEqual(theirs.result);
        }),
      );
    }
    // The money: each account paid what its tasks cost, once each (id_list lists every task once).
    const accounts = (await admin(relay, RELAY_TOKEN, 'GET', '/admin/accounts')).accounts as Array<{ login: string; balance: number }>;
    for (const [login, c] of clients) {
      const rows = (await Promise.all(APIS.map((api) => idListRows(relay, RELAY_TOKEN, c, api)))).flat();
      const ids = rows.map((r) => r.id);
      expect(ids.length - new Set(ids).size, `${login}: id_list rows twice`).toBe(0);
      expect(ids.length, `${login}: id_list rows`).toBe([...accepted.values()].filter((a) => a.login === login).length);
      const spent = rows.reduce((sum, r) => sum + r.cost, 0);
      expect(spent, `${login}: cost of its tasks`).toBeGreaterThan(0);
      const balance = accounts.find((x) => x.login === login)!.balance;
      expect(balance, `${login}: balance after its tasks`).toBeCloseTo(START_BALANCE - spent, 6);
    }
    trace.push(`upstream calls through the proxy: ${px.calls.length}`);
    console.log(`relay-crash (${dialect}) seed ${SEED}\n${trace.join('\n')}`);
  }, 180_000);
});
