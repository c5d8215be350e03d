/**
 * The one source of time. Every rule that depends on time (the 3-day tasks_ready window, 30/7-day
 * result retention, per-minute limits, leases, sandbox latency) reads a Clock, so tests and
 * `--time-travel` can move time without sleeping.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** Real time plus an offset that can only move forward (time travel). */
export interface TravelClock extends Clock {
  readonly travel: true;
  offsetMs(): number;
  /** Moves the clock forward; negative values are refused (time never runs backwards for stored rows). */
  advance(ms: number): void;
  /** Replaces the offset (used when the offset is shared through the store); never below the current one. */
  setOffset(ms: number): void;
  /** Back to real time (offset 0): only when every stored row is wiped with it (POST /admin/reset). */
  resetOffset(): void;
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

export function createTravelClock(base: Clock = systemClock, initialOffsetMs = 0): TravelClock {
  let offset = initialOffsetMs;
  return {
    travel: true,
    now: () => base.now() + offset,
    offsetMs: () => offset,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
      offset += ms;
    },
    setOffset(ms: number) {
      if (ms > offset) offset = ms;
    },
    resetOffset() {
      offset = 0;
    },
  };
}

/** A clock that stands still until told to move: for tests. */
export function createManualClock(startMs = Date.UTC(2026, 0, 15, 12, 0, 0)): TravelClock {
  let t = startMs;
  return createTravelClock({ now: () => t }, 0);
}

export function isTravelClock(c: Clock): c is TravelClock {
  return (c as TravelClock).travel === true;
}
