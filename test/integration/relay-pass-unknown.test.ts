/**
 * `--relay-pass-unknown`: a path serpq's catalog does not know (an endpoint the vendor added since)
 * is passed to the upstream as a synchronous call, charged the upstream's cost and recorded like any
 * live call; a task path never is, and its refusal says why; without the flag, unknown paths answer
 * 404 as before. The upstream here is a small HTTP server of the test's own standing for a vendor
 * that has endpoints serpq does not (a second serpq would know no more than the relay), recording
 * what it received; a relay serpq process is in front of it.
 */
import { once } from 'node:events';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireEnvelope } from '../../src/client/index.js';
import { serpqCommand } from '../helpers/cli-process.js';
import { admin } from '../helpers/relay.js';
import { type ServerProcess, killAllServers, startServer } from '../helpers/server-process.js';

const RELAY_TOKEN = 'relay-pass-unknown-relay-token';
const NEW_LIVE = 'dataforseo_labs/google/brand_new_insight/live';
const NEW_LIST = 'dataforseo_labs/google/brand_new_insight/kinds';
const NEW_COST = 0.0123;

interface Received {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

const envelope = (status: [number, string], tasks: unknown[] | null, cost = 0) => ({
  version: '0.1.20260101',
  status_code: status[0],
  status_message: status[1],
  time: '0.1 sec.',
  cost,
  tasks_count: tasks?.length ?? 0,
  tasks_error: 0,
  tasks,
});
const task = (path: string, data: unknown, result: unknown[] | null, cost: number, status: [number, string] = [20000, 'Ok.']) => ({
  id: '12011200-1535-0066-0000-00000000beef',
  status_code: status[0],
  status_message: status[1],
  time: '0.1 sec.',
  cost,
  result_count: result?.length ?? 0,
  path: path.split('/').filter(Boolean),
  data,
  result,
});

/** A vendor with an endpoint serpq's catalog lacks: answers it, user_data, and 404 for anything else. */
async function startVendor() {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      const path = req.url ?? '/';
      received.push({ method: req.method ?? 'GET', path, body });
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.headers.authorization !== `Basic ${Buffer.from('op:op-secret').toString('base64')}`) {
        return send(401, envelope([40100, 'You are not authorized.'], null));
      }
      if (path === '/v3/appendix/user_data') return send(200, envelope([20000, 'Ok.'], [task(path, {}, [{ money: { balance: 50 } }], 0)]));
      if (path === `/v3/${NEW_LIVE}` && req.method === 'POST') {
        const posted = (body as Array<Record<string, unknown>>)[0]!;
        const result = [{ target: posted.target, insight: 42, items: [{ kind: 'new', value: 1 }] }];
        return send(200, envelope([20000, 'Ok.'], [task(path, { api: 'dataforseo_labs', ...posted }, result, NEW_COST)], NEW_COST));
      }
      if (path === `/v3/${NEW_LIST}`) return send(200, envelope([20000, 'Ok.'], [task(path, {}, [{ kind: 'new' }, { kind: 'old' }], 0)]));
      return send(404, envelope([40400, 'Not Found.'], null));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

describe('relay: paths the catalog does not know', () => {
  let dir: string;
  let vendor: Awaited<ReturnType<typeof startVendor>>;
  let relay: ServerProcess;
  let closed: ServerProcess;

  const relayArgs = () => [
    '--executor',
    'relay',
    '--upstream-url',
    vendor.base,
    '--upstream-login',
    'op',
    '--upstream-password',
    'op-secret',
  ];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-relay-unknown-'));
    vendor = await startVendor();
    [relay, closed] = await Promise.all([
      startServer({ db: join(dir, 'relay.db'), adminToken: RELAY_TOKEN, extraArgs: [...relayArgs(), '--relay-pass-unknown'] }),
      startServer({ db: join(dir, 'closed.db'), adminToken: RELAY_TOKEN, extraArgs: relayArgs() }),
    ]);
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/accounts', { login: 'team', password: 'team-secret', balance: 10 });
  }, 60_000);
  afterAll(async () => {
    await killAllServers();
    await vendor?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function call(srv: ServerProcess, method: 'GET' | 'POST', path: string, body?: unknown, login = 'team', password = 'team-secret') {
    const res = await fetch(`${srv.base}/v3/${path}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, env: (await res.json()) as WireEnvelope };
  }
  const account = async (login = 'team') => admin(relay, RELAY_TOKEN, 'GET', `/admin/accounts/${login}`);
  const upstreamCalls = (path: string) => vendor.received.filter((r) => r.path === `/v3/${path}`);

  it('passes a live call of an unknown path upstream as posted: its answer, charged its cost, recorded for the account', async () => {
    const before = Number((await account()).balance);
    const posted = { target: 'new.example', location_code: 2840, language_code: 'en', tag: 'mine' };
    const { status, env } = await call(relay, 'POST', NEW_LIVE, [posted]);
    expect(status).toBe(200);
    expect(env.status_code).toBe(20000);
    const t = env.tasks![0]!;
    expect(t).toMatchObject({ status_code: 20000, cost: NEW_COST, path: ['v3', ...NEW_LIVE.split('/')] });
    expect(t.result).toEqual([{ target: 'new.example', insight: 42, items: [{ kind: 'new', value: 1 }] }]);
    expect(t.data).toMatchObject({ target: 'new.example', tag: 'mine' });
    // serpq's own id, not the upstream's.
    expect(t.id).not.toBe('12011200-1535-0066-0000-00000000beef');
    expect(env.cost).toBe(NEW_COST);
    expect(upstreamCalls(NEW_LIVE).map((r) => r.body)).toEqual([[posted]]);
    expect(Math.round((before - Number((await account()).balance)) * 1e6)).toBe(Math.round(NEW_COST * 1e6));

    // Seen where every live call is: the day's spend of its API in user_data, and id_list.
    const user = await call(relay, 'GET', 'appendix/user_data');
    const day = (user.env.tasks![0]!.result![0] as { money: { statistics: { day: Record<string, number> } } }).money.statistics.day;
    expect(day.total_dataforseo_labs).toBeCloseTo(NEW_COST, 6);
    const now = Date.now();
    const wire = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' +00:00';
    const ids = await call(relay, 'POST', 'dataforseo_labs/id_list', [
      { datetime_from: wire(now - 3_600_000), datetime_to: wire(now), include_metadata: true },
    ]);
    expect(ids.env.tasks![0]!.status_code, ids.env.tasks![0]!.status_message).toBe(20000);
    const rows = ids.env.tasks![0]!.result as Array<{ id: string; cost: number }>;
    expect(rows.find((r) => r.id === t.id)?.cost).toBe(NEW_COST);
  });

  it('passes a GET of an unknown list, free when the upstream charged nothing', async () => {
    const before = Number((await account()).balance);
    const { status, env } = await call(relay, 'GET', NEW_LIST);
    expect(status).toBe(200);
    expect(env.tasks![0]).toMatchObject({ status_code: 20000, cost: 0, result: [{ kind: 'new' }, { kind: 'old' }] });
    expect(upstreamCalls(NEW_LIST).map((r) => r.method)).toEqual(['GET']);
    expect(Number((await account()).balance)).toBe(before);
  });

  it('answers 404 as the upstream does when the upstream does not know the path either', async () => {
    const { status, env } = await call(relay, 'POST', 'dataforseo_labs/google/nothing_here/live', [{ target: 'x.example' }]);
    expect(status).toBe(404);
    expect(env).toMatchObject({ status_code: 40400, tasks: null, cost: 0 });
  });

  it('never passes a task path, and says why', async () => {
    const seen = vendor.received.length;
    for (const [method, path, body] of [
      ['POST', 'dataforseo_labs/google/brand_new_insight/task_post', [{ target: 'a.example' }]],
      ['GET', 'dataforseo_labs/google/brand_new_insight/tasks_ready', undefined],
      ['GET', 'dataforseo_labs/google/brand_new_insight/task_get/12011200-1535-0066-0000-00000000beef', undefined],
      ['POST', 'on_page/brand_new_function', [{ id: '12011200-1535-0066-0000-00000000beef' }]],
      ['GET', 'appendix/brand_new_thing', undefined],
    ] as const) {
      const { status, env } = await call(relay, method, path, body);
      expect(status, path).toBe(404);
      expect(env.status_code, path).toBe(40400);
      expect(env.status_message, path).toMatch(/task paths .* never passed .* isolation between accounts could not be kept/i);
    }
    expect(vendor.received.length).toBe(seen);
  });

  it('keeps the account’s limits: no balance, a reached daily cost cap, a missing subscription', async () => {
    const seen = upstreamCalls(NEW_LIVE).length;
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/accounts', { login: 'broke', password: 'broke-secret', balance: 0 });
    const broke = await call(relay, 'POST', NEW_LIVE, [{ target: 'a.example' }], 'broke', 'broke-secret');
    expect([broke.status, broke.env.status_code]).toEqual([402, 40200]);

    await admin(relay, RELAY_TOKEN, 'POST', '/admin/accounts', { login: 'capped', password: 'capped-secret', balance: 10 });
    expect((await call(relay, 'POST', NEW_LIVE, [{ target: 'a.example' }], 'capped', 'capped-secret')).env.tasks![0]!.status_code).toBe(
      20000,
    );
    // The cap is what the account spent today already: the next call, whatever it costs, would pass it.
    await admin(relay, RELAY_TOKEN, 'PATCH', '/admin/accounts/capped', { daily_cost_limit: NEW_COST });
    const capped = await call(relay, 'POST', NEW_LIVE, [{ target: 'b.example' }], 'capped', 'capped-secret');
    expect(capped.env.tasks![0]!).toMatchObject({ status_code: 40203, cost: 0 });
    expect(upstreamCalls(NEW_LIVE).length - seen).toBe(1);

    // The brand-new Labs endpoint is Labs: a Backlinks path is refused to an account without Backlinks.
    await admin(relay, RELAY_TOKEN, 'PATCH', '/admin/accounts/capped', { subscriptions: { backlinks: false } });
    const denied = await call(relay, 'POST', 'backlinks/brand_new_metric/live', [{ target: 'a.example' }], 'capped', 'capped-secret');
    expect(denied.env.tasks![0]!.status_code).toBe(40204);
    expect(upstreamCalls('backlinks/brand_new_metric/live')).toHaveLength(0);
  });

  it('answers 404 as before without --relay-pass-unknown, sending nothing upstream', async () => {
    const seen = vendor.received.length;
    const { status, env } = await call(closed, 'POST', NEW_LIVE, [{ target: 'a.example' }], 'demo', 'demo');
    expect(status).toBe(404);
    expect(env).toMatchObject({ status_code: 40400, status_message: 'Not Found.' });
    expect(vendor.received.length).toBe(seen);
  });

  it('refuses the flag without the relay, in one line naming the setting', async () => {
    const r = await serpqCommand(['serve', '--db', ':memory:', '--port', '0', '--relay-pass-unknown'], dir).done;
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      "serpq: invalid configuration: SERPQ_RELAY_PASS_UNKNOWN (--relay-pass-unknown) passes unknown paths to the relay's upstream: use it with --executor relay",
    );
  }, 60_000);
});
