import { writeFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type SerpqClient, createClient } from '../../src/client/index.js';
import { type ServerProcess, startServer } from './server-process.js';

/**
 * Helpers of the relay tests: the admin API, clients, what the upstream received (by tag), a
 * recording proxy between the relay and its upstream, and a real clock running ahead in a child.
 */

/** An admin call (plain JSON, Bearer token); throws on a status >= 300. */
export async function admin(
  srv: ServerProcess,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(srv.base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`admin ${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

export const client = (srv: ServerProcess, login = 'demo', password = 'demo'): SerpqClient =>
  createClient({ baseUrl: srv.base, login, password });

/** `yyyy-MM-dd HH:mm:ss +00:00`, the vendor's datetime format. */
export const wireTime = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' +00:00';

export interface IdListRow {
  readonly id: string;
  readonly cost: number;
  readonly status: string;
  readonly metadata: { tag?: string } | null;
}

/**
 * Every task of an account on a server, from its id_list with metadata over the last day of that
 * server's own clock (which may have been moved), all pages.
 */
/** Every id_list row of the account's tasks of `api` posted in the last day (by the server's clock). */
export async function idListRows(srv: ServerProcess, token: string, c: SerpqClient, api = 'serp'): Promise<IdListRow[]> {
  const now = Date.parse(String((await admin(srv, token, 'GET', '/admin/clock')).now));
  const out: IdListRow[] = [];
  for (let offset = 0; ; offset += 1000) {
    const env = await c.idList(
      {
        datetime_from: wireTime(now - 86_400_000),
        datetime_to: wireTime(now),
        include_metadata: true,
        limit: 1000,
        offset,
      },
      api,
    );
    const task = env.tasks?.[0];
    if (task?.status_code !== 20000) throw new Error(`id_list: ${task?.status_code} ${task?.status_message}`);
    const rows = (task.result ?? []) as IdListRow[];
    out.push(...rows);
    if (rows.length < 1000) return out;
  }
}

/** The upstream account's tasks by tag (the relay tags each with serpq's task id): tag -> upstream ids. */
export async function upstreamTags(
  up: ServerProcess,
  token: string,
  login = 'demo',
  password = 'demo',
  apis: readonly string[] = ['serp'],
): Promise<Map<string, string[]>> {
  const tags = new Map<string, string[]>();
  const rows = (await Promise.all(apis.map((api) => idListRows(up, token, client(up, login, password), api)))).flat();
  for (const r of rows) {
    const tag = r.metadata?.tag ?? '';
    tags.set(tag, [...(tags.get(tag) ?? []), r.id]);
  }
  return tags;
}

/** What the relay asked the upstream for. */
export type CallKind = 'task_post' | 'task_get' | 'tasks_ready' | 'id_list' | 'user_data' | 'other';

export function callKind(path: string): CallKind {
  const p = path.split('?')[0]!;
  if (p.endsWith('/id_list')) return 'id_list';
  if (p === '/v3/appendix/user_data') return 'user_data';
  if (p.endsWith('/task_post')) return 'task_post';
  if (p.endsWith('/tasks_ready')) return 'tasks_ready';
  if (p.includes('/task_get/')) return 'task_get';
  return 'other';
}

export interface ProxiedCall {
  /** 1-based, in the order calls arrived. */
  readonly n: number;
  readonly kind: CallKind;
  readonly method: string;
  readonly path: string;
  /** The proxy's `step` when the call arrived (tests count calls per upstream minute with it). */
  readonly step: number;
  /** The tags of a task_post body. */
  readonly tags: readonly string[];
  /** The upstream's top-level status_code, and every task-level one (null until answered). */
  statusCode: number | null;
  taskCodes: number[];
  /** Answered to the relay (false: still in flight, cut, or the upstream failed). */
  answered: boolean;
  /** Held by a cut: the relay never got an answer. */
  cut: boolean;
  done: boolean;
}

/**
 * A cut: the first call that `match`es is held — before it reaches the upstream ('before') or after
 * the upstream answered it ('after') — while `action` runs (e.g. kill -9 of the relay); then its
 * connection is dropped, so the relay never learns the answer.
 */
export interface CutSpec {
  readonly match: (call: ProxiedCall) => boolean;
  readonly phase: 'before' | 'after';
  readonly action: (call: ProxiedCall) => Promise<void>;
}

export interface ArmedCut {
  /** Resolves with the call once the action ran. */
  readonly fired: Promise<ProxiedCall>;
  /** Disarms it; false when it already matched a call (then wait for `fired`). */
  disarm(): boolean;
}

export interface UpstreamProxy {
  /** The URL to give the relay as --upstream-url. */
  readonly base: string;
  readonly calls: readonly ProxiedCall[];
  /** Stamped on each arriving call. */
  step: number;
  inFlight(): number;
  /** The most calls the proxy held at once. */
  maxInFlight(): number;
  arm(cut: CutSpec): ArmedCut;
  /** Called after each call ended (answered, cut or failed). */
  onDone(listener: (call: ProxiedCall) => void): () => void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function envelopeCodes(body: Buffer): { top: number | null; tasks: number[] } {
  try {
    const env = JSON.parse(body.toString('utf8')) as { status_code?: number; tasks?: Array<{ status_code?: number }> | null };
    return {
      top: typeof env.status_code === 'number' ? env.status_code : null,
      tasks: (env.tasks ?? []).map((t) => t.status_code).filter((c): c is number => typeof c === 'number'),
    };
  } catch {
    return { top: null, tasks: [] };
  }
}

function postedTags(kind: CallKind, body: Buffer): string[] {
  if (kind !== 'task_post') return [];
  try {
    const tasks = JSON.parse(body.toString('utf8')) as Array<{ tag?: unknown }>;
    return tasks.map((t) => (typeof t.tag === 'string' ? t.tag : ''));
  } catch {
    return [];
  }
}

/**
 * An HTTP proxy in the test process between the relay and its upstream: it forwards every call as
 * is, records what it saw (kind, step, the upstream's status codes, concurrency), and can cut one
 * call at a chosen moment. The upstream's answer is passed on byte for byte.
 */
export async function startUpstreamProxy(target: string): Promise<UpstreamProxy> {
  const calls: ProxiedCall[] = [];
  const listeners = new Set<(call: ProxiedCall) => void>();
  let inFlight = 0;
  let maxInFlight = 0;
  let armed: { spec: CutSpec; fire: (call: ProxiedCall) => void; fail: (err: unknown) => void } | null = null;

  const finish = (call: ProxiedCall) => {
    call.done = true;
    inFlight--;
    for (const l of listeners) l(call);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = req.url ?? '/';
    const kind = callKind(path);
    const call: ProxiedCall = {
      n: calls.length + 1,
      kind,
      method: req.method ?? 'GET',
      path,
      step: proxy.step,
      tags: postedTags(kind, body),
      statusCode: null,
      taskCodes: [],
      answered: false,
      cut: false,
      done: false,
    };
    calls.push(call);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const cut = armed && armed.spec.match(call) ? armed : null;
    if (cut) armed = null;
    try {
      const hold = async () => {
        call.cut = true;
        try {
          await cut!.spec.action(call);
          cut!.fire(call);
        } catch (err) {
          cut!.fail(err);
        }
        res.destroy();
      };
      if (cut?.spec.phase === 'before') return await hold();
      const headers: Record<string, string> = {};
      for (const h of ['authorization', 'content-type', 'content-encoding']) {
        const v = req.headers[h];
        if (typeof v === 'string') headers[h] = v;
      }
      const answer = await fetch(target + path, {
        method: call.method,
        headers,
        body: call.method === 'GET' || call.method === 'HEAD' ? undefined : new Uint8Array(body),
      });
      const bytes = Buffer.from(await answer.arrayBuffer());
      const codes = envelopeCodes(bytes);
      call.statusCode = codes.top;
      call.taskCodes = codes.tasks;
      if (cut) return await hold();
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(bytes);
      call.answered = true;
    } catch {
      res.destroy();
    } finally {
      finish(call);
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 72_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  const proxy: UpstreamProxy = {
    base: `http://127.0.0.1:${port}`,
    calls,
    step: 0,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    arm(spec) {
      if (armed) throw new Error('a cut is armed already');
      let fire!: (call: ProxiedCall) => void;
      let fail!: (err: unknown) => void;
      const fired = new Promise<ProxiedCall>((resolve, reject) => {
        fire = resolve;
        fail = reject;
      });
      fired.catch(() => {});
      const mine = { spec, fire, fail };
      armed = mine;
      return {
        fired,
        disarm() {
          if (armed !== mine) return false;
          armed = null;
          return true;
        },
      };
    },
    onDone(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  return proxy;
}

/**
 * Environment for a child whose real clock (Date.now, which serpq's system clock reads) runs
 * `shiftMs` ahead: a restart "after" that much real time, without waiting for it. The module is
 * written to `dir` and loaded with NODE_OPTIONS=--import.
 */
export function clockAheadEnv(dir: string, shiftMs: number): Record<string, string> {
  if (shiftMs === 0) return {};
  const file = join(dir, `clock-ahead-${shiftMs}.mjs`);
  writeFileSync(file, `const now = Date.now.bind(Date);\nDate.now = () => now() + ${shiftMs};\n`);
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(file).href}`.trim() };
}

/** A small seeded generator (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The limits an upstream test account runs under: none that a test reaches. */
export const NO_UPSTREAM_LIMITS = { tasks_ready_per_minute: 100_000, requests_per_minute: 1_000_000, concurrent_requests: 1000 };

export interface RelayPairOptions {
  /** The folder of both databases (`upstream.db`, `relay.db`). */
  readonly dir: string;
  readonly upToken: string;
  readonly relayToken: string;
  /** A recording proxy between the relay and the upstream. */
  readonly proxy?: boolean;
  /** Time travel on the upstream (the relay always has it). */
  readonly upstreamTimeTravel?: boolean;
  readonly upstreamArgs?: readonly string[];
  readonly relayArgs?: readonly string[];
  readonly relayPort?: number;
}

export interface RelayPair {
  readonly up: ServerProcess;
  readonly relay: ServerProcess;
  readonly proxy: UpstreamProxy | null;
}

/**
 * A second serpq as the upstream (its demo account funded, without limits) and a relay in front of it
 * (`--executor relay` with the upstream's demo credentials, time travel, the demo account at 100 USD
 * and a second account `team-b` / `team-b-secret` with 100 USD), optionally through a recording proxy.
 */
export async function startRelayPair(o: RelayPairOptions): Promise<RelayPair> {
  const up = await startServer({
    db: join(o.dir, 'upstream.db'),
    adminToken: o.upToken,
    timeTravel: o.upstreamTimeTravel,
    extraArgs: [...(o.upstreamArgs ?? [])],
  });
  await admin(up, o.upToken, 'PATCH', '/admin/accounts/demo', { balance: 10_000, limits: NO_UPSTREAM_LIMITS });
  const proxy = o.proxy ? await startUpstreamProxy(up.base) : null;
  const relay = await startServer({
    db: join(o.dir, 'relay.db'),
    adminToken: o.relayToken,
    timeTravel: true,
    port: o.relayPort,
    extraArgs: [
      ...['--executor', 'relay', '--upstream-url', proxy?.base ?? up.base, '--upstream-login', 'demo', '--upstream-password', 'demo'],
      ...(o.relayArgs ?? []),
    ],
  });
  await admin(relay, o.relayToken, 'PATCH', '/admin/accounts/demo', { balance: 100 });
  await admin(relay, o.relayToken, 'POST', '/admin/accounts', { login: 'team-b', password: 'team-b-secret', balance: 100 });
  return { up, relay, proxy };
}
