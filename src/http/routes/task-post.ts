import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findSeType } from '../../domain/catalog.js';
import { STATUS } from '../../domain/status-codes.js';
import { postTasks, serpPostedType } from '../../services/post-tasks.js';
import { INVALID, JSON_TYPE, type RouteContext, ctxOf, gunzipBody, jsonBody, sendEnvelope } from '../route-context.js';

/** POST .../task_post: up to 100 tasks a call, each validated and answered on its own. */
export function register(app: FastifyInstance, ctx: RouteContext): void {
  app.post(
    '/v3/serp/:se/:seType/task_post',
    { preParsing: gunzipBody },
    async (req: FastifyRequest<{ Params: { se: string; seType: string } }>, reply) => {
      const def = findSeType(req.params.se, req.params.seType);
      if (!def) return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
      const body = jsonBody(req);
      if (body === INVALID) return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
      const out = await postTasks(ctx.services, ctxOf(req), serpPostedType(def), body);
      ctx.metrics?.tasksPosted(def.se, def.seType, out.body.tasks?.filter((t) => t.status_code === STATUS.TASK_CREATED.code).length ?? 0);
      return reply.code(out.httpStatus).type(JSON_TYPE).send(JSON.stringify(out.body));
    },
  );
}
