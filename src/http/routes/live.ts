import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stringifyEnvelope } from '../../contracts/envelope.js';
import { type ResultFunction, findSeType } from '../../domain/catalog.js';
import { STATUS } from '../../domain/status-codes.js';
import { runLive } from '../../services/live.js';
import { INVALID, JSON_TYPE, type RouteContext, ctxOf, gunzipBody, jsonBody, sendEnvelope } from '../route-context.js';

/** POST .../live/{regular|advanced|html}: one task, executed while the caller waits. */
export function register(app: FastifyInstance, ctx: RouteContext): void {
  app.post(
    '/v3/serp/:se/:seType/live/:fn',
    { preParsing: gunzipBody },
    async (req: FastifyRequest<{ Params: { se: string; seType: string; fn: string } }>, reply) => {
      const { se, seType, fn } = req.params;
      const def = findSeType(se, seType);
      if (!def || !def.live.includes(fn as ResultFunction)) return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
      const body = jsonBody(req);
      if (body === INVALID) return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
      const out = await runLive(ctx.services, ctxOf(req), def, fn as ResultFunction, body);
      return reply.code(out.httpStatus).type(JSON_TYPE).send(stringifyEnvelope(out.body));
    },
  );
}
