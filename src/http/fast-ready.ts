import type { IncomingMessage, ServerResponse } from 'node:http';
import { envelope } from '../contracts/envelope.js';
import { findSeType, isKnownEngine } from '../domain/catalog.js';
import { STATUS, type StatusDef } from '../domain/status-codes.js';
import type { ServiceDeps } from '../services/deps.js';
import { type ReadyBody, listReady, listReadySync, readsReadySync } from '../services/list-ready.js';
import type { RateDecision, RateLimiter } from '../services/rate-limiter.js';
import type { AccountRow } from '../domain/account.js';
import type { Gate, GateOutcome } from './gate.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export interface Answer {
  readonly status: number;
  readonly body: ReadyBody;
}

/** The body as one Buffer or string (for senders that take a single payload). */
export function flatBody(body: ReadyBody): string | Buffer {
  return typeof body === 'string' ? body : Buffer.concat([Buffer.from(body.head), body.tail]);
}

function errorBody(status: StatusDef, startedAt: number): string {
  return JSON.stringify(envelope(status, { timeMs: performance.now() - startedAt, tasks: null }));
}

/**
 * tasks_ready for an authenticated account at any scope: 404/40400 for an unknown engine or type,
 * 40202 past the account's tasks_ready limit per minute, else the page.
 */
export function createReadyAnswer(services: ServiceDeps, limiter: RateLimiter) {
  /** The answer when it needs no I/O (an error, or a store that reads synchronously); else null. */
  const unknownScope = (se?: string, seType?: string) =>
    (se !== undefined && !isKnownEngine(se)) || (seType !== undefined && !findSeType(se ?? '', seType));
  const now = (account: AccountRow, url: string, startedAt: number, se?: string, seType?: string): Answer | null => {
    if (unknownScope(se, seType)) return { status: STATUS.NOT_FOUND.http, body: errorBody(STATUS.NOT_FOUND, startedAt) };
    // With shared (store) counters the limit is checked on the async path, once.
    if (limiter.shared || !readsReadySync(services)) return null;
    if (!(limiter.hit(`ready:${account.id}`, account.limits.tasksReadyPerMinute) as RateDecision).allowed) {
      return { status: 200, body: errorBody(STATUS.RATE_LIMIT, startedAt) };
    }
    const page = listReadySync(services, { account, url, startedAt }, { se, seType });
    return page === null ? null : { status: 200, body: page };
  };
  /**
   * The answer read asynchronously, after `now` returned null (its checks not yet counted, unless the
   * gate counted the tasks_ready limit already: `counted`).
   */
  const page = async (
    account: AccountRow,
    url: string,
    startedAt: number,
    se?: string,
    seType?: string,
    counted?: RateDecision,
    early?: Promise<string>,
  ): Promise<Answer> => {
    if (!(counted ?? (await limiter.hit(`ready:${account.id}`, account.limits.tasksReadyPerMinute))).allowed) {
      return { status: 200, body: errorBody(STATUS.RATE_LIMIT, startedAt) };
    }
    return { status: 200, body: await (early ?? listReady(services, { account, url, startedAt }, { se, seType })) };
  };
  const answer = async (account: AccountRow, url: string, startedAt: number, se?: string, seType?: string): Promise<Answer> =>
    now(account, url, startedAt, se, seType) ?? page(account, url, startedAt, se, seType);
  /**
   * With shared counters the gate counts tasks_ready's own limit with the request limit (one round
   * trip) and reads the page meanwhile (its round trip overlapping theirs); nothing for a local
   * limiter, or a scope that answers 404 (neither counted nor read).
   */
  const viaGate = (url: string, startedAt: number, se?: string, seType?: string) =>
    limiter.shared && !unknownScope(se, seType)
      ? { also: readyLimit, alongside: (account: AccountRow) => listReady(services, { account, url, startedAt }, { se, seType }) }
      : undefined;
  return Object.assign(answer, { now, page, viaGate });
}

/** tasks_ready's own per-minute limit, as the gate counts it. */
const readyLimit = (account: AccountRow) => ({ key: `ready:${account.id}`, limit: account.limits.tasksReadyPerMinute });

const READY_PATH = /^\/v3\/serp(?:\/([^/?]+))?(?:\/([^/?]+))?\/tasks_ready\/?(?:\?.*)?$/;

/**
 * The raw fast path for `GET .../tasks_ready`: the same gate and the same answer as the Fastify route,
 * without the router and its hooks, which cost more than the whole answer for an empty list. Returns
 * false for any other request, which then goes to Fastify.
 */
export function createFastReady(
  gate: Gate,
  answer: ReturnType<typeof createReadyAnswer>,
  counted: (accountId: number) => void = () => {},
  /** Told of every answer sent: the scope (how many of se, se_type the URL names) and the status. */
  answered?: (scope: number, status: number, startedAt: number) => void,
) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET') return false;
    const url = req.url ?? '';
    const m = READY_PATH.exec(url);
    if (!m) return false;
    const startedAt = performance.now();
    const send = (status: number, body: ReadyBody, headers: Record<string, string>) => {
      const text = typeof body === 'string';
      const length = text ? Buffer.byteLength(body) : Buffer.byteLength(body.head) + body.tail.length;
      const flat: string[] = ['content-type', JSON_TYPE, 'content-length', String(length)];
      for (const k in headers) flat.push(k, headers[k]);
      res.writeHead(status, flat);
      if (text) res.end(body);
      else {
        // The head (with this call's id and time) and the cached rows leave in one writev: end()
        // uncorks the socket fully.
        res.cork();
        res.write(body.head);
        res.end(body.tail);
      }
      if (answered) answered(m[2] !== undefined ? 2 : m[1] !== undefined ? 1 : 0, status, startedAt);
    };
    // With recently verified credentials and a synchronous store, the whole answer is made without
    // a single promise; otherwise the same steps finish asynchronously. The gate runs exactly once.
    const finish = (g: GateOutcome) => {
      if (!g.ok) return send(g.status.http, errorBody(g.status, startedAt), g.headers);
      counted(g.account.id);
      const out = answer.now(g.account, url, startedAt, m[1], m[2]);
      if (out) {
        g.release();
        return send(out.status, out.body, g.headers);
      }
      res.once('close', g.release);
      answer.page(g.account, url, startedAt, m[1], m[2], g.also, g.early as Promise<string> | undefined).then(
        (later) => send(later.status, later.body, g.headers),
        () => fail(),
      );
    };
    const fail = () => {
      if (!res.headersSent) send(500, errorBody(STATUS.INTERNAL_ERROR, startedAt), {});
      else res.destroy();
    };
    try {
      const known = gate.sync(req.headers.authorization, req.socket);
      if (known) finish(known);
      else {
        const extra = answer.viaGate(url, startedAt, m[1], m[2]);
        gate(req.headers.authorization, extra?.also, extra?.alongside).then(finish, fail);
      }
    } catch {
      fail();
    }
    return true;
  };
}
