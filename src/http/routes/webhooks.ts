import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasEndpoint } from '../../services/catalog.js';
import { STATUS } from '../../domain/status-codes.js';
import { listErrors, resendWebhooks } from '../../services/webhooks.js';
import { INVALID, JSON_TYPE, type RouteContext, ctxOf, gunzipBody, jsonBody, sendEnvelope } from '../route-context.js';

/**
 * POST /v3/{api}/errors (failed webhooks and executions of that API's tasks, for every API whose
 * catalog has the path) and POST /v3/appendix/webhook_resend.
 */
export function register(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/v3/:api/errors', { preParsing: gunzipBody }, async (req: FastifyRequest<{ Params: { api: string } }>, reply) => {
    const { api } = req.params;
    if (!(await hasEndpoint(api, 'POST', `${api}/errors`))) return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
    const body = jsonBody(req);
    if (body === INVALID) return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
    const out = await listErrors(ctx.services, ctxOf(req), body, api);
    return reply.code(out.httpStatus).type(JSON_TYPE).send(JSON.stringify(out.body));
  });

  app.post('/v3/appendix/webhook_resend', { preParsing: gunzipBody }, async (req, reply) => {
    const body = jsonBody(req);
    if (body === INVALID) return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
    const out = await resendWebhooks(ctx.services, ctxOf(req), body);
    return reply.code(out.httpStatus).type(JSON_TYPE).send(JSON.stringify(out.body));
  });
}
