import { createGunzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { envelope } from '../contracts/envelope.js';
import type { AccountRow } from '../domain/account.js';
import type { StatusDef } from '../domain/status-codes.js';
import type { CallContext, ServiceDeps } from '../services/deps.js';
import type { RateLimiter } from '../services/rate-limiter.js';
import type { createReadyAnswer } from '../services/ready-answer.js';
import type { Usage } from '../services/usage.js';
import type { Metrics } from './metrics.js';

/**
 * What every route module gets (`register(app, ctx)`, one module per concern under routes/): the
 * services, the limits, call counting and metrics, and the helpers that make every answer look
 * the same (the vendor's envelope for failures, bodies parsed by the routes).
 */
export interface RouteContext {
  readonly services: ServiceDeps;
  readonly limiter: RateLimiter;
  readonly usage: Usage;
  readonly metrics?: Metrics;
  /** The tasks_ready answer, shared with the raw fast path. */
  readonly readyAnswer: ReturnType<typeof createReadyAnswer>;
}

export type RegisterRoutes = (app: FastifyInstance, ctx: RouteContext) => void;

export const JSON_TYPE = 'application/json; charset=utf-8';
/** Read endpoints answer GET and POST alike, as the vendor's do. */
export const READ_METHODS: ('GET' | 'POST')[] = ['GET', 'POST'];

/** A top-level answer without tasks (an unknown path, a refused body, a limit). */
export function sendEnvelope(reply: FastifyReply, status: StatusDef, startedAt: number): FastifyReply {
  return reply
    .code(status.http)
    .type(JSON_TYPE)
    .send(JSON.stringify(envelope(status, { timeMs: performance.now() - startedAt, tasks: null })));
}

export const INVALID = Symbol('invalid body');

/**
 * The request body as JSON: undefined when empty, INVALID when it does not parse. Bodies are parsed
 * by the routes, so that an empty or malformed body becomes 40502/40503 in the vendor's envelope.
 */
export function jsonBody(req: FastifyRequest): unknown {
  const raw = req.body as Buffer | undefined;
  const text = raw && raw.length > 0 ? raw.toString('utf8').trim() : '';
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

/** Official clients may gzip request bodies: unpacked before parsing (a route-level hook of POST routes). */
export async function gunzipBody(req: FastifyRequest, _reply: FastifyReply, payload: NodeJS.ReadableStream & { on: Function }) {
  if (String(req.headers['content-encoding'] ?? '').toLowerCase() !== 'gzip') return payload;
  const gunzip = createGunzip();
  let encoded = 0;
  payload.on('data', (chunk: Buffer) => {
    encoded += chunk.length;
    // Fastify compares the bytes received with Content-Length, which counts the compressed body.
    (gunzip as unknown as { receivedEncodedLength: number }).receivedEncodedLength = encoded;
  });
  payload.on('error', (err: Error) => gunzip.destroy(err));
  return payload.pipe(gunzip);
}

/** The authenticated caller and the call's start (set by the server's onRequest hook). */
export function ctxOf(req: FastifyRequest): CallContext {
  return { account: req.account as AccountRow, url: req.url, startedAt: req.startedAt };
}
