import type { FastifyInstance } from 'fastify';
import { storeReachable } from '../../services/health.js';
import type { RouteContext } from '../route-context.js';

/** GET /healthz (serving) and GET /readyz (the store answers). */
export function register(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const ok = await storeReachable(ctx.services);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable' });
  });
}
