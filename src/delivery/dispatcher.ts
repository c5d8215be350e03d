import { randomBytes } from 'node:crypto';
import type { ResultFunction } from '../domain/catalog.js';
import type { Clock } from '../domain/clock.js';
import { isWebhookSuccess, nextAttemptAt, webhookHost, webhookUrl } from '../domain/webhooks.js';
import type { AccountRow, Accounts, AttemptRecord, DeliveryJob, Outbox, TaskReads, TaskRow } from '../store/store.js';
import type { Courier, WebhookCall } from './courier.js';
import { groupCommit } from '../services/group-commit.js';
import { createSleeper } from '../worker/sleeper.js';

/**
 * The outbox dispatcher: claims due webhook deliveries under a lease, sends them, and records each
 * attempt with its consequences in one transaction. A crash mid-send leaves the lease to expire and
 * the delivery is sent again (at least once), so no completed task is ever left neither delivered
 * nor listed. Concurrency is bounded overall and per receiving host, so a slow or hostile receiver
 * holds at most its own share of connections; the rest of its deliveries wait their turn in the outbox.
 */
export interface DispatcherOptions {
  readonly store: Outbox & Pick<Accounts, 'accountById'> & Pick<TaskReads, 'tasksByIds'>;
  readonly clock: Clock;
  /** Makes the calls: builds postback bodies and sends. */
  readonly courier: Courier;
  readonly maxInFlight?: number;
  readonly maxPerHost?: number;
  readonly leaseMs?: number;
  readonly pollMs?: number;
  /** The claim owner (the process's registered owner id; generated when absent). */
  readonly owner?: string;
  readonly onError?: (err: unknown) => void;
  /** Called after each call to a receiver, before its outcome is stored (metrics). */
  readonly onAttempt?: (a: AttemptOutcome) => void;
}

/** One webhook call as metrics see it: `httpCode` null when no answer came (network error, timeout). */
export interface AttemptOutcome {
  readonly kind: DeliveryJob['kind'];
  readonly ok: boolean;
  readonly httpCode: number | null;
  readonly durationMs: number;
}

/** How long a finished call's record waits for others to share its commit. */
const ATTEMPT_LINGER_MS = 4;

/** A delivery claim's lease (renewed by the owner's heartbeat while the call runs). */
export const DELIVERY_LEASE_MS = 60_000;

export interface Dispatcher {
  /** Sends everything due now and waits for the outcomes (for tests and `serpq` one-shot use). */
  runOnce(): Promise<number>;
  /**
   * Webhooks of tasks this process just completed: claimed by task and sent at once when the
   * dispatcher keeps up, else left to its next claim (as wake() does).
   */
  handOff(tasks: readonly HandedOff[]): void;
  start(): void;
  wake(): void;
  stop(): Promise<void>;
}

/** A task whose webhooks are handed to the dispatcher at completion: its id and webhook URLs. */
export type HandedOff = Pick<TaskRow, 'id' | 'postbackUrl' | 'pingbackUrl'>;

/** A claimed delivery with what sending it needs, read with the claim. */
interface Claimed {
  readonly job: DeliveryJob;
  readonly task: TaskRow | null;
  readonly account: AccountRow | null;
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { store, clock } = options;
  const maxInFlight = options.maxInFlight ?? 512;
  const maxPerHost = options.maxPerHost ?? 32;
  const leaseMs = options.leaseMs ?? DELIVERY_LEASE_MS;
  const pollMs = options.pollMs ?? 1000;
  const owner = options.owner ?? `d-${randomBytes(6).toString('hex')}`;
  const perHost = new Map<string, number>();
  let inFlight = 0;
  let running = false;
  let loop: Promise<void> | null = null;
  const active = new Set<Promise<void>>();
  // Attempts finishing close together share one transaction (one commit) instead of one each: those
  // ending within a few milliseconds of each other wait for one another (calls finish one by one, so
  // a flush per turn of the event loop wrote one or two at a time). The wait delays only the record:
  // the call was made, its host's slot is free, and a crash meanwhile means a second call, as always.
  const recordAttempt = groupCommit((batch: AttemptRecord[]) => store.recordAttempts(batch), 256, ATTEMPT_LINGER_MS);

  /** A delivery that cannot be made (its task is gone): recorded as its last, failed attempt. */
  function unsendable(job: DeliveryJob, at: number): AttemptRecord {
    return {
      deliveryId: job.id,
      owner,
      taskId: job.taskId,
      accountId: job.accountId,
      kind: job.kind,
      url: job.url,
      method: job.kind === 'pingback' ? 'GET' : 'POST',
      attemptedAt: at,
      ok: false,
      httpCode: null,
      durationMs: 0,
      response: null,
      error: job.kind === 'budget_alert' ? 'the alert has no body' : 'the task no longer exists',
      nextAttemptAt: null,
    };
  }

  /** Frees a slot of `host` and starts what waits for it. */
  function releaseHost(host: string): void {
    const n = (perHost.get(host) ?? 1) - 1;
    if (n <= 0) perHost.delete(host);
    else perHost.set(host, n);
    startQueued(host);
  }

  async function deliver(claimed: Claimed, host: string): Promise<void> {
    const { job, task, account } = claimed;
    // The host's slot bounds calls to that host: it is freed when the call ends, before the outcome
    // is written (which waits for a group commit); the overall bound lasts until the outcome is stored.
    let holdsHost = true;
    try {
      const call = callOf(job, task, account);
      if (!call) {
        // A task's webhook whose task is gone (retention took it): nothing to send, ever.
        await recordAttempt(unsendable(job, clock.now()));
        return;
      }
      const { url } = call;
      const method = job.kind === 'pingback' ? 'GET' : 'POST';
      const attemptedAt = clock.now();
      const out = await options.courier.deliver(call);
      holdsHost = false;
      releaseHost(host);
      const ok = isWebhookSuccess(out.httpCode);
      options.onAttempt?.({ kind: job.kind, ok, httpCode: out.httpCode, durationMs: out.durationMs });
      await recordAttempt({
        deliveryId: job.id,
        owner,
        taskId: job.taskId,
        accountId: job.accountId,
        kind: job.kind,
        url,
        method,
        attemptedAt,
        ok,
        httpCode: out.httpCode,
        durationMs: out.durationMs,
        response: out.response,
        error: out.error ?? (ok ? null : `HTTP ${out.httpCode}`),
        nextAttemptAt: ok ? null : nextAttemptAt(job.attempts + 1, clock.now(), account?.webhookRetries ?? false),
      });
    } catch (err) {
      // Left leased: the delivery is retried when the lease expires.
      options.onError?.(err);
    } finally {
      inFlight--;
      if (holdsHost) releaseHost(host);
      // A freed overall slot is taken up by the next pump, which the wake-up runs.
      sleeper.wake();
    }
  }

  // Claimed deliveries waiting for a free slot of their host. They stay leased. A host with a round of
  // calls waiting (maxPerHost) is passed over by the claim: its backlog stays in the outbox while other
  // hosts' deliveries go on, and it is claimed again in one batch once its queue runs below that
  // (no claiming and handing back on every finished call). A queue never exceeds four rounds, so even
  // a host at its limit with the full 10 s timeout drains it well within the lease.
  const queued = new Map<string, Claimed[]>();
  let queuedTotal = 0;
  const refillBelow = maxPerHost;
  const hostQueueCap = maxPerHost * 4;
  const maxQueued = maxInFlight * 4;

  /** Deliveries started since the dispatcher was made (runOnce reports its share). */
  let startedTotal = 0;
  /** Pumps under way (the loop's and runOnce's): runOnce is done only when none may still start a call. */
  const pumping = new Set<Promise<unknown>>();

  // What the last claim left behind. A claim that found fewer than it asked for, passing over the
  // hosts in `skip`, took every due delivery of the other hosts: the next claim waits for news (a
  // wake-up from outside: completions, another process, runOnce; a host of `skip` running low; the
  // poll interval, for retries falling due) instead of scanning the outbox again after every call.
  // Without it, a backlog to one busy host was read through after each finished call.
  let exhausted: { readonly skip: ReadonlySet<string>; readonly at: number } | null = null;
  let news = true;

  /** Hosts whose queue holds a round of calls: the claim passes over them until it runs low. */
  function fullHosts(): string[] {
    const full: string[] = [];
    for (const [host, list] of queued) if (list.length >= refillBelow) full.push(host);
    return full;
  }

  function claimWanted(full: readonly string[]): boolean {
    if (news || exhausted === null || clock.now() - exhausted.at >= pollMs) return true;
    const stillFull = new Set(full);
    for (const host of exhausted.skip) if (!stillFull.has(host)) return true;
    return false;
  }

  function start(claimed: Claimed, host: string): void {
    perHost.set(host, (perHost.get(host) ?? 0) + 1);
    inFlight++;
    startedTotal++;
    const p = deliver(claimed, host);
    active.add(p);
    void p.finally(() => active.delete(p));
  }

  /** Starts queued deliveries of one host (or of every host) while slots are free; returns how many. */
  function startQueued(only?: string): number {
    let started = 0;
    for (const [host, jobs] of only === undefined ? queued : ([[only, queued.get(only)]] as [string, Claimed[] | undefined][])) {
      if (!jobs) continue;
      while (jobs.length > 0 && inFlight < maxInFlight && (perHost.get(host) ?? 0) < maxPerHost) {
        start(jobs.shift() as Claimed, host);
        queuedTotal--;
        started++;
      }
      if (jobs.length === 0) queued.delete(host);
    }
    return started;
  }

  /**
   * Starts what the queue can, then claims up to a few hosts' worth of due deliveries, passing over
   * hosts with a round of calls waiting. Returns how many deliveries it started and how many it claimed (both 0:
   * nothing to do until a call ends or more work is due).
   */
  async function pump(): Promise<{ started: number; claimed: number }> {
    let started = startQueued();
    // Calls in flight and claimed deliveries waiting are each bounded.
    const room = Math.min(maxPerHost * 2, maxInFlight - inFlight, maxQueued - queuedTotal);
    if (room <= 0) return { started, claimed: 0 };
    const full = fullHosts();
    if (!claimWanted(full)) return { started, claimed: 0 };
    news = false;
    const at = clock.now();
    const jobs = await store.claimDeliveries(owner, at, leaseMs, room, full).catch((err: unknown) => {
      news = true;
      throw err;
    });
    exhausted = jobs.length < room ? { skip: new Set(full), at } : null;
    if (jobs.length === 0) return { started, claimed: 0 };
    const claimed = await enqueue(jobs);
    started += startQueued();
    return { started, claimed };
  }

  /**
   * Queues claimed deliveries with their tasks and accounts, read in a few reads (one round trip
   * each on PostgreSQL); returns how many it kept. The account is read with the claim, so a changed
   * retry or signing setting applies to deliveries claimed after the change.
   */
  async function enqueue(jobs: readonly DeliveryJob[]): Promise<number> {
    const accountIds = [...new Set(jobs.map((j) => j.accountId))];
    const [tasks, accounts] = await Promise.all([
      // A budget alert's id names no task.
      store.tasksByIds([...new Set(jobs.filter((j) => j.kind !== 'budget_alert').map((j) => j.taskId))]),
      Promise.all(accountIds.map((id) => store.accountById(id))),
    ]);
    const taskOf = new Map(tasks.map((t) => [t.id, t]));
    const accountOf = new Map(accountIds.map((id, i) => [id, accounts[i] ?? null]));
    const overflow: number[] = [];
    for (const job of jobs) {
      const list = queued.get(job.host) ?? [];
      // Beyond what the host's queue may hold: back to the outbox, keeping its place.
      if (list.length >= hostQueueCap) {
        overflow.push(job.id);
        continue;
      }
      list.push({ job, task: taskOf.get(job.taskId) ?? null, account: accountOf.get(job.accountId) ?? null });
      queued.set(job.host, list);
      queuedTotal++;
    }
    if (overflow.length > 0) await store.releaseDeliveries(overflow, owner, null);
    return jobs.length - overflow.length;
  }

  /**
   * The webhooks of tasks this process just completed, claimed by task and started at once: no wait
   * for the loop's next claim, no scan of the outbox. A task whose receiving hosts already have a
   * round of calls waiting is left in the outbox, in line with what waits there for that host: the
   * claim takes it when the host runs low. When the bounds have no room, the loop's claim takes all.
   */
  async function handOff(tasks: readonly HandedOff[]): Promise<void> {
    const busy = new Set(fullHosts());
    const take: string[] = [];
    const left = new Set<string>();
    for (const t of tasks) {
      const hosts = [t.postbackUrl, t.pingbackUrl].filter((u): u is string => !!u).map(webhookHost);
      const full = hosts.filter((h) => busy.has(h));
      if (full.length === 0) take.push(t.id);
      else full.forEach((h) => left.add(h));
    }
    // What the last short claim knew stays true with these hosts passed over as well.
    if (left.size > 0 && exhausted) exhausted = { skip: new Set([...exhausted.skip, ...left]), at: exhausted.at };
    if (take.length === 0) return;
    if (Math.min(maxInFlight - inFlight, maxQueued - queuedTotal) < take.length * 2) {
      news = true;
      sleeper.wake();
      return;
    }
    const jobs = await store.claimDeliveriesOf(owner, take, clock.now(), leaseMs);
    if (jobs.length > 0) await enqueue(jobs);
    startQueued();
  }

  /** pump(), listed in `pumping` until it ends (removed before its caller resumes). */
  function trackedPump(): ReturnType<typeof pump> {
    const p: ReturnType<typeof pump> = pump().finally(() => pumping.delete(p));
    pumping.add(p);
    return p;
  }

  const sleeper = createSleeper();
  const sleep = (ms: number) => sleeper.sleep(ms);

  async function run(): Promise<void> {
    while (running) {
      try {
        // Claimed or started something: there may be more to claim while the overall bound has room.
        const { started, claimed } = await trackedPump();
        if (started + claimed > 0 && inFlight < maxInFlight && queuedTotal < maxQueued) continue;
        if (!running) break;
        if (inFlight > 0) {
          // Wait for a slot: a finishing delivery wakes the loop.
          await sleep(pollMs);
          continue;
        }
        const next = await store.nextDeliveryAt();
        const wait = next === null ? pollMs : Math.max(1, Math.min(pollMs, next - clock.now()));
        await sleep(wait);
      } catch (err) {
        options.onError?.(err);
        if (running) await sleep(Math.min(pollMs, 500));
      }
    }
  }

  return {
    async runOnce() {
      const before = startedTotal;
      news = true;
      for (;;) {
        const { started, claimed } = await trackedPump();
        if (active.size > 0) await Promise.race(active);
        // The loop's claim may still start calls.
        else if (pumping.size > 0) await Promise.race([...pumping].map((p) => p.catch(() => {})));
        // Queued deliveries need a busy host, so with nothing in flight the queue is empty too.
        else if (started + claimed === 0 && queuedTotal === 0) return startedTotal - before;
      }
    },
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      news = true;
      sleeper.wake();
    },
    handOff(tasks) {
      if (tasks.length === 0) return;
      if (!running) {
        news = true;
        return;
      }
      const p = handOff(tasks)
        .catch((err: unknown) => {
          // Left in the outbox: the loop's claim takes them.
          options.onError?.(err);
          news = true;
          sleeper.wake();
        })
        .finally(() => pumping.delete(p));
      pumping.add(p);
    },
    async stop() {
      running = false;
      sleeper.wake();
      await loop;
      // Hand-offs under way start their calls; then every call's outcome is written.
      await Promise.allSettled([...pumping]);
      await Promise.allSettled([...active]);
    },
  };
}

/**
 * The call a claimed delivery makes: a task's postback or pingback, or a budget alert (its body was
 * fixed when the alert was claimed; no task behind it); null when there is nothing to send.
 */
function callOf(job: DeliveryJob, task: TaskRow | null, account: AccountRow | null): WebhookCall | null {
  // Signature timestamps are wall-clock time: receivers compare them with their own clocks. The
  // message id is the same on every attempt, so a receiver can drop a retried duplicate.
  const sign = (messageId: string) =>
    account?.webhookSecret ? { secret: account.webhookSecret, messageId, timestampSec: Math.floor(Date.now() / 1000) } : null;
  if (job.kind === 'budget_alert') {
    return job.payload === null ? null : { kind: job.kind, url: job.url, json: job.payload, sign: sign(`msg_${job.taskId}`) };
  }
  if (!task) return null;
  return {
    kind: job.kind,
    task,
    fn: (task.postbackData ?? 'advanced') as ResultFunction,
    url: webhookUrl(job.url, task.id, task.tag),
    sign: sign(`msg_${task.id}_${job.kind}`),
  };
}
