import { randomBytes } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import { machineKey, pidRuns } from '../runtime/process-identity.js';
import type { OwnerRow, Owners } from '../store/store.js';

/**
 * The claim owner of one process. Its worker and its webhook dispatcher claim under this id; the
 * registry heartbeats it in the store (every `heartbeatMs`, on the real clock, never the time-travel
 * one) and, with each beat, renews the leases of what it holds, so long-running work keeps its claims
 * without leases sized for the slowest task.
 *
 * Each beat (and the start) also looks for dead owners and frees their claims at once:
 * - an owner on this machine whose process is gone (the pid no longer runs, or is a zombie): a
 *   restart after kill -9 resumes its predecessor's work immediately;
 * - an owner anywhere whose heartbeat is older than `timeoutMs` (default 10 s).
 * A live owner is never freed: it heartbeats well inside the timeout. One wrongly taken for dead (a
 * stall longer than the timeout) loses nothing either: completion is a compare-and-set on the lease
 * owner, so at worst a task is executed twice and completed once, and its next beat registers it
 * again.
 */
export interface OwnerRegistryOptions {
  readonly store: Owners;
  /** The process clock (time travel included): leases are renewed against it. */
  readonly clock: Clock;
  /** The real clock of heartbeats. */
  readonly realClock: Clock;
  readonly heartbeatMs?: number;
  readonly timeoutMs?: number;
  /** Lease lengths renewed by each beat. */
  readonly taskLeaseMs: number;
  readonly deliveryLeaseMs: number;
  /** For tests: where this process runs and whether a pid there still runs. */
  readonly machine?: string;
  readonly pid?: number;
  readonly isAlive?: (pid: number) => boolean;
  /** Called with the number of claims freed from dead owners (workers wake up to take them). */
  readonly onFreed?: (claims: number) => void;
  readonly onError?: (err: unknown) => void;
}

export interface OwnerRegistry {
  readonly id: string;
  /** Registers, frees dead owners' claims, and starts beating. */
  start(): Promise<void>;
  /** One beat now (tests). */
  beat(): Promise<void>;
  /** Stops beating and frees this process's own remaining claims (a clean stop). */
  stop(): Promise<void>;
}

export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;

export function createOwnerRegistry(options: OwnerRegistryOptions): OwnerRegistry {
  const { store, clock, realClock } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  const heartbeatMs = options.heartbeatMs ?? Math.max(100, Math.min(2000, Math.floor(timeoutMs / 4)));
  const machine = options.machine ?? machineKey();
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? pidRuns;
  const id = `p-${randomBytes(6).toString('hex')}`;
  const startedAt = realClock.now();
  let timer: NodeJS.Timeout | null = null;
  let beating: Promise<void> = Promise.resolve();

  const row = (): OwnerRow => ({ id, machine, pid, startedAt, heartbeatAt: realClock.now() });

  function dead(o: OwnerRow, now: number): boolean {
    if (o.id === id) return false;
    if (now - o.heartbeatAt > timeoutMs) return true;
    // Same machine: an earlier process with this pid is this one's predecessor; another pid is dead
    // when nothing runs under it.
    return o.machine === machine && (o.pid === pid || !isAlive(o.pid));
  }

  async function reap(): Promise<void> {
    const now = realClock.now();
    const gone = (await store.listOwners()).filter((o) => dead(o, now)).map((o) => o.id);
    if (gone.length === 0) return;
    const freed = await store.releaseOwners(gone);
    if (freed > 0) options.onFreed?.(freed);
  }

  async function beatOnce(): Promise<void> {
    const now = clock.now();
    const alive = await store.heartbeat(id, realClock.now(), now + options.taskLeaseMs, now + options.deliveryLeaseMs);
    if (!alive) await store.registerOwner(row());
    await reap();
  }

  function beat(): Promise<void> {
    // One beat at a time: a slow store never piles them up.
    beating = beating.then(beatOnce, beatOnce);
    return beating;
  }

  return {
    id,
    async start() {
      await store.registerOwner(row());
      await reap();
      timer = setInterval(() => void beat().catch((err) => options.onError?.(err)), heartbeatMs);
      timer.unref();
    },
    beat,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await beating.catch(() => {});
      await store.releaseOwners([id]);
    },
  };
}
