import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS } from '../domain/status-codes.js';
import type { ReadyBody } from '../services/list-ready.js';
import { type createReadyAnswer, errorBody, serpReadyScope } from '../services/ready-answer.js';
import type { Gate, GateOutcome } from './gate.js';

const JSON_TYPE = 'application/json; charset=utf-8';

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
    const scope = serpReadyScope(m[1], m[2]);
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
      const out = answer.answerNow(g.account, url, startedAt, scope);
      if (out) {
        g.release();
        return send(out.status, out.body, g.headers);
      }
      res.once('close', g.release);
      answer.answerLater(g.account, url, startedAt, scope!, g.ownDecision, g.read as Promise<string> | undefined).then(
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
        const extra = answer.throughGate(url, startedAt, scope);
        gate(req.headers.authorization, extra?.ownLimit, extra?.readMeanwhile).then(finish, fail);
      }
    } catch {
      fail();
    }
    return true;
  };
}
