import { createServer } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerDashboard } from '../admin/dashboard-routes.js';
import { type AdminDeps, registerAdmin } from '../admin/routes.js';
import type { AccountRow } from '../domain/account.js';
import { STATUS } from '../domain/status-codes.js';
import type { Authenticator } from '../services/auth.js';
import type { ServiceDeps } from '../services/deps.js';
import type { RateLimiter } from '../services/rate-limiter.js';
import { createReadyAnswer } from '../services/ready-answer.js';
import type { Usage } from '../services/usage.js';
import { registerAiResponses, rewriteAiUrl } from './ai-responses.js';
import { createFastReady } from './fast-ready.js';
import { createGate } from './gate.js';
import { type Metrics, countFastReady, registerMetrics } from './metrics.js';
import { type RegisterRoutes, type RouteContext, sendEnvelope } from './route-context.js';
import * as appendix from './routes/appendix.js';
import * as catalog from './routes/catalog.js';
import * as health from './routes/health.js';
import * as live from './routes/live.js';
import * as relayPostback from './routes/relay-postback.js';
import * as taskGet from './routes/task-get.js';
import * as taskPost from './routes/task-post.js';
import * as tasksReady from './routes/tasks-ready.js';
import * as webhooks from './routes/webhooks.js';
import { lazySchemaCompilers } from './schema-compilers.js';

/** The route modules, by concern, each `register(app, ctx)`. */
const ROUTES: readonly RegisterRoutes[] = [
  health.register,
  tasksReady.register,
  taskPost.register,
  live.register,
  webhooks.register,
  taskGet.register,
  appendix.register,
  relayPostback.register,
  catalog.register,
];

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

/** How long an idle keep-alive connection stays open. */
export const KEEP_ALIVE_MS = 72_000;

export function createHttpServer(deps: HttpDeps): FastifyInstance {
  const { services, limiter } = deps;
  const gate = createGate(deps.auth, limiter);
  const { metrics } = deps;
  const readyAnswer = createReadyAnswer(services, limiter);
  const fastReady = createFastReady(
    gate,
    readyAnswer,
    (accountId) => deps.usage.record(accountId, 'tasks_ready'),
    metrics && ((scope, status, startedAt) => countFastReady(metrics, scope, status, startedAt)),
  );
  const app = Fastify({
    logger: deps.logLevel && deps.logLevel !== 'silent' ? { level: deps.logLevel } : false,
    bodyLimit: 32 * 1024 * 1024,
    return503OnClosing: true,
    schemaController: lazySchemaCompilers,
    // `.ai` paths are routed as their plain paths and their answers cropped (ai-responses.ts).
    rewriteUrl: rewriteAiUrl,
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

  // Bodies are parsed by the routes (route-context.ts jsonBody), so that an empty or malformed body
  // becomes 40502/40503 in the vendor's envelope instead of a framework error; any content type is
  // accepted, as the vendor does.
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

  registerAdmin(app, deps.admin);
  registerAiResponses(app);
  const ctx: RouteContext = { services, limiter, usage: deps.usage, metrics, readyAnswer };
  for (const routes of ROUTES) routes(app, ctx);

  return app;
}
