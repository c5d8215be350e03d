import type { ServerResponse } from 'node:http';

/**
 * The dashboard's server-sent events (GET /admin/events): one timer for every open stream, started
 * by the first subscriber and cleared with the last, so a process with no dashboard open does no
 * work and a closed stream leaves no timer behind. Each tick reads one snapshot and writes the same
 * frame to every stream; `poke()` sends one sooner after a change (throttled).
 *
 * Frames: `event: snapshot` with the snapshot's JSON on one `data:` line, and a comment line as
 * heartbeat so proxies keep an idle connection open.
 */
export interface EventHub {
  /** Streams frames to `res` until it closes (or the hub does); the first snapshot is sent at once. */
  subscribe(res: ServerResponse): void;
  /** A change was made: send a snapshot soon (at most one per POKE_MS). */
  poke(): void;
  /** Open streams. */
  size(): number;
  /** Ends every stream and the timer (server shutdown). */
  close(): void;
}

export interface EventHubOptions {
  /** Reads a fresh snapshot. */
  readonly read: () => Promise<unknown>;
  readonly onError: (err: unknown) => void;
  readonly tickMs?: number;
  readonly heartbeatMs?: number;
  readonly pokeMs?: number;
}

export const TICK_MS = 2000;
export const HEARTBEAT_MS = 15_000;
/** The least time between two snapshots sent because of changes. */
export const POKE_MS = 250;
/** A stream whose client stopped reading is dropped once this much waits unsent. */
const MAX_BUFFERED = 1 << 20;

/** One SSE frame: `event:` then the payload as `data:` lines (JSON.stringify never writes a newline). */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function createEventHub(options: EventHubOptions): EventHub {
  const tickMs = options.tickMs ?? TICK_MS;
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const pokeMs = options.pokeMs ?? POKE_MS;
  const streams = new Set<ServerResponse>();
  let tick: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let poked: NodeJS.Timeout | null = null;
  let reading = false;

  const write = (res: ServerResponse, text: string) => {
    if (res.writableLength > MAX_BUFFERED) return void res.destroy();
    res.write(text);
  };
  const broadcast = (text: string) => streams.forEach((res) => write(res, text));

  async function send(): Promise<void> {
    // A slow store must not stack reads: a tick that comes while one is running is skipped.
    if (reading || streams.size === 0) return;
    reading = true;
    try {
      broadcast(sseFrame('snapshot', await options.read()));
    } catch (err) {
      options.onError(err);
    } finally {
      reading = false;
    }
  }

  function stopTimers() {
    if (tick) clearInterval(tick);
    if (heartbeat) clearInterval(heartbeat);
    if (poked) clearTimeout(poked);
    tick = heartbeat = poked = null;
  }

  function leave(res: ServerResponse) {
    streams.delete(res);
    if (streams.size === 0) stopTimers();
  }

  return {
    subscribe(res) {
      streams.add(res);
      res.once('close', () => leave(res));

      if (!tick) {
        tick = setInterval(() => void send(), tickMs);
        heartbeat = setInterval(() => broadcast(': heartbeat\n\n'), heartbeatMs);
      }
      // The new stream's first snapshot: a fresh read for everyone (one more frame for the others is harmless).
      void send();
    },
    poke() {
      if (poked || streams.size === 0) return;
      poked = setTimeout(() => {
        poked = null;
        void send();
      }, pokeMs);
    },
    size: () => streams.size,
    close() {
      stopTimers();
      for (const res of [...streams]) res.end();
      streams.clear();
    },
  };
}
