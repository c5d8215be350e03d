import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS } from '../../domain/status-codes.js';
import { appendixErrors } from '../../services/appendix.js';
import { hasEndpoint } from '../../services/catalog.js';
import { idList } from '../../services/id-list.js';
import { type ReferenceKind, referenceList } from '../../services/reference-lists.js';
import { usageFnOf } from '../../services/usage.js';
import { userData } from '../../services/user-data.js';
import type { ServiceResult } from '../../services/webhooks.js';
import { INVALID, JSON_TYPE, READ_METHODS, type RouteContext, ctxOf, gunzipBody, jsonBody, sendEnvelope } from '../route-context.js';

/**
 * The appendix-style endpoints: POST /v3/{api}/id_list (every API whose catalog has it), the reference lists (GET
 * /v3/serp/{se}/locations[/{country}], /v3/serp/{se}/languages, /v3/serp/google/ai_mode/languages,
 * /v3/serp/google/ads_advertisers/locations, /v3/serp/google/ads_search/locations) and GET
 * /v3/appendix/user_data and /v3/appendix/errors. All free. GET endpoints also answer POST, as the other read endpoints do.
 *
 * The server's onRequest hook has already authenticated every /v3/ request (`req.account`).
 *
 * It also adds an onResponse hook that counts every authenticated /v3/ call in `usage` by function
 * (usageFnOf), for user_data statistics. Calls answered before the router (the tasks_ready fast
 * path) never reach it: count those where they are answered.
 */
export function register(app: FastifyInstance, ctx: RouteContext): void {
  const { services, usage } = ctx;
  const { store, clock } = services;
  const send = (reply: FastifyReply, out: ServiceResult) => reply.code(out.httpStatus).type(JSON_TYPE).send(JSON.stringify(out.body));

  app.addHook('onResponse', async (req, reply) => {
    // Unauthenticated calls and unknown paths are not API calls of the account.
    if (!req.account || reply.statusCode === 404) return;
    const fn = usageFnOf(req.url);
    if (fn) usage.record(req.account.id, fn);
  });

  app.post('/v3/:api/id_list', { preParsing: gunzipBody }, async (req: FastifyRequest<{ Params: { api: string } }>, reply) => {
    const { api } = req.params;
    if (!(await hasEndpoint(api, 'POST', `${api}/id_list`))) return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
    const body = jsonBody(req);
    if (body === INVALID) return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
    return send(reply, await idList({ store, clock }, ctxOf(req), body, api));
  });

  const reference =
    (kind: ReferenceKind) =>
    async (req: FastifyRequest<{ Params: { se: string; seType?: string; country?: string } }>, reply: FastifyReply) => {
      const { se, seType, country } = req.params;
      const out = referenceList({ clock }, ctxOf(req), { kind, se, seType, country });
      if (!out) return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
      return send(reply, out);
    };
  app.route({ method: READ_METHODS, url: '/v3/serp/:se/locations', handler: reference('locations') });
  app.route({ method: READ_METHODS, url: '/v3/serp/:se/locations/:country', handler: reference('locations') });
  app.route({ method: READ_METHODS, url: '/v3/serp/:se/languages', handler: reference('languages') });
  // Type-level lists (google/ai_mode/languages, google/ads_*/locations); other types answer 40400.
  app.route({ method: READ_METHODS, url: '/v3/serp/:se/:seType/locations', handler: reference('locations') });
  app.route({ method: READ_METHODS, url: '/v3/serp/:se/:seType/languages', handler: reference('languages') });

  app.route({
    method: READ_METHODS,
    url: '/v3/appendix/errors',
    handler: async (req, reply) => reply.type(JSON_TYPE).send(JSON.stringify(appendixErrors(services, ctxOf(req)))),
  });

  app.route({
    method: READ_METHODS,
    url: '/v3/appendix/user_data',
    handler: async (req, reply) => send(reply, await userData({ store, clock, usage }, ctxOf(req))),
  });
}
