import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { admin, client, upstreamTags } from '../helpers/relay.js';
import { type ServerProcess, freePort, killAllServers, startServer } from '../helpers/server-process.js';

/**
 * The relay's cache and in-flight sharing, its money, and postback mode, against a real upstream
 * (a second serpq process). Equal requests from several accounts are fetched upstream once; the
 * others complete from that result at no cost; what the accounts spend together is what the
 * upstream account paid. Work flows by settling each side in turn; nothing sleeps.
 */
const UP_TOKEN = 'relay-upstream-admin-token';
const RELAY_TOKEN = 'relay-gateway-admin-token';
const TASK = { location_code: 2840, language_code: 'en' };

interface UserDataRelay {
  spent: number;
  tasks_relayed: number;
  cache_hits: number;
}

describe('relay: cache, in-flight sharing, money and postbacks', () => {
  let dir: string;
  let up: ServerProcess;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-relay-share-'));
    up = await startServer({ db: join(dir, 'upstream.db'), adminToken: UP_TOKEN, extraArgs: ['--allow-private-webhooks'] });
    await admin(up, UP_TOKEN, 'PATCH', '/admin/accounts/demo', {
      balance: 10_000,
      limits: { tasks_ready_per_minute: 100_000, requests_per_minute: 1_000_000, concurrent_requests: 1000 },
    });
  });
  afterEach(async () => {
    await killAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startRelay(extra: string[], port?: number): Promise<ServerProcess> {
    return startServer({
      db: join(dir, 'relay.db'),
      adminToken: RELAY_TOKEN,
      timeTravel: true,
      port,
      extraArgs: ['--executor', 'relay', '--upstream-url', up.base, '--upstream-login', 'demo', '--upstream-password', 'demo', ...extra],
    });
  }
  async function settleBoth(relay: ServerProcess): Promise<void> {
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
    await admin(up, UP_TOKEN, 'POST', '/admin/settle');
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
  }
  const upstreamSpent = async () => {
    const a = await admin(up, UP_TOKEN, 'GET', '/admin/accounts/demo');
    return Number(a.total_deposits) - Number(a.balance);
  };
  const relayStats = async (srv: ServerProcess, login: string, password: string) =>
    (await client(srv, login, password).userData()).tasks![0]!.result![0] as { relay: UserDataRelay; money: { balance: number } };

  it('fetches equal requests once: followers in flight and cache hits complete from it at no cost', async () => {
    const relay = await startRelay(['--relay-cache-ttl', '1h']);
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/accounts', { login: 'team', password: 'team-pw', balance: 10 });
    const demo = client(relay);
    const team = client(relay, 'team', 'team-pw');
    const spentBefore = await upstreamSpent();

    // The same SERP asked by two accounts (the keyword as the vendor reads it), and a different depth.
    const a = (await demo.taskPost('google', 'organic', [{ ...TASK, keyword: 'Shared  Query', tag: 'a' }])).tasks![0]!.id;
    const b = (await team.taskPost('google', 'organic', [{ ...TASK, keyword: 'shared query', tag: 'b', priority: 2 }])).tasks![0]!.id;
    const deeper = (await team.taskPost('google', 'organic', [{ ...TASK, keyword: 'shared query', depth: 20 }])).tasks![0]!.id;
    await settleBoth(relay);

    const tags = await upstreamTags(up, UP_TOKEN);
    const sent = [a, b].filter((id) => tags.has(id));
    expect(sent, 'one of the two equal requests went upstream').toHaveLength(1);
    expect(tags.has(deeper), 'a different depth is another request').toBe(true);
    const [mine, theirs] = await Promise.all([
      demo.taskGet('google', 'organic', 'advanced', a),
      team.taskGet('google', 'organic', 'advanced', b),
    ]);
    expect(mine.tasks![0]!.status_code).toBe(20000);
    expect(theirs.tasks![0]!.result).toEqual(mine.tasks![0]!.result);
    expect(theirs.tasks![0]!.data?.tag).toBe('b');
    // Every function of the follower is served, the others fetched on first read.
    expect((await team.taskGet('google', 'organic', 'html', b)).tasks![0]!.status_code).toBe(20000);

    // Completed within the TTL: served from the cache, no upstream call.
    const c = (await team.taskPost('google', 'organic', [{ ...TASK, keyword: 'shared query' }])).tasks![0]!.id;
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
    expect((await team.readyRows()).map((r) => r.id).sort()).toEqual([c, deeper].sort());
    expect((await team.taskGet('google', 'organic', 'advanced', c)).tasks![0]!.result).toEqual(mine.tasks![0]!.result);
    expect((await upstreamTags(up, UP_TOKEN)).size).toBe(tags.size);

    // Money: the accounts together spent what the upstream account paid; sharing cost nothing.
    const demoStats = await relayStats(relay, 'demo', 'demo');
    const teamStats = await relayStats(relay, 'team', 'team-pw');
    const paidUpstream = (await upstreamSpent()) - spentBefore;
    expect(paidUpstream).toBeGreaterThan(0);
    expect(demoStats.relay.spent + teamStats.relay.spent).toBeCloseTo(paidUpstream, 6);
    expect(demoStats.relay.tasks_relayed + teamStats.relay.tasks_relayed).toBe(2);
    expect(demoStats.relay.cache_hits + teamStats.relay.cache_hits).toBe(2);
    const listed = (await admin(relay, RELAY_TOKEN, 'GET', '/admin/accounts/team')) as unknown as UserDataRelay;
    expect(listed.cache_hits).toBe(teamStats.relay.cache_hits);
  });

  it('with the cache off, equal requests are each posted upstream', async () => {
    const relay = await startRelay([]);
    const demo = client(relay);
    const env = await demo.taskPost('google', 'organic', [
      { ...TASK, keyword: 'twice' },
      { ...TASK, keyword: 'twice' },
    ]);
    await settleBoth(relay);
    const tags = await upstreamTags(up, UP_TOKEN);
    for (const t of env.tasks!) expect(tags.get(t.id)).toHaveLength(1);
  });

  it('takes results by upstream postback to its own route when a public base URL is set', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const relay = await startRelay(['--upstream-postback-base', base], port);
    const demo = client(relay);
    const ids = (
      await demo.taskPost(
        'google',
        'organic',
        [1, 2, 3].map((i) => ({ ...TASK, keyword: `by postback ${i}` })),
      )
    ).tasks!.map((t) => t.id);
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
    // The upstream runs them and posts each back to the relay: done here before the relay collects.
    await admin(up, UP_TOKEN, 'POST', '/admin/settle');
    const tags = await upstreamTags(up, UP_TOKEN);
    for (const id of ids) {
      const upstreamId = tags.get(id)![0]!;
      const log = (await admin(up, UP_TOKEN, 'GET', `/admin/tasks/${upstreamId}/deliveries`)) as {
        deliveries: Array<{ kind: string; state: string }>;
        attempts: Array<{ url: string; http_code: number }>;
      };
      expect(log.deliveries, JSON.stringify(log.attempts)).toEqual([expect.objectContaining({ kind: 'postback', state: 'delivered' })]);
      expect(log.attempts[0]!.url.startsWith(`${base}/relay/postback?`)).toBe(true);
      expect(log.attempts[0]!.http_code).toBe(200);
      const got = (await demo.taskGet('google', 'organic', 'advanced', id)).tasks![0]!;
      const theirs = (await client(up).taskGet('google', 'organic', 'advanced', upstreamId)).tasks![0]!;
      expect(got.status_code).toBe(20000);
      expect(got.result).toEqual(theirs.result);
    }
    // The route takes only the deployment's own key and only its own tasks.
    const post = (query: string) =>
      fetch(`${base}/relay/postback?${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"tasks":[]}' });
    const url = (await admin(up, UP_TOKEN, 'GET', `/admin/tasks/${tags.get(ids[0]!)![0]}/deliveries`)) as {
      attempts: Array<{ url: string }>;
    };
    const key = new URL(url.attempts[0]!.url).searchParams.get('key')!;
    expect((await post(`tag=${ids[0]}&key=wrong`)).status).toBe(401);
    expect((await post(`tag=nope&key=${key}`)).status).toBe(404);
  });
});
