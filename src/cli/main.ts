#!/usr/bin/env node
import { addBudgetCommands } from './budgets.js';
import { Command, Option } from 'commander';
import { DEMO_LOGIN, DEMO_PASSWORD, createApp, openStore } from '../app.js';
import { openProcess } from '../process/compose.js';
import { readFileSync } from 'node:fs';
import { ConfigError, type ConfigOverrides, isLoopbackHost, loadConfig, maskDbUrl } from '../config.js';
import { AccountInputError, createAccount, publicAccount } from '../services/accounts.js';
import { CassetteError } from '../executors/replay/library.js';
import { addCassetteCommands } from './cassettes.js';
import { addUserCommands } from './user-commands.js';
import { checkListen, listenError } from './listen-check.js';

/** The `serpq` command: serve, worker, migrate, accounts, budgets, cassettes. */

interface ServeFlags {
  host?: string;
  port?: string;
  db?: string;
  executor?: string;
  executorTimeout?: string;
  sandboxLatency?: string;
  timeTravel?: boolean;
  allowReset?: boolean;
  adminToken?: string;
  allowPrivateWebhooks?: boolean;
  webhookThreads?: string;
  heartbeatTimeout?: string;
  upstreamUrl?: string;
  upstreamLogin?: string;
  upstreamPassword?: string;
  upstreamLimits?: string;
  upstreamGiveUp?: string;
  upstreamPostbackBase?: string;
  relayCacheTtl?: string;
  relayPassUnknown?: boolean;
  cassettes?: string;
  replayMatch?: string;
  replayMiss?: string;
  record?: string;
  workers?: boolean;
  metricsPublic?: boolean;
  logLevel?: string;
}

function overridesFrom(flags: ServeFlags): ConfigOverrides {
  return {
    host: flags.host,
    port: flags.port,
    db: flags.db,
    executor: flags.executor,
    executorTimeoutMs: flags.executorTimeout,
    sandboxLatency: flags.sandboxLatency,
    timeTravel: flags.timeTravel,
    allowReset: flags.allowReset,
    adminToken: flags.adminToken,
    allowPrivateWebhooks: flags.allowPrivateWebhooks,
    webhookThreads: flags.webhookThreads,
    heartbeatTimeoutMs: flags.heartbeatTimeout,
    upstreamUrl: flags.upstreamUrl,
    upstreamLogin: flags.upstreamLogin,
    upstreamPassword: flags.upstreamPassword,
    upstreamLimits: flags.upstreamLimits,
    upstreamGiveUpMs: flags.upstreamGiveUp,
    upstreamPostbackBase: flags.upstreamPostbackBase,
    relayCacheTtlMs: flags.relayCacheTtl,
    relayPassUnknown: flags.relayPassUnknown,
    cassettes: flags.cassettes,
    replayMatch: flags.replayMatch,
    replayMiss: flags.replayMiss,
    record: flags.record,
    // commander sets workers=true by default for --no-workers; only pass it when turned off.
    workers: flags.workers === false ? false : undefined,
    metricsPublic: flags.metricsPublic,
    logLevel: flags.logLevel,
  };
}

function withServerOptions(cmd: Command): Command {
  return cmd
    .option('--host <host>', 'address to bind (SERPQ_HOST)', undefined)
    .option('--port <port>', 'port to listen on (SERPQ_PORT)')
    .option('--db <db>', 'SQLite file, :memory:, or postgres:// URL (SERPQ_DB)')
    .option('--executor <name>', 'sandbox, relay, replay, or an executor module: a path or package (SERPQ_EXECUTOR)')
    .option('--executor-timeout <duration>', "an executor module's time limit per task (SERPQ_EXECUTOR_TIMEOUT, default 60s)")
    .option('--sandbox-latency <spec>', 'completion latency, e.g. 0 or normal=2s,high=500ms (SERPQ_SANDBOX_LATENCY)')
    .option('--time-travel', 'let the admin API move the clock forward (SERPQ_TIME_TRAVEL=1)')
    .option('--allow-reset', 'let POST /admin/reset wipe the store (SERPQ_ALLOW_RESET=1; on with --time-travel)')
    .option('--admin-token <token>', 'bearer token of the admin API (SERPQ_ADMIN_TOKEN); generated when absent')
    .option('--allow-private-webhooks', 'allow postbacks/pingbacks to private addresses (SERPQ_ALLOW_PRIVATE_WEBHOOKS=1)')
    .option('--webhook-threads <n>', 'threads building postback bodies, 0 = main thread (SERPQ_WEBHOOK_THREADS, default: one per core)')
    .option('--upstream-url <url>', 'relay: the upstream DataForSEO-compatible API (SERPQ_UPSTREAM_URL)')
    .option('--upstream-login <login>', 'relay: the upstream account login (SERPQ_UPSTREAM_LOGIN)')
    .option('--upstream-password <password>', 'relay: the upstream account password (SERPQ_UPSTREAM_PASSWORD)')
    .option('--upstream-limits <spec>', 'relay: requests=2000,concurrent=30,tasks_ready=20 (SERPQ_UPSTREAM_LIMITS)')
    .option(
      '--upstream-give-up <duration>',
      'relay: fail a task not completed upstream this long after it was posted, refunded (SERPQ_UPSTREAM_GIVE_UP, default 24h)',
    )
    .option(
      '--upstream-postback-base <url>',
      "relay: serpq's public base URL; upstream results then arrive by postback (SERPQ_UPSTREAM_POSTBACK_BASE)",
    )
    .option('--relay-cache-ttl <duration>', 'relay: equal requests share one upstream result this long, 0 = off (SERPQ_RELAY_CACHE_TTL)')
    .option(
      '--relay-pass-unknown',
      'relay: pass paths the catalog does not know (not task paths) to the upstream as live calls (SERPQ_RELAY_PASS_UNKNOWN=1)',
    )
    .option('--cassettes <dir>', 'replay: the cassette folder (SERPQ_CASSETTES)')
    .option(
      '--replay-match <inputs>',
      'replay: inputs that must match, default keyword,location,language,device,depth (SERPQ_REPLAY_MATCH)',
    )
    .option('--replay-miss <policy>', 'replay: sandbox (default), error (40102) or record (through the upstream) (SERPQ_REPLAY_MISS)')
    .option('--record <dir>', 'relay: also append every upstream result to this cassette folder (SERPQ_RECORD)')
    .option('--heartbeat-timeout <duration>', 'free the claims of a process silent this long (SERPQ_HEARTBEAT_TIMEOUT, default 10s)')
    .addOption(
      new Option('--log-level <level>', 'log level (SERPQ_LOG_LEVEL)').choices([
        'fatal',
        'error',
        'warn',
        'info',
        'debug',
        'trace',
        'silent',
      ]),
    );
}

function fail(err: unknown): never {
  // One problem, one line: what is wrong and the setting that names it.
  if (err instanceof ConfigError && err.problems.length === 1) console.error(`serpq: invalid configuration: ${err.problems[0]}`);
  else if (err instanceof ConfigError || err instanceof AccountInputError || err instanceof CassetteError)
    console.error(`serpq: ${err.message}`);
  else console.error('serpq:', err instanceof Error ? err.message : err);
  process.exit(1);
}

/** Ctrl-C or SIGTERM: stops in order, says so in one line; a second signal quits at once. */
function onSignals(stop: () => Promise<void>, stoppedLine?: string): void {
  let stopping = false;
  const handler = () => {
    if (stopping) process.exit(1);
    stopping = true;
    stop().then(
      () => {
        // After the terminal's echoed ^C, on a line of its own.
        if (stoppedLine) console.log(`${process.stdout.isTTY ? '\n' : ''}${stoppedLine}`);
        process.exit(0);
      },
      (err: unknown) => {
        console.error('serpq: stopped with an error:', err instanceof Error ? err.message : err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** The package's version: package.json sits two folders up from src/cli, dist/cli and dist/bin alike. */
function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const program = new Command();
program
  .name('serpq')
  .description('Self-hosted, wire-compatible DataForSEO v3 SERP task service')
  .version(version(), '-V, --version', 'print the version of serpq');

withServerOptions(program.command('serve').description('serve the API (and run workers unless --no-workers)'))
  .option('--no-workers', 'serve HTTP only; run `serpq worker` elsewhere')
  .option('--metrics-public', 'serve GET /metrics without the admin token (SERPQ_METRICS_PUBLIC=1)')
  .action(async (flags: ServeFlags) => {
    try {
      const config = loadConfig(process.env, overridesFrom(flags));
      // A port in use must stop the start before a database is opened (or created).
      await checkListen(config.host, config.port);
      const app = await createApp(config);
      try {
        await app.listen();
      } catch (err) {
        await app.close().catch(() => undefined);
        throw listenError(err, config.host, config.port) ?? err;
      }
      onSignals(() => app.close(), `serpq stopped (${maskDbUrl(config.db)} keeps the queue and results)`);
      const address = app.http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      const base = `http://${host}:${port}`;
      const demo = isLoopbackHost(config.host) && (await app.store.accountByLogin(DEMO_LOGIN));
      const lines = [
        `serpq serving the DataForSEO v3 SERP API at ${base}  (serpq ${version()})`,
        `  database: ${maskDbUrl(config.db)}   executor: ${config.executor}   time travel: ${config.timeTravel ? 'on' : 'off'}`,
        ...(await app.describeExecutor()).map((l) => `  ${l}`),
        `  dashboard: ${base}/dashboard   metrics: ${base}/metrics${config.metricsPublic ? '' : ' (both with the admin token)'}`,
      ];
      if (demo) {
        lines.push(
          `  credentials: ${DEMO_LOGIN} / ${DEMO_PASSWORD} (demo account)`,
          '',
          'Try it:',
          `  curl -s -u ${DEMO_LOGIN}:${DEMO_PASSWORD} -H 'Content-Type: application/json' -X POST ${base}/v3/serp/google/images/task_post -d '[{"keyword":"albert einstein","location_code":2840,"language_code":"en"}]'`,
          `  curl -s -u ${DEMO_LOGIN}:${DEMO_PASSWORD} ${base}/v3/serp/google/images/tasks_ready`,
          `  curl -s -u ${DEMO_LOGIN}:${DEMO_PASSWORD} ${base}/v3/serp/google/images/task_get/advanced/<id from tasks_ready>`,
        );
      } else {
        lines.push('  credentials: create an account with `serpq accounts add <login> --password <p> --balance <usd>`');
      }
      lines.push(
        '',
        `Admin API and dashboard: Authorization: Bearer ${config.adminToken ? '<your --admin-token>' : app.adminToken}`,
        'Ctrl-C stops the server.',
      );
      console.log(lines.join('\n'));
    } catch (err) {
      fail(err);
    }
  });

withServerOptions(program.command('worker').description('run workers (and deliveries) without HTTP')).action(async (flags: ServeFlags) => {
  try {
    // The same composition as serve's, without HTTP: workers always run here.
    const config = { ...loadConfig(process.env, overridesFrom(flags)), workers: true };
    const parts = await openProcess(config, { seedDemo: false, onError: (err) => console.error('serpq worker:', err) });
    const background = parts.background!;
    await background.start();
    onSignals(async () => {
      await parts.stopBackground();
      await parts.release();
    }, `serpq worker ${background.owner.id} stopped`);
    console.log(`serpq worker ${background.owner.id} running on ${maskDbUrl(config.db)}`);
  } catch (err) {
    fail(err);
  }
});

program
  .command('migrate')
  .description('apply database migrations')
  .option('--db <db>', 'SQLite file, :memory:, or postgres:// URL (SERPQ_DB)')
  .action(async (flags: { db?: string }) => {
    try {
      const config = loadConfig(process.env, { db: flags.db });
      const store = await openStore(config.db);
      await store.migrate();
      await store.close();
      console.log(`migrated ${maskDbUrl(config.db)}`);
    } catch (err) {
      fail(err);
    }
  });

const accounts = program.command('accounts').description('manage API accounts');
accounts
  .command('add <login>')
  .description('create an account')
  .option('--db <db>', 'database (SERPQ_DB)')
  .option('--password <password>', 'API password (generated and printed when absent)')
  .option('--balance <usd>', 'starting balance in USD (default 0: top it up with PATCH /admin/accounts/:login)')
  .option('--tasks-ready-per-minute <n>', 'tasks_ready calls per minute (default 20)')
  .option('--requests-per-minute <n>', 'API calls per minute (default 2000)')
  .option('--concurrent-requests <n>', 'simultaneous requests (default 30)')
  .option(
    '--without-subscriptions <apis>',
    'comma-separated APIs the account has no subscription for, their live calls answering 40204 (backlinks, ai_optimization/llm_mentions; default: every subscription)',
  )
  .action(async (login: string, flags: Record<string, string | undefined>) => {
    try {
      const config = loadConfig(process.env, { db: flags.db });
      const store = await openStore(config.db);
      await store.migrate();
      const password = flags.password ?? (await import('node:crypto')).randomBytes(12).toString('base64url');
      const limits: Record<string, number> = {};
      const asInt = (v: string, name: string): number => {
        if (!/^\d+$/.test(v)) throw new AccountInputError(`${name} must be a whole number`);
        return Number(v);
      };
      if (flags.tasksReadyPerMinute) limits.tasks_ready_per_minute = asInt(flags.tasksReadyPerMinute, '--tasks-ready-per-minute');
      if (flags.requestsPerMinute) limits.requests_per_minute = asInt(flags.requestsPerMinute, '--requests-per-minute');
      if (flags.concurrentRequests) limits.concurrent_requests = asInt(flags.concurrentRequests, '--concurrent-requests');
      const without = (flags.withoutSubscriptions ?? '')
        .split(',')
        .map((api) => api.trim())
        .filter(Boolean);
      const subscriptions = Object.fromEntries(without.map((api) => [api, false]));
      const account = await createAccount(store, Date.now(), { login, password, balance: flags.balance ?? '0', limits, subscriptions });
      await store.close();
      console.log(JSON.stringify({ ...publicAccount(account), password: flags.password ? undefined : password }, null, 2));
      // With nothing to spend every paid call answers 40200: say so where the account is made.
      if (flags.balance === undefined)
        console.error(`serpq: account '${login}' starts at 0 USD (no --balance): paid calls answer 40200 until it is topped up`);
    } catch (err) {
      fail(err);
    }
  });
accounts
  .command('list')
  .description('list accounts')
  .option('--db <db>', 'database (SERPQ_DB)')
  .action(async (flags: { db?: string }) => {
    try {
      const config = loadConfig(process.env, { db: flags.db });
      const store = await openStore(config.db);
      await store.migrate();
      const usage = new Map((await store.relayUsage()).map((u) => [u.accountId, u]));
      console.log(
        JSON.stringify(
          (await store.listAccounts()).map((a) => publicAccount(a, usage.get(a.id))),
          null,
          2,
        ),
      );
      await store.close();
    } catch (err) {
      fail(err);
    }
  });

addCassetteCommands(program, fail);
addBudgetCommands(program, fail);
addUserCommands(program);

program.parseAsync(process.argv).catch(fail);
