import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stringifyEnvelope } from '../../contracts/envelope.js';
import type { ApiCatalog, EndpointMatch } from '../../domain/api-catalog/index.js';
import { catalogPostedType, catalogReadyScope, getCatalogTask, servesTaskEndpoint } from '../../services/catalog-tasks.js';
import { callCrawlFunction, isCrawlEndpoint } from '../../services/on-page.js';
import { postTasks } from '../../services/post-tasks.js';
import { flatBody } from '../../services/ready-answer.js';
import { STATUS } from '../../domain/status-codes.js';
import { catalogOf } from '../../services/catalog.js';
import { callEndpoint, servesEndpoint, specialLimitOf } from '../../services/endpoint-calls.js';
import { callUnknown } from '../../services/unknown-calls.js';
import { matchEndpoint } from '../../domain/api-catalog/index.js';
import { INVALID, JSON_TYPE, READ_METHODS, type RouteContext, ctxOf, gunzipBody, jsonBody, sendEnvelope } from '../route-context.js';

/**
 * Every other path under /v3/: resolved against the catalog of every API (its module loaded on the
 * API's first call). The other APIs' task types (task_post, tasks_ready, task_get) are answered by
 * services/catalog-tasks.ts on SERP's task engine, On-Page's functions over a crawl and force_stop by
 * services/on-page.ts, live endpoints and reference lists outside the SERP engine by
 * services/endpoint-calls.ts; a path the catalog does not know, or one this process does not serve
 * (its executor lacks the capability), answers 404 in the vendor's envelope; a relay started with
 * --relay-pass-unknown passes the unknown ones upstream instead (services/unknown-calls.ts).
 */
export function register(app: FastifyInstance, ctx: RouteContext): void {
  /** task_post, tasks_ready and task_get of the other APIs' task types (services/catalog-tasks.ts). */
  const taskSystem = async (req: FastifyRequest, reply: FastifyReply, api: ApiCatalog, found: EndpointMatch) => {
    const { endpoint } = found;
    if (endpoint.kind === 'tasks_ready') {
      const out = await ctx.readyAnswer(req.account!, req.url, req.startedAt, catalogReadyScope(api, endpoint));
      return reply.code(out.status).type(JSON_TYPE).send(flatBody(out.body));
    }
    if (endpoint.kind === 'task_get') {
      const out = await getCatalogTask(ctx.services, ctxOf(req), api, endpoint, found.params.id ?? '');
      return reply.type(JSON_TYPE).send(stringifyEnvelope(out));
    }
    const type = endpoint.type ? api.types[endpoint.type] : undefined;
    if (!type) return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
    const body = jsonBody(req);
    if (body === INVALID) return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
    const posted = catalogPostedType(api, type, endpoint, req.account!.noSubscriptions);
    const out = await postTasks(ctx.services, ctxOf(req), posted, body);
    ctx.metrics?.tasksPosted(
      posted.se,
      posted.seType,
      out.body.tasks?.filter((t) => t.status_code === STATUS.TASK_CREATED.code).length ?? 0,
    );
    return reply.code(out.httpStatus).type(JSON_TYPE).send(JSON.stringify(out.body));
  };

  /** A path the catalog does not know: 404, or passed upstream by a relay with --relay-pass-unknown (services/unknown-calls.ts). */
  const unknownPath = async (req: FastifyRequest, reply: FastifyReply, rest: string) => {
    if (!ctx.services.executor.passUnknown) return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
    const special = specialLimitOf(rest);
    if (special) {
      const decision = await ctx.limiter.hit(`special:${req.account!.id}:${special.bucket}`, special.callsPerMinute);
      if (!decision.allowed) return sendEnvelope(reply, STATUS.RATE_LIMIT, req.startedAt);
    }
    const method = req.method === 'GET' ? 'GET' : 'POST';
    const body = method === 'POST' ? jsonBody(req) : undefined;
    if (body === INVALID) return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
    const out = await callUnknown(ctx.services, ctxOf(req), method, rest.split('/'), body);
    if (!out) return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
    return reply.code(out.httpStatus).type(JSON_TYPE).send(JSON.stringify(out.body));
  };

  app.route({
    method: READ_METHODS,
    url: '/v3/*',
    preParsing: gunzipBody,
    handler: async (req: FastifyRequest<{ Params: { '*': string } }>, reply) => {
      const rest = req.params['*'].replace(/\/+$/, '');
      const slash = rest.indexOf('/');
      const api = await catalogOf(slash < 0 ? rest : rest.slice(0, slash));
      const match = api ? matchEndpoint(api, req.method === 'GET' ? 'GET' : 'POST', rest) : null;
      // Read endpoints answer POST as well, as the SERP ones do.
      const found = match ?? (api && req.method === 'POST' ? matchEndpoint(api, 'GET', rest) : null);
      if (api && found && servesTaskEndpoint(found.endpoint, ctx.services.executor)) return taskSystem(req, reply, api, found);
      if (api && found && ctx.services.executor.executeTask && isCrawlEndpoint(found.endpoint)) {
        const body = found.endpoint.method === 'POST' ? jsonBody(req) : undefined;
        if (body === INVALID) return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
        const out = await callCrawlFunction(ctx.services, ctxOf(req), found.endpoint, found.params.id, body);
        return reply.code(out.httpStatus).type(JSON_TYPE).send(JSON.stringify(out.body));
      }
      if (!api || !found) return unknownPath(req, reply, rest);
      if (!servesEndpoint(found.endpoint)) return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
      const special = specialLimitOf(found.endpoint.path);
      if (special) {
        // Counted like the account's other per-minute limits (in process, or shared through the store).
        const decision = await ctx.limiter.hit(`special:${req.account!.id}:${special.bucket}`, special.callsPerMinute);
        if (!decision.allowed) return sendEnvelope(reply, STATUS.RATE_LIMIT, req.startedAt);
      }
      let body: unknown;
      if (found.endpoint.method === 'POST') {
        body = jsonBody(req);
        if (body === INVALID) return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
      }
      const out = await callEndpoint(ctx.services, ctxOf(req), api, found, body);
      if (!out) return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
      return reply.code(out.httpStatus).type(JSON_TYPE).send(JSON.stringify(out.body));
    },
  });
}
