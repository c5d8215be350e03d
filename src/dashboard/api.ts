import { createSseParser } from './sse.js';
import type { Snapshot } from './types.js';

/**
 * The dashboard's calls to the admin API: every one carries `Authorization: Bearer <admin token>`,
 * the token the operator signed in with, kept in sessionStorage (gone with the tab) and never put
 * in a URL. The event stream is read with fetch() for the same reason (EventSource sends no headers).
 */
const TOKEN_KEY = 'serpq.adminToken';

export const savedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const saveToken = (token: string): void => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = (): void => sessionStorage.removeItem(TOKEN_KEY);

/** The admin API refused the token (401): the page signs out. */
export class RefusedToken extends Error {}

/** An answer other than 2xx, with the admin API's `error` line and the HTTP status (404: no such task...). */
export class AdminError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

export async function admin<T>(token: string, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  if (res.status === 401) throw new RefusedToken('The admin token was refused.');
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page): reported below by status.
  }
  if (!res.ok) {
    const error = json && typeof json === 'object' && 'error' in json ? String((json as { error: unknown }).error) : `HTTP ${res.status}`;
    throw new AdminError(error, res.status);
  }
  return json as T;
}

export interface Stream {
  stop(): void;
}

/**
 * Follows GET /admin/events: each `snapshot` event goes to `onSnapshot`; a broken stream is opened
 * again after `retryMs` (and `onState` says so); a refused token stops it.
 */
export function follow(
  token: string,
  handlers: { onSnapshot: (s: Snapshot) => void; onState: (live: boolean) => void; onRefused: () => void },
  retryMs = 2000,
): Stream {
  let stopped = false;
  let abort: AbortController | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;

  async function open() {
    abort = new AbortController();
    try {
      const res = await fetch('/admin/events', { headers: { authorization: `Bearer ${token}` }, signal: abort.signal, cache: 'no-store' });
      if (res.status === 401) {
        stopped = true;
        return handlers.onRefused();
      }
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      handlers.onState(true);
      const parser = createSseParser((e) => {
        if (e.event === 'snapshot') handlers.onSnapshot(JSON.parse(e.data) as Snapshot);
      });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } catch {
      // Aborted by stop(), or the connection broke: retried below unless stopped.
    }
    if (stopped) return;
    handlers.onState(false);
    retry = setTimeout(open, retryMs);
  }

  void open();
  return {
    stop() {
      stopped = true;
      abort?.abort();
      if (retry) clearTimeout(retry);
    },
  };
}
