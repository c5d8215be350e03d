import type { IncomingMessage, ServerResponse } from 'node:http';
import { envelope } from '../contracts/envelope.js';
import { findSeType, isKnownEngine } from '../domain/catalog.js';
import { STATUS, type StatusDef } from '../domain/status-codes.js';
import type { ServiceDeps } from '../services/deps.js';
import { listReady } from '../services/list-ready.js';
import type { RateLimiter } from '../services/rate-limiter.js';
import type { AccountRow } from '../store/store.js';
import type { Gate } from './gate.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export interface Answer {
  readonly status: number;
  readonly body: string;
}

function errorBody(status: StatusDef, startedAt: number): string {
  return JSON.stringify(envelope(status, { timeMs: performance.now() - startedAt, tasks: null }));
}

/**
 * tasks_ready for an authenticated account at any scope: 404/40400 for an unknown engine or type,
 * 40202 past the account's tasks_ready limit per minute, else the page.
 */
export function createReadyAnswer(services: ServiceDeps, limiter: RateLimiter) {
  return async (account: AccountRow, url: string, startedAt: number, se?: string, seType?: string): Promise<Answer> => {
    if ((se !== undefined && !isKnownEngine(se)) || (seType !== undefined && !findSeType(se ?? '', seType))) {
      return { status: STATUS.NOT_FOUND.http, body: errorBody(STATUS.NOT_FOUND, startedAt) };
    }
    if (!limiter.hit(`ready:${account.id}`, account.limits.tasksReadyPerMinute).allowed) {
      return { status: 200, body: errorBody(STATUS.RATE_LIMIT, startedAt) };
    }
    return { status: 200, body: await listReady(services, { account, url, startedAt }, { se, seType }) };
  };
}

const READY_PATH = /^\/v3\/serp(?:\/([^/?]+))?(?:\/([^/?]+))?\/tasks_ready\/?(?:\?.*)?$/;

/**
 * The raw fast path for `GET .../tasks_ready`: the same gate and the same answer as the Fastify route,
 * without the router and its hooks, which cost more than the whole answer for an empty list. Returns
 * false for any other request, which then goes to Fastify.
 */
export function createFastReady(gate: Gate, answer: ReturnType<typeof createReadyAnswer>) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET') return false;
    const url = req.url ?? '';
    const m = READY_PATH.exec(url);
    if (!m) return false;
    const startedAt = performance.now();
    const send = (status: number, body: string, headers: Record<string, string>) => {
      res.writeHead(status, { ...headers, 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    void (async () => {
      try {
        const g = await gate(req.headers.authorization);
        if (!g.ok) return send(g.status.http, errorBody(g.status, startedAt), g.headers);
        res.once('close', g.release);
        const out = await answer(g.account, url, startedAt, m[1], m[2]);
        send(out.status, out.body, g.headers);
      } catch {
        if (!res.headersSent) send(500, errorBody(STATUS.INTERNAL_ERROR, startedAt), {});
        else res.destroy();
      }
    })();
    return true;
  };
}
