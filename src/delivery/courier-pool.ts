import { Worker } from 'node:worker_threads';
import type { Executor } from '../executors/executor.js';
import type { Results } from '../store/store.js';
import { type Courier, type TaskWebhookCall, createInlineCourier } from './courier.js';
import type { ThreadData, ThreadJob, ThreadReply } from './courier-thread.js';
import { type SendOptions, type SendResult, createSender } from './send.js';

/**
 * Makes webhook calls on a pool of worker threads, so that building postback bodies (rendering,
 * serialising and compressing: most of a postback's cost) and sending them run on every core while
 * the event loop answers the API, executes tasks and keeps the books. Threads start on the first
 * call and exit after `idleMs` without one (an idle serpq holds no thread and its memory; the next
 * webhook starts one again, which costs ~30 ms once). A call whose thread fails or dies is made on the main thread instead: a broken pool slows
 * webhooks down but never loses one (a receiver may then get a call twice, as after any crash).
 */
export interface CourierPoolOptions {
  readonly store: Pick<Results, 'resultOf'>;
  /** The executor of this process; its results are rendered in the threads when `renderer` names it. */
  readonly executor: Executor;
  /** 'sandbox' when the threads can render results themselves; null to pass them the stored results. */
  readonly renderer: 'sandbox' | null;
  readonly threads: number;
  readonly send: SendOptions;
  readonly onError?: (err: unknown) => void;
  /** The thread's module (tests give a failing one); default courier-thread next to this file. */
  readonly entry?: URL;
  /** A thread with no call for this long exits (default COURIER_IDLE_MS). */
  readonly idleMs?: number;
  /** The timers of the idle exit (tests fire them by hand). */
  readonly timers?: IdleTimers;
}

export interface IdleTimers {
  /** `fn` retires the thread and returns a promise of its exit (once the pool has seen it). */
  setTimeout(fn: () => unknown, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const COURIER_IDLE_MS = 30_000;

/** A courier on threads; `threads()` is how many run now. */
export interface CourierPool extends Courier {
  threads(): number;
}

const REAL_TIMERS: IdleTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface Slot {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly pending: Map<number, { resolve(result: SendResult): void; reject(err: Error): void }>;
  /** Set once the thread failed or exited: nothing may be posted to it any more. */
  dead: boolean;
  /** Calls given to this thread and not finished (including the reads before posting them). */
  busy: number;
  /** The idle exit's timer, armed while busy is 0. */
  idle: unknown;
  /** Set when it exits for being idle: its exit is no failure. */
  retired: boolean;
}

class ThreadDied extends Error {}

/** Consecutive thread failures after which the pool gives up and builds everything inline. */
const MAX_THREAD_FAILURES = 3;

export function createCourierPool(options: CourierPoolOptions): CourierPool {
  const idleMs = options.idleMs ?? COURIER_IDLE_MS;
  const timers = options.timers ?? REAL_TIMERS;
  const inline = createInlineCourier(options.store, options.executor, createSender(options.send));
  const slots: Slot[] = [];
  let nextId = 1;
  let failures = 0;
  let closed = false;

  function spawn(): Slot {
    const here = import.meta.url;
    const entry = options.entry ?? new URL(here.endsWith('.ts') ? './courier-thread.ts' : './courier-thread.js', here);
    const workerData: ThreadData = { renderer: options.renderer, send: options.send };
    // Built code runs a .js entry directly; from source (tests, tsx) a .ts entry is loaded through tsx.
    const worker = entry.pathname.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((api) => api.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(here)}))`, {
          eval: true,
          workerData,
        })
      : new Worker(entry, { workerData });
    worker.unref();
    const pending: Slot['pending'] = new Map();
    let markReady: () => void = () => {};
    let markFailed: (err: Error) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    ready.catch(() => {});
    const slot: Slot = { worker, ready, pending, dead: false, busy: 0, idle: null, retired: false };
    const fail = (err: Error) => {
      if (slot.dead) return;
      slot.dead = true;
      if (slot.idle !== null) timers.clearTimeout(slot.idle);
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
      markFailed(err);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      if (!closed && !slot.retired) {
        failures++;
        options.onError?.(err);
      }
    };
    worker.on('message', (msg: ThreadReply) => {
      if ('ready' in msg) {
        markReady();
        return;
      }
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      failures = 0;
      if ('error' in msg) p.reject(new Error(msg.error));
      else p.resolve(msg.result);
    });
    worker.on('error', (err) => fail(new ThreadDied(`courier thread failed: ${err.message}`)));
    worker.on('exit', (code) => fail(new ThreadDied(`courier thread exited (${code})`)));
    return slot;
  }

  /**
   * A thread idle for idleMs leaves the pool and exits; calls after that start another. Resolves once
   * it exited: terminate() settles after the 'exit' listeners, the pool's own (registered first) included.
   */
  async function retire(slot: Slot): Promise<void> {
    slot.idle = null;
    if (slot.dead || slot.busy > 0) return;
    slot.retired = true;
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    await slot.worker.terminate().catch(() => {});
  }

  function release(slot: Slot): void {
    slot.busy--;
    if (slot.busy === 0 && !slot.dead && !closed) slot.idle = timers.setTimeout(() => retire(slot), idleMs);
  }

  /** An idle thread, else a new one up to the pool size, else the least busy: the pool grows with the calls in flight. */
  function pick(): Slot | null {
    if (closed || failures >= MAX_THREAD_FAILURES) return null;
    if (slots.length < options.threads && !slots.some((s) => s.busy === 0)) {
      const slot = spawn();
      slots.push(slot);
      return slot;
    }
    let best = slots[0] as Slot;
    for (const s of slots) if (s.busy < best.busy) best = s;
    return best;
  }

  async function inThread(slot: Slot, call: TaskWebhookCall): Promise<SendResult> {
    // A stored result is read here, where the store is; a renderer reads nothing.
    const stored = call.kind === 'postback' && !options.renderer ? await options.store.resultOf(call.task.id, call.fn) : null;
    await slot.ready;
    // It may have died during the awaits; its pending calls were failed then, so this one must not wait.
    if (slot.dead) throw new ThreadDied('courier thread gone');
    const id = nextId++;
    return new Promise<SendResult>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, call, stored } satisfies ThreadJob);
    });
  }

  return {
    async deliver(call) {
      // A budget alert has its body already and is rare: nothing to gain from a thread.
      if (call.kind === 'budget_alert') return inline.deliver(call);
      // Another API's stored result is found by its type's function, which the main thread reads.
      if (call.kind === 'postback' && call.task.api !== 'serp' && !options.renderer) return inline.deliver(call);
      const slot = pick();
      if (!slot) return inline.deliver(call);
      slot.busy++;
      if (slot.idle !== null) {
        timers.clearTimeout(slot.idle);
        slot.idle = null;
      }
      try {
        return await inThread(slot, call);
      } catch (err) {
        // The thread could not make the call (or died, which was reported already): make it here.
        if (!(err instanceof ThreadDied)) options.onError?.(err);
        return inline.deliver(call);
      } finally {
        release(slot);
      }
    },
    threads: () => slots.length,
    async close() {
      closed = true;
      for (const s of slots) if (s.idle !== null) timers.clearTimeout(s.idle);
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
      await inline.close();
    },
  };
}
