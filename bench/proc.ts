import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

/**
 * Child processes of the benchmark: servers and workers, optionally pinned to one core with taskset.
 * Every child is registered so that an error or Ctrl-C in the runner stops them all (by pid).
 */

const children = new Set<ChildProcess>();
let exitHooked = false;

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  const killAll = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}

export const HAS_TASKSET = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Pins this process (all its threads) to `cpu` (a core, or a list such as '0,1'); false when taskset is missing or refuses. */
export function pinSelf(cpu: number | string): boolean {
  if (!HAS_TASKSET) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface Child {
  readonly proc: ChildProcess;
  readonly pid: number;
  /** Everything the child wrote so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the child exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  /**
   * Cores to pin the child to: one core, or a list such as '0,1' (ignored without taskset). Without
   * it the child inherits the runner's own pinning.
   */
  readonly cpu?: number | string;
  readonly env?: Record<string, string>;
  readonly cwd?: string;
}

export function spawnChild(command: string, args: readonly string[], options: SpawnOptions = {}): Child {
  hookExit();
  const pinned = options.cpu !== undefined && HAS_TASKSET;
  const proc = pinned
    ? spawn('taskset', ['-c', String(options.cpu), command, ...args], {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  let out = '';
  const keep = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.length > 64_000) out = out.slice(-32_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  exited.then(() => children.delete(proc));
  if (proc.pid === undefined) throw new Error(`could not start ${command}`);
  return {
    proc,
    // taskset execs the command, so the pid is the command's own.
    pid: proc.pid,
    output: () => out,
    async stop(graceMs = 5000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until `pattern` appears in the child's output; returns the first capture group. */
export async function waitForOutput(child: Child, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = pattern.exec(child.output());
    if (m) return m[1] ?? m[0];
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) {
      throw new Error(
        `child ${child.pid} exited (${child.proc.exitCode ?? child.proc.signalCode}) before ${pattern}: ${child.output().slice(-2000)}`,
      );
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} from child ${child.pid}: ${child.output().slice(-2000)}`);
    await sleep(25);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** CPU time (ms) a process has used so far, all threads, from /proc (NaN when unavailable). */
export function cpuTimeMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] = utime, fields[12] = stime (fields 14 and 15 of proc(5)), in clock ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * Cumulative CPU ms of every process whose command name is `comm` (e.g. 'postgres': the postmaster,
 * its backends and background processes). Processes that exit between two readings drop out, so take
 * differences over windows in which the set is stable (a pool's backends live as long as the pool).
 */
export function cpuTimeOfComm(comm: string): number {
  let total = 0;
  for (const ms of cpuByPidOfComm(comm).values()) total += ms;
  return total;
}

/**
 * Starts measuring the CPU of every process named `comm`; the returned function gives the CPU ms used
 * since, per pid: processes that exited meanwhile drop out instead of making the sum negative, new ones
 * count from zero.
 */
export function startCommProbe(comm: string): () => number {
  const before = cpuByPidOfComm(comm);
  return () => {
    let total = 0;
    for (const [pid, ms] of cpuByPidOfComm(comm)) total += ms - (before.get(pid) ?? 0);
    return total;
  };
}

function cpuByPidOfComm(comm: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (name !== comm) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(d), ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK);
    } catch {
      // The process exited meanwhile.
    }
  }
  return out;
}

export function cpuModel(): string {
  try {
    if (!existsSync('/proc/cpuinfo')) return 'unknown';
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return m ? m[1].trim() : 'unknown';
  } catch {
    return 'unknown';
  }
}
