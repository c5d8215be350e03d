import { createGunzip } from 'node:zlib';
import { createServer } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type ResultFunction, findSeType } from '../domain/catalog.js';
import { appendixErrors } from '../services/appendix.js';
import { STATUS, type StatusDef } from '../domain/status-codes.js';
import { envelope, stringifyEnvelope } from '../contracts/envelope.js';
import type { Authenticator } from '../services/auth.js';
import type { CallContext, ServiceDeps } from '../services/deps.js';
import { getTask } from '../services/get-task.js';
import { storeReachable } from '../services/health.js';
import { listReady } from '../services/list-ready.js';
import { postTasks } from '../services/post-tasks.js';
import { listErrors, resendWebhooks } from '../services/webhooks.js';
import { runLive } from '../services/live.js';
import type { Usage } from '../services/usage.js';
import { registerAppendixRoutes } from './appendix-routes.js';
import { registerRelayRoutes } from './relay-routes.js';
import type { RateLimiter } from '../services/rate-limiter.js';
import type { AccountRow } from '../domain/account.js';
import { registerAdmin, type AdminDeps } from '../admin/routes.js';
import { registerDashboard } from '../admin/dashboard-routes.js';
import { createReadyAnswer, createFastReady, flatBody } from './fast-ready.js';
import { createGate } from './gate.js';
import { type Metrics, countFastReady, registerMetrics } from './metrics.js';
import { lazySchemaCompilers } from './schema-compilers.js';

/**
 * The HTTP edge: routes, Basic auth, per-account limits, body parsing and the mapping of every
 * failure to the vendor's envelope. HTTP status is 200 for everything except 401 (bad credentials),
 * 402 (payment), 404 (unknown path) and 500; bad input never reaches a stack trace.
 */
export interface HttpDeps {
  readonly services: ServiceDeps;
  readonly auth: Authenticator;
  readonly limiter: RateLimiter;
  readonly admin: AdminDeps;
  readonly usage: Usage;
  readonly logLevel?: string;
  /** Prometheus metrics: requests are counted and GET /metrics is served (behind the admin token unless public). */
  readonly metrics?: Metrics;
  readonly metricsPublic?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    account?: AccountRow;
    startedAt: number;
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';
const FUNCTIONS: readonly string[] = ['regular', 'advanced', 'html'];

function sendEnvelope(reply: FastifyReply, status: StatusDef, startedAt: number): FastifyReply {
  return reply
    .code(status.http)
    .type(JSON_TYPE)
    .send(JSON.stringify(envelope(status, { timeMs: performance.now() - startedAt, tasks: null })));
}

const INVALID = Symbol('invalid body');

/** The request body as JSON: undefined when empty, INVALID when it does not parse. */
function jsonBody(req: FastifyRequest): unknown {
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
async function gunzipBody(req: FastifyRequest, _reply: FastifyReply, payload: NodeJS.ReadableStream & { on: Function }) {
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

function ctxOf(req: FastifyRequest): CallContext {
  return { account: req.account as AccountRow, url: req.url, startedAt: req.startedAt };
}

/** How long an idle keep-alive connection stays open. */
export const KEEP_ALIVE_MS = 72_000;

export function createHttpServer(deps: HttpDeps): FastifyInstance {
  const { services, limiter } = deps;
  const gate = createGate(deps.auth, limiter);
  const { metrics } = deps;
  const fastReady = createFastReady(
    gate,
    createReadyAnswer(services, limiter),
    (accountId) => deps.usage.record(accountId, 'tasks_ready'),
    metrics && ((scope, status, startedAt) => countFastReady(metrics, scope, status, startedAt)),
  );
  const app = Fastify({
    logger: deps.logLevel && deps.logLevel !== 'silent' ? { level: deps.logLevel } : false,
    bodyLimit: 32 * 1024 * 1024,
    return503OnClosing: true,
    schemaController: lazySchemaCompilers,
    // tasks_ready is the hottest call: GETs of it are answered before the router (see fast-ready.ts).
    serverFactory: (handler) => {
      const server = createServer((req, res) => fastReady(req, res) || handler(req, res));
      // Fastify sets this only on servers it makes itself. Node's own 5 s closes idle keep-alive
      // connections so soon that a client reusing one after a pause races the close ("socket hang
      // up"); 72 s outlasts the idle timeouts of common HTTP clients, as web servers' defaults do.
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      return server;
    },
  });

  app.decorateRequest('account', undefined);
  app.decorateRequest('startedAt', 0);
  if (deps.metrics) registerMetrics(app, deps.metrics, { token: deps.admin.token, isPublic: deps.metricsPublic ?? false });
  registerDashboard(app, { admin: deps.admin, services });

  // Bodies are parsed by the routes, so that an empty or malformed body becomes 40502/40503 in the
  // vendor's envelope instead of a framework error; any content type is accepted, as the vendor does.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req, reply) => {
    req.startedAt = performance.now();
    if (!req.url.startsWith('/v3/')) return;
    const g = await gate(req.headers.authorization);
    reply.headers(g.headers);
    if (!g.ok) return sendEnvelope(reply, g.status, req.startedAt);
    req.account = g.account;
    reply.raw.once('close', g.release);
  });

  app.setNotFoundHandler((req, reply) => sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt || performance.now()));

  app.setErrorHandler((err: { statusCode?: number; code?: string }, req, reply) => {
    const started = req.startedAt || performance.now();
    // Framework-level client errors (body too large, broken gzip, aborted upload) are bad POST data.
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return sendEnvelope(reply, STATUS.POST_DATA_INVALID, started);
    }
    req.log.error({ err }, 'request failed');
    return sendEnvelope(reply, STATUS.INTERNAL_ERROR, started);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const ok = await storeReachable(services);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable' });
  });

  registerAdmin(app, deps.admin);

  /** Applies the tasks_ready/tasks_fixed per-minute limit (default 20) and answers 40202 past it. */
  const readyLimited = async (req: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const account = req.account as AccountRow;
    if ((await limiter.hit(`ready:${account.id}`, account.limits.tasksReadyPerMinute)).allowed) return false;
    sendEnvelope(reply, STATUS.RATE_LIMIT, req.startedAt);
    return true;
  };

  const ready = createReadyAnswer(services, limiter);
  const readyHandler = async (req: FastifyRequest<{ Params: { se?: string; seType?: string } }>, reply: FastifyReply) => {
    const out = await ready(req.account as AccountRow, req.url, req.startedAt, req.params.se, req.params.seType);
    return reply.code(out.status).type(JSON_TYPE).send(flatBody(out.body));
  };
  const readMethods: ('GET' | 'POST')[] = ['GET', 'POST'];
  app.route({ method: readMethods, url: '/v3/serp/tasks_ready', handler: readyHandler });
  app.route({ method: readMethods, url: '/v3/serp/:se/tasks_ready', handler: readyHandler });
  app.route({ method: readMethods, url: '/v3/serp/:se/:seType/tasks_ready', handler: readyHandler });

  app.route({
    method: readMethods,
    url: '/v3/serp/:se/:seType/tasks_fixed',
    handler: async (req: FastifyRequest<{ Params: { se: string; seType: string } }>, reply) => {
      const def = findSeType(req.params.se, req.params.seType);
      if (!def || !def.tasksFixed) return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
      if (await readyLimited(req, reply)) return reply;
      return reply.type(JSON_TYPE).send(await listReady(services, ctxOf(req), { se: def.se, seType: def.seType }, 'tasks_fixed'));
    },
  });

  app.post(
    '/v3/serp/:se/:seType/task_post',
    { preParsing: gunzipBody },
    async (req: FastifyRequest<{ Params: { se: string; seType: string } }>, reply) => {
      const def = findSeType(req.params.se, req.params.seType);
      if (!def) return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
      const body = jsonBody(req);
      if (body === INVALID) return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
      const out = await postTasks(services, ctxOf(req), def, body);
      deps.metrics?.tasksPosted(def.se, def.seType, out.body.tasks?.filter((t) => t.status_code === STATUS.TASK_CREATED.code).length ?? 0);
      return reply.code(out.httpStatus).type(JSON_TYPE).send(JSON.stringify(out.body));
    },
  );

  app.post(
    '/v3/serp/:se/:seType/live/:fn',
    { preParsing: gunzipBody },
    async (req: FastifyRequest<{ Params: { se: string; seType: string; fn: string } }>, reply) => {
      const { se, seType, fn } = req.params;
      const def = findSeType(se, seType);
      if (!def || !def.live.includes(fn as ResultFunction)) return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
      const body = jsonBody(req);
      if (body === INVALID) return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
      const out = await runLive(services, ctxOf(req), def, fn as ResultFunction, body);
      return reply.code(out.httpStatus).type(JSON_TYPE).send(stringifyEnvelope(out.body));
    },
  );

  app.post('/v3/serp/errors', { preParsing: gunzipBody }, async (req, reply) => {
    const body = jsonBody(req);
    if (body === INVALID) return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
    const out = await listErrors(services, ctxOf(req), body);
    return reply.code(out.httpStatus).type(JSON_TYPE).send(JSON.stringify(out.body));
  });

  app.post('/v3/appendix/webhook_resend', { preParsing: gunzipBody }, async (req, reply) => {
    const body = jsonBody(req);
    if (body === INVALID) return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
    const out = await resendWebhooks(services, ctxOf(req), body);
    return reply.code(out.httpStatus).type(JSON_TYPE).send(JSON.stringify(out.body));
  });

  app.route({
    method: readMethods,
    url: '/v3/serp/:se/:seType/task_get/:fn/:id',
    handler: async (req: FastifyRequest<{ Params: { se: string; seType: string; fn: string; id: string } }>, reply) => {
      const { se, seType, fn, id } = req.params;
      const def = findSeType(se, seType);
      if (!def || !FUNCTIONS.includes(fn) || !def.getFunctions.includes(fn as ResultFunction)) {
        return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
      }
      const body = await getTask(services, ctxOf(req), def, fn as ResultFunction, id.toLowerCase());
      return reply.type(JSON_TYPE).send(stringifyEnvelope(body));
    },
  });

  app.route({
    method: readMethods,
    url: '/v3/appendix/errors',
    handler: async (req, reply) => reply.type(JSON_TYPE).send(JSON.stringify(appendixErrors(services, ctxOf(req)))),
  });

  registerAppendixRoutes(app, {
    store: services.store,
    clock: services.clock,
    usage: deps.usage,
    ctxOf,
    jsonBody,
    invalid: INVALID,
    sendEnvelope,
    gunzipBody,
  });
  registerRelayRoutes(app, { executor: services.executor, jsonBody, invalid: INVALID, gunzipBody });

  return app;
}
