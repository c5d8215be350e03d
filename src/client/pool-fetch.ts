import type { Pool } from 'undici';
import type { FetchLike } from './fetch-like.js';

/**
 * A `fetch` for the client on a pool of keep-alive connections to one origin (undici's `request`,
 * several times cheaper per call than the global fetch): what a process that makes thousands of
 * calls a minute to one API (the relay to its upstream) uses. Redirects are never followed.
 * undici is loaded on the first call, so that a process which never calls (the CLI's other
 * commands, a serve without the relay) does not pay for it.
 */
export interface PoolFetch extends FetchLike {
  /** Closes the pool's connections (after the calls in progress). */
  close(): Promise<void>;
}

export function createPoolFetch(baseUrl: string, options: { connections?: number } = {}): PoolFetch {
  const origin = new URL(baseUrl).origin;
  let pool: Pool | null = null;
  let opening: Promise<Pool> | null = null;
  let closed = false;
  const open = (): Promise<Pool> =>
    (opening ??= import('undici').then(async ({ Pool }) => {
      const p = new Pool(origin, { connections: options.connections ?? 32, pipelining: 1 });
      // Closed before its first call: the call fails as on any closed pool.
      if (closed) await p.close();
      return (pool = p);
    }));
  const poolFetch = async (url: string, init: Parameters<FetchLike>[1]) => {
    const target = new URL(url);
    if (target.origin !== origin) throw new TypeError(`this pool only reaches ${origin}, not ${target.origin}`);
    const res = await (pool ?? (await open())).request({
      origin,
      path: target.pathname + target.search,
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal: init.signal,
    });
    return { status: res.statusCode, text: () => res.body.text() };
  };
  return Object.assign(poolFetch, {
    close: async () => {
      closed = true;
      const p = opening && (await opening);
      if (p && !p.closed) await p.close();
    },
  });
}
