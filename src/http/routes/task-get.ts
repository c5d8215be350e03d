import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stringifyEnvelope } from '../../contracts/envelope.js';
import { type ResultFunction, findSeType } from '../../domain/catalog.js';
import { STATUS } from '../../domain/status-codes.js';
import { getTask } from '../../services/get-task.js';
import { JSON_TYPE, READ_METHODS, type RouteContext, ctxOf, sendEnvelope } from '../route-context.js';

const FUNCTIONS: readonly string[] = ['regular', 'advanced', 'html'];

/** .../task_get/{function}/{id}: a function the type lacks is an unknown path (404 / 40400). */
export function register(app: FastifyInstance, ctx: RouteContext): void {
  app.route({
    method: READ_METHODS,
    url: '/v3/serp/:se/:seType/task_get/:fn/:id',
    handler: async (req: FastifyRequest<{ Params: { se: string; seType: string; fn: string; id: string } }>, reply) => {
      const { se, seType, fn, id } = req.params;
      const def = findSeType(se, seType);
      if (!def || !FUNCTIONS.includes(fn) || !def.getFunctions.includes(fn as ResultFunction)) {
        return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
      }
      const body = await getTask(ctx.services, ctxOf(req), def, fn as ResultFunction, id.toLowerCase());
      return reply.type(JSON_TYPE).send(stringifyEnvelope(body));
    },
  });
}
