import type { FastifyInstance, FastifyRequest } from 'fastify';
import { STATUS } from '../domain/status-codes.js';
import type { ServiceDeps } from '../services/deps.js';
import { resendWebhooks } from '../services/webhooks.js';
import { type DashboardData, createDashboardData } from './dashboard-data.js';
import { registerDashboardPage } from './dashboard-page.js';
import { type EventHub, createEventHub } from './events.js';
import { type AdminDeps, adminTokenError, tokenMatches } from './routes.js';

/**
 * The operator dashboard's routes: the page itself (public, see dashboard-page.ts) and the admin
 * endpoints it reads, behind the admin token like the rest of the admin API (plain JSON):
 *
 * - `GET /admin/overview`: clock, queue (queued, running, ready, oldest queued age) and tasks
 *   completed per minute over the last 30 minutes, over every account and node.
 * - `GET /admin/failures`: the latest failed tasks and failed webhooks, over every account.
 * - `GET /admin/dashboard`: overview, accounts (with `spent_today`), failures and, on a relay, the
 *   upstream (GET /admin/upstream with the tasks relayed and cache hits of every account) in one answer.
 * - `GET /admin/events`: the same snapshot as server-sent events, every 2 s and soon after a change.
 * - `POST /admin/tasks/:id/resend`: the task's webhooks again (webhook_resend for the task's account).
 */
export interface DashboardDeps {
  readonly admin: AdminDeps;
  readonly services: ServiceDeps;
}

export function registerDashboard(app: FastifyInstance, deps: DashboardDeps): { data: DashboardData; events: EventHub } {
  const { admin: adminDeps, services } = deps;
  const data = createDashboardData({
    store: services.store,
    clock: adminDeps.clock,
    faultInjection: !!adminDeps.injectFaults,
    upstream: adminDeps.upstream,
  });
  const events = createEventHub({ read: () => data.refresh(), onError: (err) => app.log.error({ err }, 'dashboard snapshot failed') });

  registerDashboardPage(app);

  // Changes made through this process show on open dashboards at once: admin writes (clock, faults,
  // accounts, resend, reset) and task_post (the queue moves). A change made through another node
  // shows with the next tick.
  app.addHook('onResponse', async (req) => {
    if (req.method === 'GET' || events.size() === 0) return;
    if (req.url.startsWith('/admin/')) {
      data.forget();
      events.poke();
    } else if (req.url.endsWith('/task_post')) events.poke();
  });
  // Open streams never end on their own: end them before the server waits for its connections.
  app.addHook('preClose', async () => events.close());

  app.register(async (admin) => {
    admin.addHook('onRequest', async (req, reply) => {
      if (!tokenMatches(req.headers.authorization, adminDeps.token)) {
        reply.header('WWW-Authenticate', 'Bearer');
        return reply.code(401).send({ error: adminTokenError(req.headers.authorization) });
      }
    });

    admin.get('/admin/overview', async () => (await data.snapshot()).overview);
    admin.get('/admin/failures', async () => (await data.snapshot()).failures);
    admin.get('/admin/dashboard', async () => data.snapshot());

    admin.get('/admin/events', (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // Proxies that buffer responses (nginx) would hold the frames back.
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      res.write('retry: 2000\n\n');
      req.raw.socket.setNoDelay(true);
      events.subscribe(res);
    });

    // The vendor's webhook_resend for the task's own account: the same checks and wake-up, so a
    // resend from the dashboard behaves exactly like one through the API.
    admin.post('/admin/tasks/:id/resend', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const id = req.params.id.toLowerCase();
      const task = await adminDeps.store.taskById(id);
      const account = task && (await adminDeps.store.accountById(task.accountId));
      if (!task || !account) return reply.code(404).send({ error: `no task '${req.params.id}'` });
      const out = await resendWebhooks(services, { account, url: '/v3/appendix/webhook_resend', startedAt: performance.now() }, [{ id }]);
      const code = out.body.tasks?.[0]?.status_code;
      if (code !== STATUS.OK.code) {
        return reply
          .code(409)
          .send({ error: `task '${id}' has no webhook to send again (not completed, or posted without postback_url and pingback_url)` });
      }
      return { task_id: id, resent: true };
    });
  });

  return { data, events };
}
