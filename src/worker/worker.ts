import { randomBytes } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import { findSeType } from '../domain/catalog.js';
import { STATUS } from '../domain/status-codes.js';
import { parseTaskRequest } from '../domain/task-request.js';
import { type CatalogTasks, type ExecutionDeferral, type ExecutionOutcome, type TaskExecutor, isDeferral } from '../executors/executor.js';
import { catalogTaskOf } from '../services/catalog-tasks.js';
import type { Completion, TaskQueue, TaskReads, TaskRow } from '../store/store.js';
import { encodeResult } from '../store/stored-result.js';
import { createSleeper } from './sleeper.js';

/**
 * The worker loop: claim due tasks under a lease, execute them, complete them in one transaction.
 * A crash between claim and completion leaves the claim to its owner's registry entry: the next
 * process to see that owner dead (a restart on the same machine at once, any process after the
 * heartbeat timeout) frees it, or else its lease expires; then the task is claimed again. Completion
 * checks the lease, so a task is completed once even when it was executed twice. `runOnce()` does one round (tests, /admin/settle):
 * rounds run one after another, so a round asked for while the loop's is running starts after it and
 * sees what it completed.
 */
export interface WorkerOptions {
  /** The queue, and the tasks it completes read back (for metrics by engine and type). */
  readonly store: TaskQueue & Pick<TaskReads, 'tasksByIds'>;
  readonly clock: Clock;
  /** execute, and executeTask for the other APIs' tasks: the worker knows nothing else of an executor. */
  readonly executor: TaskExecutor & Partial<Pick<CatalogTasks, 'executeTask'>>;
  /** How long a claim holds before another worker may take the task over. */
  readonly leaseMs?: number;
  /** Tasks claimed per round. */
  readonly batchSize?: number;
  /** Longest idle sleep between polls (polling is the truth; wake() is a hint). */
  readonly pollMs?: number;
  /** The claim owner (the process's registered owner id; generated when absent). */
  readonly owner?: string;
  readonly onError?: (err: unknown) => void;
  /**
   * Called after tasks complete, with those that have webhooks to send (id and webhook URLs: the
   * delivery loop of the process takes them over at once).
   */
  readonly onCompleted?: (count: number, withWebhooks: readonly Pick<TaskRow, 'id' | 'postbackUrl' | 'pingbackUrl'>[]) => void;
  /** Called with the tasks this worker completed, by engine, type and status code (metrics). */
  readonly onFinished?: (tasks: readonly FinishedTask[]) => void;
}

/** A task a worker completed. */
export interface FinishedTask {
  readonly se: string;
  readonly seType: string;
  readonly statusCode: number;
}

/** A task claim's lease (renewed by the owner's heartbeat while the task runs). */
export const TASK_LEASE_MS = 120_000;

export interface Worker {
  readonly owner: string;
  runOnce(): Promise<number>;
  start(): void;
  wake(): void;
  stop(): Promise<void>;
}

export function createWorker(options: WorkerOptions): Worker {
  const { store, clock, executor } = options;
  const leaseMs = options.leaseMs ?? TASK_LEASE_MS;
  const batchSize = options.batchSize ?? 200;
  const pollMs = options.pollMs ?? 1000;
  const owner = options.owner ?? `w-${randomBytes(6).toString('hex')}`;
  const abort = new AbortController();
  let running = false;
  let loop: Promise<void> | null = null;
  const sleeper = createSleeper();

  /** A deferral to carry out after the round (a task handed over or given back to the queue). */
  type Step = Completion | { readonly id: string; readonly retryAt: number } | { readonly id: string; readonly handedOver: true };

  async function executeOne(task: TaskRow): Promise<Step> {
    const failed = (): Step => ({
      id: task.id,
      leaseOwner: owner,
      statusCode: STATUS.TASK_EXECUTION_FAILED.code,
      statusMessage: STATUS.TASK_EXECUTION_FAILED.message,
    });
    try {
      const out = await runTask(task);
      // A stored request that no longer validates (catalog changed), or a task of an API this
      // executor does not run, fails rather than loops forever.
      if (out === null) return failed();
      if (isDeferral(out)) return out.defer === 'retry' ? { id: task.id, retryAt: out.at } : { id: task.id, handedOver: true };
      return {
        id: task.id,
        leaseOwner: owner,
        statusCode: out.statusCode,
        statusMessage: out.statusMessage,
        costMicro: out.costMicro,
        results: out.results?.map((r) => ({ fn: r.fn, body: encodeResult(r.value) })),
      };
    } catch (err) {
      options.onError?.(err);
      return failed();
    }
  }

  /** Runs a task: a SERP task through `execute`, another API's through `executeTask`; null when it cannot run. */
  async function runTask(task: TaskRow): Promise<ExecutionOutcome | ExecutionDeferral | null> {
    if (task.api !== 'serp') {
      const input = executor.executeTask ? await catalogTaskOf(task) : null;
      return input ? executor.executeTask!(input, abort.signal, owner) : null;
    }
    const def = findSeType(task.se, task.seType);
    const params = JSON.parse(task.data) as Record<string, unknown>;
    const parsed = def ? parseTaskRequest(def, params, 'task_post') : null;
    if (!def || !parsed || !parsed.ok) return null;
    return executor.execute(
      { id: task.id, def, request: parsed.task, params, postedAt: task.postedAt, accountId: task.accountId },
      abort.signal,
      owner,
    );
  }

  let rounds: Promise<number> = Promise.resolve(0);

  function runOnce(): Promise<number> {
    const next = rounds.then(round, round);
    rounds = next;
    return next;
  }

  async function round(): Promise<number> {
    const claimed = await store.claimTasks(owner, clock.now(), leaseMs, batchSize);
    if (claimed.length === 0) return 0;
    const steps = await Promise.all(claimed.map(executeOne));
    const completions = steps.filter((s): s is Completion => 'statusCode' in s);
    const retries = steps.filter((s): s is { id: string; retryAt: number } => 'retryAt' in s);
    // Retries grouped by due time: one statement per distinct time (usually one per round).
    const byTime = new Map<number, string[]>();
    for (const r of retries) byTime.set(r.retryAt, [...(byTime.get(r.retryAt) ?? []), r.id]);
    for (const [at, ids] of byTime) await store.deferTasks(ids, owner, at);
    const completedAt = clock.now();
    const n = completions.length > 0 ? await store.completeTasks(completions, completedAt) : 0;
    if (n > 0 && options.onCompleted) {
      const done = new Set(completions.map((c) => c.id));
      options.onCompleted(
        n,
        claimed.filter((t) => done.has(t.id) && (t.postbackUrl || t.pingbackUrl)),
      );
    }
    if (n > 0 && options.onFinished) await reportFinished(claimed, completions, n, completedAt);
    return claimed.length;
  }

  /**
   * Reports what this round completed. A completion whose lease was lost meanwhile (the task was
   * taken over, and is counted where it completes) is not written: when some were not, the round's
   * tasks are read back to find which were (those completed now with the code written here).
   */
  async function reportFinished(claimed: readonly TaskRow[], completions: readonly Completion[], n: number, at: number) {
    const byId = new Map(claimed.map((t) => [t.id, t]));
    let done: readonly Completion[] = completions;
    if (n < completions.length) {
      try {
        const rows = new Map((await store.tasksByIds(completions.map((c) => c.id))).map((t) => [t.id, t]));
        done = completions.filter((c) => rows.get(c.id)?.completedAt === at && rows.get(c.id)?.statusCode === c.statusCode);
      } catch (err) {
        options.onError?.(err);
        return;
      }
    }
    const finished: FinishedTask[] = [];
    for (const c of done) {
      const t = byId.get(c.id);
      if (t) finished.push({ se: t.se, seType: t.seType, statusCode: c.statusCode });
    }
    options.onFinished?.(finished);
  }

  async function sleep(): Promise<void> {
    const next = await store.nextDueAt();
    const wait = next === null ? pollMs : Math.max(0, Math.min(pollMs, next - clock.now()));
    if (wait > 0) await sleeper.sleep(wait);
  }

  async function run(): Promise<void> {
    while (running) {
      try {
        const n = await runOnce();
        if (n === 0 && running) await sleep();
      } catch (err) {
        options.onError?.(err);
        if (running) await new Promise((r) => setTimeout(r, Math.min(pollMs, 500)));
      }
    }
  }

  return {
    owner,
    runOnce,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      sleeper.wake();
    },
    async stop() {
      running = false;
      abort.abort();
      sleeper.wake();
      await loop;
    },
  };
}
