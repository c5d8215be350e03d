import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountRow } from '../../domain/account.js';
import { findSeType } from '../../domain/catalog.js';
import { STATUS } from '../../domain/status-codes.js';
import { listReady } from '../../services/list-ready.js';
import { flatBody, readyKey, serpReadyScope } from '../../services/ready-answer.js';
import { JSON_TYPE, READ_METHODS, type RouteContext, ctxOf, sendEnvelope } from '../route-context.js';

/**
 * tasks_ready at the SERP, engine and type scopes (GETs usually answered before the router, by
 * fast-ready.ts, with the same answer), and tasks_fixed, which shares its per-minute limit.
 */
export function register(app: FastifyInstance, ctx: RouteContext): void {
  const { services, limiter, readyAnswer } = ctx;

  const readyHandler = async (req: FastifyRequest<{ Params: { se?: string; seType?: string } }>, reply: FastifyReply) => {
    const scope = serpReadyScope(req.params.se, req.params.seType);
    const out = await readyAnswer(req.account as AccountRow, req.url, req.startedAt, scope);
    return reply.code(out.status).type(JSON_TYPE).send(flatBody(out.body));
  };
  app.route({ method: READ_METHODS, url: '/v3/serp/tasks_ready', handler: readyHandler });
  app.route({ method: READ_METHODS, url: '/v3/serp/:se/tasks_ready', handler: readyHandler });
  app.route({ method: READ_METHODS, url: '/v3/serp/:se/:seType/tasks_ready', handler: readyHandler });

  app.route({
    method: READ_METHODS,
    url: '/v3/serp/:se/:seType/tasks_fixed',
    handler: async (req: FastifyRequest<{ Params: { se: string; seType: string } }>, reply) => {
      const def = findSeType(req.params.se, req.params.seType);
      if (!def || !def.tasksFixed) return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
      // The tasks_ready per-minute limit (default 20) covers tasks_fixed too: 40202 past it.
      const account = req.account as AccountRow;
      if (!(await limiter.hit(readyKey(account, { api: 'serp' }), account.limits.tasksReadyPerMinute)).allowed) {
        return sendEnvelope(reply, STATUS.RATE_LIMIT, req.startedAt);
      }
      return reply
        .type(JSON_TYPE)
        .send(await listReady(services, ctxOf(req), { api: 'serp', se: def.se, seType: def.seType }, 'tasks_fixed'));
    },
  });
}
