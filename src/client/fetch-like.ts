/** What the client needs of a fetch: the global one, or `createPoolFetch` (src/client/pool-fetch.ts). */
export type FetchLike = (
  url: string,
  init: {
    method: 'GET' | 'POST';
    headers: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
    redirect?: 'follow' | 'manual';
  },
) => Promise<{ status: number; text(): Promise<string> }>;
