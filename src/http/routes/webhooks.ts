import type { FastifyInstance } from 'fastify';
import { STATUS } from '../../domain/status-codes.js';
import { listErrors, resendWebhooks } from '../../services/webhooks.js';
import { INVALID, JSON_TYPE, type RouteContext, ctxOf, gunzipBody, jsonBody, sendEnvelope } from '../route-context.js';

/** POST /v3/serp/errors (failed webhooks and executions) and POST /v3/appendix/webhook_resend. */
export function register(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/v3/serp/errors', { preParsing: gunzipBody }, async (req, reply) => {
    const body = jsonBody(req);
    if (body === INVALID) return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
    const out = await listErrors(ctx.services, ctxOf(req), body);
    return reply.code(out.httpStatus).type(JSON_TYPE).send(JSON.stringify(out.body));
  });

  app.post('/v3/appendix/webhook_resend', { preParsing: gunzipBody }, async (req, reply) => {
    const body = jsonBody(req);
    if (body === INVALID) return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
    const out = await resendWebhooks(ctx.services, ctxOf(req), body);
    return reply.code(out.httpStatus).type(JSON_TYPE).send(JSON.stringify(out.body));
  });
}
