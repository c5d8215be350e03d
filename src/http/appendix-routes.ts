import type { FastifyInstance, FastifyReply, FastifyRequest, preParsingHookHandler } from 'fastify';
import type { Clock } from '../domain/clock.js';
import { STATUS, type StatusDef } from '../domain/status-codes.js';
import type { CallContext, ServiceDeps } from '../services/deps.js';
import { idList } from '../services/id-list.js';
import { type ReferenceKind, referenceList } from '../services/reference-lists.js';
import { type Usage, usageFnOf } from '../services/usage.js';
import { userData } from '../services/user-data.js';
import type { ServiceResult } from '../services/webhooks.js';

/**
 * The appendix-style endpoints: POST /v3/serp/id_list, the reference lists (GET
 * /v3/serp/{se}/locations[/{country}], /v3/serp/{se}/languages, /v3/serp/google/ai_mode/languages,
 * /v3/serp/google/ads_advertisers/locations, /v3/serp/google/ads_search/locations) and GET
 * /v3/appendix/user_data. All free. GET endpoints also answer POST, as the other read endpoints do.
 *
 * The server's onRequest hook has already authenticated every /v3/ request (`req.account`); the
 * envelope helpers of the server are passed in, so failures look exactly like everywhere else.
 *
 * It also adds an onResponse hook that counts every authenticated /v3/ call in `usage` by function
 * (usageFnOf), for user_data statistics. Calls answered before the router (the tasks_ready fast
 * path) never reach it: count those where they are answered.
 */
export interface AppendixRouteDeps {
  readonly store: ServiceDeps['store'];
  readonly clock: Clock;
  readonly usage: Usage;
  /** server.ts `ctxOf`. */
  readonly ctxOf: (req: FastifyRequest) => CallContext;
  /** server.ts `jsonBody`: the parsed body, undefined when empty, `invalid` when it does not parse. */
  readonly jsonBody: (req: FastifyRequest) => unknown;
  readonly invalid: unknown;
  /** server.ts `sendEnvelope`: a top-level answer without tasks. */
  readonly sendEnvelope: (reply: FastifyReply, status: StatusDef, startedAt: number) => FastifyReply;
  /** server.ts `gunzipBody` (request bodies may be gzipped); optional. */
  readonly gunzipBody?: preParsingHookHandler;
  /** Counts calls in `usage` from an onResponse hook (default true). */
  readonly countUsage?: boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const READ_METHODS: ('GET' | 'POST')[] = ['GET', 'POST'];

export function registerAppendixRoutes(app: FastifyInstance, deps: AppendixRouteDeps): void {
  const { store, clock, usage, ctxOf } = deps;
  const send = (reply: FastifyReply, out: ServiceResult) => reply.code(out.httpStatus).type(JSON_TYPE).send(JSON.stringify(out.body));

  if (deps.countUsage !== false) {
    app.addHook('onResponse', async (req, reply) => {
      // Unauthenticated calls and unknown paths are not API calls of the account.
      if (!req.account || reply.statusCode === 404) return;
      const fn = usageFnOf(req.url);
      if (fn) usage.record(req.account.id, fn);
    });
  }

  app.post('/v3/serp/id_list', deps.gunzipBody ? { preParsing: deps.gunzipBody } : {}, async (req, reply) => {
    const body = deps.jsonBody(req);
    if (body === deps.invalid) return deps.sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
    return send(reply, await idList({ store, clock }, ctxOf(req), body));
  });

  const reference =
    (kind: ReferenceKind) =>
    async (req: FastifyRequest<{ Params: { se: string; seType?: string; country?: string } }>, reply: FastifyReply) => {
      const { se, seType, country } = req.params;
      const out = referenceList({ clock }, ctxOf(req), { kind, se, seType, country });
      if (!out) return deps.sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
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
    url: '/v3/appendix/user_data',
    handler: async (req, reply) => send(reply, await userData({ store, clock, usage }, ctxOf(req))),
  });
}
