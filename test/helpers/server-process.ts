import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real `serpq serve` in a child process (tsx on the TypeScript sources), for tests that must kill
 * the server with SIGKILL and start it again on the same database file. Every child started here is
 * tracked, so `killAllServers()` in an afterEach ends them even when a test failed half-way.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const live = new Set<ChildProcess>();

export interface ServeOptions {
  readonly db: string;
  readonly adminToken: string;
  /** --sandbox-latency spec, e.g. '0' or '60m'. */
  readonly latency?: string;
  readonly timeTravel?: boolean;
  /** Serve HTTP only (--no-workers). */
  readonly noWorkers?: boolean;
  /** Further flags, e.g. ['--allow-private-webhooks']. */
  readonly extraArgs?: readonly string[];
  /** SERPQ_* variables for the child (others are stripped). */
  readonly env?: Readonly<Record<string, string>>;
  /** A fixed port (e.g. to start a server again where clients already point); else a free one. */
  readonly port?: number;
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly base: string;
  /** What the child wrote to stdout/stderr so far (for failure messages). */
  output(): string;
  /** kill -9 and wait until the process is gone. */
  kill(): Promise<void>;
}

/** A port that was free a moment ago (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const address = srv.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  srv.close();
  await once(srv, 'close');
  return port;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function killChild(child: ChildProcess): Promise<void> {
  if (!exited(child)) {
    const gone = once(child, 'exit');
    child.kill('SIGKILL');
    await gone;
  }
  live.delete(child);
}

/** Ends every child started by startServer that is still running. */
export async function killAllServers(): Promise<void> {
  await Promise.all([...live].map(killChild));
}

interface Spawned {
  readonly child: ChildProcess;
  output(): string;
}

/**
 * Spawns `serpq <args>` from the sources and waits, on its output events (no polling and no timer),
 * until it prints `ready`; fails when it exits first. A child that never gets ready is bounded by the
 * test's own timeout, not by a guess at how long a start may take on a busy machine.
 */
async function spawnSerpq(args: string[], extraEnv: Readonly<Record<string, string>> | undefined, ready: RegExp): Promise<Spawned> {
  // The child reads SERPQ_* from its environment; only the given flags and variables may configure it.
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SERPQ_')) env[k] = v;
  Object.assign(env, extraEnv ?? {});
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  const output = () => out;
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) done();
    };
    const onExit = () => done(new Error(`serpq ${args[0]} exited before it was ready:\n${out}`));
    function done(err?: Error) {
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', onExit);
  }).catch(async (err: Error) => {
    await killChild(child);
    throw err;
  });
  return { child, output };
}

async function startOnce(opts: ServeOptions, port: number): Promise<ServerProcess | { failed: string }> {
  const args = ['serve', '--db', opts.db, '--host', '127.0.0.1', '--port', String(port)];
  args.push('--admin-token', opts.adminToken, '--log-level', 'silent', '--sandbox-latency', opts.latency ?? '0');
  if (opts.timeTravel) args.push('--time-travel');
  if (opts.noWorkers) args.push('--no-workers');
  if (opts.extraArgs) args.push(...opts.extraArgs);
  let spawned: Spawned;
  try {
    // `serve` prints its banner once it listens.
    spawned = await spawnSerpq(args, opts.env, /serpq serving /);
  } catch (err) {
    return { failed: (err as Error).message };
  }
  const base = `http://127.0.0.1:${port}`;
  const res = await fetch(`${base}/healthz`);
  await res.arrayBuffer();
  if (res.status !== 200) {
    await killChild(spawned.child);
    return { failed: `serpq serve answered /healthz with ${res.status}:\n${spawned.output()}` };
  }
  return { child: spawned.child, port, base, output: spawned.output, kill: () => killChild(spawned.child) };
}

/** Starts `serpq serve` on a free port and resolves once GET /healthz answers 200. */
export async function startServer(opts: ServeOptions): Promise<ServerProcess> {
  if (opts.port !== undefined) {
    const started = await startOnce(opts, opts.port);
    if ('failed' in started) throw new Error(started.failed);
    return started;
  }
  let last = '';
  // The port can be taken between freePort() and the child's bind; try another one then.
  for (let i = 0; i < 3; i++) {
    const started = await startOnce(opts, await freePort());
    if (!('failed' in started)) return started;
    last = started.failed;
    if (!/EADDRINUSE|already in use/.test(last)) break;
  }
  throw new Error(last);
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  output(): string;
  kill(): Promise<void>;
}

/** Starts `serpq worker` (workers and delivery, no HTTP) and resolves once it says it is running. */
export async function startWorker(opts: {
  db: string;
  latency?: string;
  timeTravel?: boolean;
  extraArgs?: readonly string[];
  env?: Readonly<Record<string, string>>;
}): Promise<WorkerProcess> {
  const args = ['worker', '--db', opts.db, '--log-level', 'silent', '--sandbox-latency', opts.latency ?? '0'];
  if (opts.timeTravel) args.push('--time-travel');
  if (opts.extraArgs) args.push(...opts.extraArgs);
  const { child, output } = await spawnSerpq(args, opts.env, /serpq worker .* running/);
  return { child, output, kill: () => killChild(child) };
}
