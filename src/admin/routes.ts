import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Clock, isTravelClock } from '../domain/clock.js';
import { AccountInputError, type AccountInput, createAccount, publicAccount, updateAccount } from '../services/accounts.js';
import type { RelayLedger } from '../executors/relay/ledger.js';
import type { Accounts, Budgets, Outbox, TaskHistory, TaskReads } from '../store/store.js';
import { budgetView, forgetBudgets, parseBudget, resendBudgetAlerts } from '../services/budgets.js';
import { deliveryLog, taskView } from './task-view.js';

/**
 * The admin API: plain JSON (not the vendor envelope), `Authorization: Bearer <admin token>`.
 * GET/POST /admin/clock, GET/POST /admin/accounts, PATCH /admin/accounts/:login, POST /admin/settle,
 * GET /admin/tasks/:id (one task, see task-view.ts) and GET /admin/tasks/:id/deliveries; budgets
 * (POST/GET /admin/accounts/:login/budgets, DELETE .../budgets/:id, and POST .../budgets/:id/alerts/resend
 * to send the current period's alerts again; services/budgets.ts).
 *
 * Accounts take (and show) `login`, `password`, `balance` (USD), `limits`, `webhook_retries`,
 * `webhook_secret`, and the vendor's dashboard controls: `daily_cost_limit` (USD per UTC day, 40203
 * past it; null = no cap), `duplicate_limit_hour` and `duplicate_limit_day` (identical tasks allowed
 * per hour / per day: 10, 20, ... 100; 40205 / 40206 past them; null = off), and `subscriptions`
 * (`{"backlinks": false}`: the vendor's API subscriptions by path prefix, all on by default; a live call
 * of one the account lacks answers 40204 per task; prefixes not named keep their setting).
 */
export interface AdminDeps {
  readonly store: Accounts &
    Budgets &
    Pick<TaskHistory, 'spentByApiSince'> &
    TaskReads &
    Pick<Outbox, 'deliveriesOf'> &
    Pick<RelayLedger, 'relayUsage'>;
  readonly clock: Clock;
  readonly token: string;
  /** Moves the shared clock forward (an atomic increment in the store); resolves once stored. */
  readonly advanceClock: (ms: number) => Promise<unknown>;
  /** Re-reads the shared clock from the store (so GET /admin/clock answers the stored time). */
  readonly syncClock: () => Promise<void>;
  /** Fault injection into this process's executor, when it supports it. */
  readonly injectFaults?: (statusCode: number, count: number) => void;
  /** Called after an account was created or changed (caches drop their copies). */
  readonly onAccountsChanged?: () => void;
  /** Called after webhooks were queued again (wakes this process's dispatcher; it polls otherwise). */
  readonly onDeliveriesQueued?: () => void;
  /** The relay's upstream (GET /admin/upstream); absent with other executors. */
  readonly upstream?: () => Promise<UpstreamReport>;
  /** Wipes the store and the clock and creates the demo account again; absent unless allowed (--time-travel or --allow-reset). */
  readonly reset?: () => Promise<void>;
  /** Runs this process's workers and webhooks until nothing is due now; absent without workers. */
  readonly settle?: () => Promise<{ readonly executed: number; readonly delivered: number }>;
}

/** GET /admin/upstream: the relay's upstream account as this process last saw it, and the calls of every process. */
export interface UpstreamReport {
  readonly url: string;
  /** null until the first call (the start-up check makes one). */
  readonly reachable: boolean | null;
  /** USD, from the upstream's user_data at start; null when it did not answer. */
  readonly balance: number | null;
  /** Tasks with the upstream: forwarded, their results not yet collected. */
  readonly in_flight: number;
  /** Calls under way now, against `limits.concurrent_requests`. */
  readonly calls_in_flight: number;
  /** Calls in the last minute, against `limits.requests_per_minute`. */
  readonly calls_last_minute: number;
  readonly limits: {
    readonly requests_per_minute: number;
    readonly concurrent_requests: number;
    readonly tasks_ready_per_minute: number;
  };
  readonly last_error: string | null;
}

/** Whether an Authorization header carries the admin token (compared in constant time). */
export function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7).trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The 401 answer's `error` line: a request without a Bearer token is told one is required; one
 * whose token is wrong is told it was refused (saying "required" to someone who sent one misleads).
 */
export function adminTokenError(header: string | undefined, extra = ''): string {
  return header?.startsWith('Bearer ') && header.slice(7).trim() !== ''
    ? `admin token refused: the Bearer token is not this server's admin token (--admin-token / SERPQ_ADMIN_TOKEN)${extra}`
    : `admin token required: Authorization: Bearer <token>${extra}`;
}

function parseJson(req: FastifyRequest): Record<string, unknown> | null {
  const raw = req.body as Buffer | undefined;
  if (!raw || raw.length === 0) return {};
  try {
    const v = JSON.parse(raw.toString('utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function registerAdmin(app: FastifyInstance, deps: AdminDeps): void {
  const { store, clock } = deps;
  const fail = (reply: FastifyReply, code: number, error: string) => reply.code(code).send({ error });

  app.register(async (admin) => {
    admin.addHook('onRequest', async (req, reply) => {
      if (!tokenMatches(req.headers.authorization, deps.token)) {
        reply.header('WWW-Authenticate', 'Bearer');
        return fail(reply, 401, adminTokenError(req.headers.authorization));
      }
    });

    const clockView = () => ({
      now: new Date(clock.now()).toISOString(),
      time_travel: isTravelClock(clock),
      offset_seconds: isTravelClock(clock) ? clock.offsetMs() / 1000 : 0,
    });

    // The stored offset is the truth: read it, so a move made through another node a moment ago shows.
    admin.get('/admin/clock', async () => {
      await deps.syncClock();
      return clockView();
    });
    // Finish now: execute what is due and send its webhooks, so a test waits on this answer instead
    // of polling tasks_ready against real time. With time travel, move the clock first to make
    // latent tasks (or expired leases of a crashed process) due.
    admin.post('/admin/settle', async (_req, reply) => {
      if (!deps.settle) return fail(reply, 409, 'this process runs no workers (--no-workers): settle where the workers run');
      return deps.settle();
    });
    // Start over (an emulator's reset, for test suites): never on a server that did not allow it.
    admin.post('/admin/reset', async (_req, reply) => {
      if (!deps.reset) return fail(reply, 409, 'reset is off: start the server with --time-travel or --allow-reset');
      await deps.reset();
      forgetBudgets(store);
      return { reset: true, now: new Date(clock.now()).toISOString() };
    });
    admin.get('/admin/upstream', async (_req, reply) => {
      if (!deps.upstream) return fail(reply, 409, 'this server does not relay: start it with --executor relay');
      return deps.upstream();
    });
    admin.post('/admin/clock', async (req, reply) => {
      if (!isTravelClock(clock)) return fail(reply, 409, 'time travel is off: start the server with --time-travel');
      const body = parseJson(req);
      const seconds = body?.advance_seconds;
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
        return fail(reply, 400, 'advance_seconds must be a number >= 0 (the clock only moves forward)');
      }
      await deps.advanceClock(seconds * 1000);
      return clockView();
    });

    // Fault injection (emulator extension): the next `count` executions in this process fail with a
    // terminal vendor code, so clients can test their handling of 40101/40102/40103.
    admin.post('/admin/faults', async (req, reply) => {
      const body = parseJson(req);
      const code = body?.status_code;
      const count = body?.count ?? 1;
      if (!deps.injectFaults) return fail(reply, 409, 'this executor does not support fault injection');
      if (code !== 40101 && code !== 40102 && code !== 40103) return fail(reply, 400, 'status_code must be 40101, 40102 or 40103');
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 100_000)
        return fail(reply, 400, 'count must be a whole number from 1 to 100000');
      deps.injectFaults(code, count);
      return { status_code: code, count };
    });

    admin.get('/admin/accounts', async () => {
      const usage = new Map((await store.relayUsage()).map((u) => [u.accountId, u]));
      return { accounts: (await store.listAccounts()).map((a) => publicAccount(a, usage.get(a.id))) };
    });
    admin.get('/admin/accounts/:login', async (req: FastifyRequest<{ Params: { login: string } }>, reply) => {
      const account = await store.accountByLogin(req.params.login);
      if (!account) return fail(reply, 404, `no account '${req.params.login}'`);
      const [usage] = await store.relayUsage(account.id);
      return publicAccount(account, usage);
    });
    admin.post('/admin/accounts', async (req, reply) => {
      const body = parseJson(req);
      if (!body) return fail(reply, 400, 'body must be a JSON object');
      try {
        const account = await createAccount(store, clock.now(), body as AccountInput);
        deps.onAccountsChanged?.();
        return reply.code(201).send(publicAccount(account));
      } catch (err) {
        if (err instanceof AccountInputError) return fail(reply, /exists/.test(err.message) ? 409 : 400, err.message);
        throw err;
      }
    });
    // One task by id for the operator (an extension): state, account, times, cost and its webhook log.
    admin.get('/admin/tasks/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const task = await store.taskById(req.params.id.trim().toLowerCase());
      if (!task) return fail(reply, 404, `no task '${req.params.id}'`);
      return taskView(store, task, clock.now());
    });
    // The delivery log of a task's webhooks (an extension; the vendor has only serp/errors).
    admin.get('/admin/tasks/:id/deliveries', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const task = await store.taskById(req.params.id);
      if (!task) return fail(reply, 404, `no task '${req.params.id}'`);
      return { task_id: task.id, webhook_state: task.webhookState, listed: task.listed, ...(await deliveryLog(store, task.id)) };
    });

    // Budgets on the calendar (services/budgets.ts): any number per account, each with its spend this period.
    admin.post('/admin/accounts/:login/budgets', async (req: FastifyRequest<{ Params: { login: string } }>, reply) => {
      const account = await store.accountByLogin(req.params.login);
      if (!account) return fail(reply, 404, `no account '${req.params.login}'`);
      const parsed = parseBudget(account.id, parseJson(req));
      if (!parsed.ok) return fail(reply, 400, parsed.message);
      const budget = await store.addBudget(parsed.budget, clock.now());
      forgetBudgets(store, account.id);
      return reply.code(201).send(await budgetView(store, clock, budget));
    });
    admin.get('/admin/accounts/:login/budgets', async (req: FastifyRequest<{ Params: { login: string } }>, reply) => {
      const account = await store.accountByLogin(req.params.login);
      if (!account) return fail(reply, 404, `no account '${req.params.login}'`);
      return { budgets: await Promise.all((await store.budgetsOf(account.id)).map((b) => budgetView(store, clock, b))) };
    });
    admin.delete('/admin/accounts/:login/budgets/:id', async (req: FastifyRequest<{ Params: { login: string; id: string } }>, reply) => {
      const account = await store.accountByLogin(req.params.login);
      if (!account) return fail(reply, 404, `no account '${req.params.login}'`);
      const id = Number(req.params.id);
      if (!Number.isInteger(id) || !(await store.deleteBudget(account.id, id))) {
        return fail(reply, 404, `account '${req.params.login}' has no budget ${req.params.id}`);
      }
      forgetBudgets(store, account.id);
      return { deleted: id };
    });
    // The budget's alerts of the current period sent again (those it has a delivery for: an alert_url).
    admin.post(
      '/admin/accounts/:login/budgets/:id/alerts/resend',
      async (req: FastifyRequest<{ Params: { login: string; id: string } }>, reply) => {
        const account = await store.accountByLogin(req.params.login);
        if (!account) return fail(reply, 404, `no account '${req.params.login}'`);
        const budget = (await store.budgetsOf(account.id)).find((b) => String(b.id) === req.params.id);
        if (!budget) return fail(reply, 404, `account '${req.params.login}' has no budget ${req.params.id}`);
        const resent = await resendBudgetAlerts(store, clock, budget);
        deps.onDeliveriesQueued?.();
        return { budget_id: budget.id, resent };
      },
    );
    admin.patch('/admin/accounts/:login', async (req: FastifyRequest<{ Params: { login: string } }>, reply) => {
      const body = parseJson(req);
      if (!body) return fail(reply, 400, 'body must be a JSON object');
      try {
        const account = await updateAccount(store, req.params.login, body as AccountInput);
        deps.onAccountsChanged?.();
        return account ? publicAccount(account) : fail(reply, 404, `no account '${req.params.login}'`);
      } catch (err) {
        if (err instanceof AccountInputError) return fail(reply, 400, err.message);
        throw err;
      }
    });
  });
}
