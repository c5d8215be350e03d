import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Clock } from '../domain/clock.js';
import { isWebhookSuccess, nextAttemptAt, signatureHeaders, webhookUrl } from '../domain/webhooks.js';
import type { DeliveryJob, Store, TaskRow } from '../store/store.js';
import type { Sender } from './send.js';
import { createSleeper } from '../worker/sleeper.js';

/**
 * The outbox dispatcher: claims due webhook deliveries under a lease, sends them, and records each
 * attempt with its consequences in one transaction. A crash mid-send leaves the lease to expire and
 * the delivery is sent again (at least once), so no completed task is ever left neither delivered
 * nor listed. Concurrency is bounded overall and per receiving host, so a slow or hostile receiver
 * holds at most its own share of connections; the rest of its deliveries wait their turn in the outbox.
 */
export interface DispatcherOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly sender: Sender;
  /** The JSON text of task_get/{fn} for a task: the postback body. */
  readonly payload: (task: TaskRow, fn: string) => Promise<string>;
  readonly maxInFlight?: number;
  readonly maxPerHost?: number;
  readonly leaseMs?: number;
  readonly pollMs?: number;
  readonly onError?: (err: unknown) => void;
}

export interface Dispatcher {
  /** Sends everything due now and waits for the outcomes (for tests and `serpq` one-shot use). */
  runOnce(): Promise<number>;
  start(): void;
  wake(): void;
  stop(): Promise<void>;
}

const USER_AGENT = 'serpq-webhooks/1';
const gzipAsync = promisify(gzip);

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { store, clock, sender } = options;
  const maxInFlight = options.maxInFlight ?? 512;
  const maxPerHost = options.maxPerHost ?? 32;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1000;
  const owner = `d-${randomBytes(6).toString('hex')}`;
  const perHost = new Map<string, number>();
  let inFlight = 0;
  let running = false;
  let loop: Promise<void> | null = null;
  const active = new Set<Promise<void>>();

  async function deliver(job: DeliveryJob, host: string): Promise<void> {
    try {
      const task = await store.taskById(job.taskId);
      if (!task) return;
      // Read per delivery (a point lookup), so a changed retry or signing setting applies at once.
      const account = await store.accountById(job.accountId);
      const url = webhookUrl(job.url, task.id, task.tag);
      const headers: Record<string, string> = { 'user-agent': USER_AGENT };
      let body: Buffer | undefined;
      let signed = '';
      if (job.kind === 'postback') {
        signed = await options.payload(task, task.postbackData ?? 'advanced');
        // Compressed on the thread pool (off the event loop, so on the other core when there is one),
        // at level 1: a third of the default's CPU for a slightly larger body.
        body = await gzipAsync(signed, { level: 1 });
        headers['content-type'] = 'application/json';
        headers['content-encoding'] = 'gzip';
      }
      if (account?.webhookSecret) {
        // Signature timestamps are wall-clock time: receivers compare them with their own clocks.
        Object.assign(
          headers,
          signatureHeaders(account.webhookSecret, `msg_${task.id}_${job.kind}`, Math.floor(Date.now() / 1000), signed),
        );
      }
      const method = job.kind === 'postback' ? 'POST' : 'GET';
      const attemptedAt = clock.now();
      const out = await sender.send({ method, url, headers, body });
      const ok = isWebhookSuccess(out.httpCode);
      await store.recordAttempt({
        deliveryId: job.id,
        owner,
        taskId: task.id,
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
      const n = (perHost.get(host) ?? 1) - 1;
      if (n <= 0) perHost.delete(host);
      else perHost.set(host, n);
      startQueued(host);
      sleeper.wake();
    }
  }

  function hostOf(job: DeliveryJob): string {
    try {
      return new URL(job.url.replace(/\$id|\$tag/g, 'x')).host;
    } catch {
      return '';
    }
  }

  // Claimed deliveries waiting for a free slot of their host. They stay leased; the queue per host is
  // capped so that even a host at its limit with the full 10 s timeout drains it well within the lease.
  const queued = new Map<string, DeliveryJob[]>();
  let queuedTotal = 0;
  const hostQueueCap = maxPerHost * 4;

  function start(job: DeliveryJob, host: string): void {
    perHost.set(host, (perHost.get(host) ?? 0) + 1);
    inFlight++;
    const p = deliver(job, host);
    active.add(p);
    void p.finally(() => active.delete(p));
  }

  /** Starts queued deliveries of one host (or of every host) while slots are free; returns how many. */
  function startQueued(only?: string): number {
    let started = 0;
    for (const [host, jobs] of only === undefined ? queued : ([[only, queued.get(only)]] as [string, DeliveryJob[] | undefined][])) {
      if (!jobs) continue;
      while (jobs.length > 0 && inFlight < maxInFlight && (perHost.get(host) ?? 0) < maxPerHost) {
        start(jobs.shift() as DeliveryJob, host);
        queuedTotal--;
        started++;
      }
      if (jobs.length === 0) queued.delete(host);
    }
    return started;
  }

  /**
   * Starts what the queue holds, then claims more only when the queue runs low, in batches a few
   * hosts' worth in size: a single busy receiver never makes the loop claim and release rows over
   * and over.
   */
  async function pump(): Promise<number> {
    let started = startQueued();
    const room = Math.min(maxPerHost * 2, maxInFlight - inFlight - queuedTotal);
    if (queuedTotal >= maxPerHost || room <= 0) return started;
    const jobs = await store.claimDeliveries(owner, clock.now(), leaseMs, room);
    const overflow: number[] = [];
    for (const job of jobs) {
      const host = hostOf(job);
      const list = queued.get(host) ?? [];
      if (list.length >= hostQueueCap) {
        overflow.push(job.id);
        continue;
      }
      list.push(job);
      queued.set(host, list);
      queuedTotal++;
    }
    if (overflow.length > 0) await store.releaseDeliveries(overflow, owner, clock.now());
    started += startQueued();
    return started;
  }

  const sleeper = createSleeper();
  const sleep = (ms: number) => sleeper.sleep(ms);

  async function run(): Promise<void> {
    while (running) {
      try {
        const started = await pump();
        if (started > 0 && inFlight < maxInFlight && queuedTotal < maxPerHost) continue;
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
      let total = 0;
      for (;;) {
        const started = await pump();
        total += started;
        if (active.size > 0) await Promise.race(active);
        // Queued deliveries need a busy host, so with nothing in flight the queue is empty too.
        if (started === 0 && active.size === 0 && queuedTotal === 0) return total;
      }
    },
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
      sleeper.wake();
      await loop;
      await Promise.allSettled([...active]);
    },
  };
}
