import { envelope } from '../contracts/envelope.js';
import type { AccountRow } from '../domain/account.js';
import { findSeType, isKnownEngine } from '../domain/catalog.js';
import { STATUS, type StatusDef } from '../domain/status-codes.js';
import type { ReadyReads, ReadyScope } from '../store/store.js';
import type { ServiceDeps } from './deps.js';
import { type ReadyBody, listReady, listReadySync, readsReadySync } from './list-ready.js';
import type { RateDecision, RateLimiter } from './rate-limiter.js';

/**
 * The tasks_ready answer, built here once for both ways a call arrives: the raw fast path
 * (src/http/fast-ready.ts, before the router) and the Fastify route. An answer is a status and a
 * body (text, or a per-call head and the cached bytes of the page's rows).
 */
export interface Answer {
  readonly status: number;
  readonly body: ReadyBody;
}

/** The body as one Buffer or string (for senders that take a single payload). */
export function flatBody(body: ReadyBody): string | Buffer {
  return typeof body === 'string' ? body : Buffer.concat([Buffer.from(body.head), body.tail]);
}

export function errorBody(status: StatusDef, startedAt: number): string {
  return JSON.stringify(envelope(status, { timeMs: performance.now() - startedAt, tasks: null }));
}

/**
 * The scope of a SERP tasks_ready path (`serp/tasks_ready`, `serp/{se}/tasks_ready`,
 * `serp/{se}/{se_type}/tasks_ready`), or null for an unknown engine or type (404/40400).
 */
export function serpReadyScope(se?: string, seType?: string): ReadyScope | null {
  if (se !== undefined && !isKnownEngine(se)) return null;
  if (seType !== undefined && !findSeType(se ?? '', seType)) return null;
  return { api: 'serp', se, seType };
}

/**
 * tasks_ready for an authenticated account at any scope of any API: 404/40400 for an unknown scope
 * (null), 40202 past the account's tasks_ready limit per minute, else the page.
 */
export function createReadyAnswer(services: ServiceDeps<ReadyReads>, limiter: RateLimiter) {
  /** The answer when it needs no I/O (an error, or a store that reads synchronously); else null. */
  const answerNow = (account: AccountRow, url: string, startedAt: number, scope: ReadyScope | null): Answer | null => {
    if (scope === null) return { status: STATUS.NOT_FOUND.http, body: errorBody(STATUS.NOT_FOUND, startedAt) };
    // With shared (store) counters the limit is checked on the async path, once.
    if (limiter.shared || !readsReadySync(services)) return null;
    if (!limiter.hit(readyKey(account, scope), account.limits.tasksReadyPerMinute).allowed) {
      return { status: 200, body: errorBody(STATUS.RATE_LIMIT, startedAt) };
    }
    const page = listReadySync(services, { account, url, startedAt }, scope);
    return page === null ? null : { status: 200, body: page };
  };
  /**
   * The answer read asynchronously, after `answerNow` returned null (its checks not yet counted,
   * unless the gate counted the tasks_ready limit already: `counted`, and read the page: `read`).
   */
  const answerLater = async (
    account: AccountRow,
    url: string,
    startedAt: number,
    scope: ReadyScope,
    counted?: RateDecision,
    read?: Promise<string>,
  ): Promise<Answer> => {
    if (!(counted ?? (await limiter.hit(readyKey(account, scope), account.limits.tasksReadyPerMinute))).allowed) {
      return { status: 200, body: errorBody(STATUS.RATE_LIMIT, startedAt) };
    }
    return { status: 200, body: await (read ?? listReady(services, { account, url, startedAt }, scope)) };
  };
  const answer = async (account: AccountRow, url: string, startedAt: number, scope: ReadyScope | null): Promise<Answer> =>
    answerNow(account, url, startedAt, scope) ?? answerLater(account, url, startedAt, scope!);
  /**
   * With shared counters the gate counts tasks_ready's own limit with the request limit (one round
   * trip) and reads the page meanwhile (its round trip overlapping theirs); nothing for a local
   * limiter, or a scope that answers 404 (neither counted nor read).
   */
  const throughGate = (url: string, startedAt: number, scope: ReadyScope | null) =>
    limiter.shared && scope !== null
      ? { ownLimit: readyLimit(scope), readMeanwhile: (account: AccountRow) => listReady(services, { account, url, startedAt }, scope) }
      : undefined;
  return Object.assign(answer, { answerNow, answerLater, throughGate });
}

/**
 * The counter of an account's tasks_ready calls of one API: the limit (default 20 a minute) is per
 * API, as the vendor's user_data lists it (`rates.limits.minute.<api>.tasks_ready`); SERP's
 * tasks_fixed shares SERP's.
 */
export function readyKey(account: AccountRow, scope: { readonly api: string }): string {
  return scope.api === 'serp' ? `ready:${account.id}` : `ready:${account.id}:${scope.api}`;
}

/** tasks_ready's own per-minute limit (and tasks_fixed's), as the gate counts it. */
const readyLimit = (scope: ReadyScope) => (account: AccountRow) => ({
  key: readyKey(account, scope),
  limit: account.limits.tasksReadyPerMinute,
});
