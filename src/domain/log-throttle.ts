/**
 * Which reports of a repeated background failure reach the log. The first report of a key is
 * logged; repeats within the window are held back, and the first one after it is logged with how
 * many were held back meanwhile. A flapping database, or a resync failing every second, then writes
 * one line a minute per distinct failure, while the metrics count every one.
 */
export interface LogThrottle {
  /** Null: hold this report back. Else log it, saying that `held` reports of its key were held back since the last one logged. */
  admit(key: string, now: number): { readonly held: number } | null;
}

/** How long repeats of a logged failure are held back. */
export const LOG_THROTTLE_MS = 60_000;

/** Keys remembered at most (messages that embed ids would otherwise grow the map without end); the oldest go first. */
const MAX_KEYS = 256;

export function createLogThrottle(windowMs = LOG_THROTTLE_MS): LogThrottle {
  const seen = new Map<string, { loggedAt: number; held: number }>();
  return {
    admit(key, now) {
      const last = seen.get(key);
      // A clock that went back (now < loggedAt) logs rather than holding back for an unknown time.
      if (last && now >= last.loggedAt && now - last.loggedAt < windowMs) {
        last.held++;
        return null;
      }
      seen.delete(key);
      if (seen.size >= MAX_KEYS) seen.delete(seen.keys().next().value as string);
      seen.set(key, { loggedAt: now, held: 0 });
      return { held: last?.held ?? 0 };
    },
  };
}

/** The end of a line logged after others were held back: how many, since the last one logged. */
export function heldNote(held: number): string {
  return held > 0 ? ` (and ${held} more like it since the last report)` : '';
}
