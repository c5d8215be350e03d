import { type Clock, type TravelClock, createTravelClock, systemClock } from '../domain/clock.js';
import type { SharedStore, Settings } from '../store/store.js';

/** Settings key of the persisted time-travel offset (ms). */
export const CLOCK_OFFSET_KEY = 'clock_offset_ms';

/**
 * The clock of a process. Without time travel, real time. With it, real time plus an offset kept in
 * the store, so every process sharing the store reads one clock:
 * - a move is an atomic increment of the stored offset (`offset = offset + N`), never a write of one
 *   process's idea of it, so moves made through several processes at once all add up;
 * - the store announces each move (PostgreSQL NOTIFY) and every process applies it on arrival,
 *   within milliseconds; the stored offset is also re-read every second, which covers a lost
 *   notification; a re-read that fails leaves the clock at its last offset until one succeeds, and
 *   is told to `onSyncFailed` listeners (the process logs and counts it); so is a LISTEN that could
 *   not start, after which moves made elsewhere arrive with the re-read only;
 * - the offset only grows, so a late or repeated announcement never moves a clock backwards.
 */
export interface ProcessClock {
  readonly clock: Clock;
  /** Moves the shared clock forward by `ms` and applies the stored result here; returns the new offset. */
  advance(ms: number): Promise<number>;
  /** Re-reads the stored offset now. */
  sync(): Promise<void>;
  /** Back to real time in this process, after the store was wiped (its stored offset with it). */
  reset(): void;
  /** Calls `fn` after the clock moved through any process (the workers re-check what became due). */
  onMoved(fn: () => void): void;
  /**
   * Calls `fn` with the error of every failed periodic re-read of the stored offset (`resync`), and
   * with the error of a LISTEN for other processes' moves that failed when the clock opened
   * (`listen`: told to each listener as it registers, since it happened before any could).
   */
  onSyncFailed(fn: (err: unknown, what: ClockSyncFailure) => void): void;
  stop(): Promise<void>;
}

/** What failed to keep the clock in step with other processes. */
export type ClockSyncFailure = 'resync' | 'listen';

export async function openClock(
  timeTravel: boolean,
  store: Settings & Pick<SharedStore, 'listen'>,
  base: Clock = systemClock,
  resyncMs = 1000,
): Promise<ProcessClock> {
  if (!timeTravel) {
    return {
      clock: base,
      advance: () => Promise.reject(new Error('time travel is off')),
      sync: async () => {},
      reset() {},
      onMoved() {},
      onSyncFailed() {},
      stop: async () => {},
    };
  }
  const clock: TravelClock = createTravelClock(base);
  const movedHandlers: (() => void)[] = [];
  const failedHandlers: ((err: unknown, what: ClockSyncFailure) => void)[] = [];
  let listenFailure: { err: unknown } | null = null;
  const apply = (offset: number) => {
    if (!Number.isFinite(offset) || offset <= clock.offsetMs()) return;
    clock.setOffset(offset);
    for (const fn of movedHandlers) fn();
  };
  const sync = async () => apply(Number(await store.getSetting(CLOCK_OFFSET_KEY)));
  await sync();
  const stopListening = await store
    .listen?.({
      onTasks: () => {},
      onDeliveries: () => {},
      onSetting: (key, value) => {
        if (key === CLOCK_OFFSET_KEY) apply(Number(value));
      },
    })
    .catch((err: unknown) => {
      listenFailure = { err };
      return null;
    });
  const timer = setInterval(
    () =>
      void sync().catch((err: unknown) => {
        for (const fn of failedHandlers) fn(err, 'resync');
      }),
    resyncMs,
  );
  timer.unref();
  return {
    clock,
    async advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
      const offset = await store.addToSetting(CLOCK_OFFSET_KEY, Math.round(ms));
      apply(offset);
      return offset;
    },
    sync,
    reset() {
      clock.resetOffset();
      for (const fn of movedHandlers) fn();
    },
    onMoved(fn) {
      movedHandlers.push(fn);
    },
    onSyncFailed(fn) {
      failedHandlers.push(fn);
      if (listenFailure) fn(listenFailure.err, 'listen');
    },
    async stop() {
      clearInterval(timer);
      await stopListening?.();
    },
  };
}
