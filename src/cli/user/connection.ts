import { type SerpqClient, SerpqHttpError, createClient, createPoolFetch } from '../../client/index.js';

/**
 * Where the user commands (post, collect, ready, clock) talk to, and as whom. The same commands work
 * against serpq and against the vendor: `--base-url` (default http://127.0.0.1:8080), credentials
 * from `--login`/`--password`, else SERPQ_LOGIN/SERPQ_PASSWORD, else DATAFORSEO_LOGIN/DATAFORSEO_PASSWORD
 * (the names the vendor's own tools read).
 */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';

/** A problem the user can fix (bad input, refused credentials): printed as one line, non-zero exit. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface ConnectionFlags {
  baseUrl?: string;
  login?: string;
  password?: string;
}

export interface Connection {
  readonly baseUrl: string;
  readonly login: string;
  readonly client: SerpqClient;
  /** Ends the connection pool. */
  close(): Promise<void>;
}

export function baseUrlOf(flags: ConnectionFlags, env: NodeJS.ProcessEnv): string {
  const raw = flags.baseUrl ?? env.SERPQ_BASE_URL ?? DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError(`--base-url '${raw}' is not a URL (e.g. ${DEFAULT_BASE_URL} or https://api.dataforseo.com)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`--base-url '${raw}' must be http:// or https://`);
  // Accept a pasted ".../v3" as well: the client adds /v3 itself.
  return url.origin + url.pathname.replace(/\/+$/, '').replace(/\/v3$/, '');
}

export function credentialsOf(flags: ConnectionFlags, env: NodeJS.ProcessEnv): { login: string; password: string } {
  const pick = (flag: string | undefined, ...names: string[]) => flag ?? names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
  const login = pick(flags.login, 'SERPQ_LOGIN', 'DATAFORSEO_LOGIN');
  const password = pick(flags.password, 'SERPQ_PASSWORD', 'DATAFORSEO_PASSWORD');
  if (!login || !password) {
    throw new UserError(
      `no credentials: pass --login and --password, or set SERPQ_LOGIN and SERPQ_PASSWORD (or DATAFORSEO_LOGIN and DATAFORSEO_PASSWORD)`,
    );
  }
  return { login, password };
}

export function connect(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env, connections = 32): Connection {
  const baseUrl = baseUrlOf(flags, env);
  const { login, password } = credentialsOf(flags, env);
  const pool = createPoolFetch(baseUrl, { connections });
  const client = createClient({ baseUrl, login, password, fetch: pool, timeoutMs: 120_000 });
  return { baseUrl, login, client, close: () => pool.close() };
}

/** The vendor status code a failed call carried, if any (HTTP errors carry the envelope too). */
export function statusOf(err: unknown): number | null {
  return err instanceof SerpqHttpError ? (err.body?.status_code ?? null) : null;
}

/** Whether a failed call proves the credentials were refused (40100, HTTP 401). */
export function refused(err: unknown): boolean {
  return err instanceof SerpqHttpError && (err.status === 401 || err.body?.status_code === 40100);
}

/** A failed call as one line: the vendor's code and message, or the network error. */
export function describeFailure(err: unknown, baseUrl: string): string {
  if (refused(err)) return `credentials refused by ${baseUrl} (40100): check --login/--password or SERPQ_LOGIN/SERPQ_PASSWORD`;
  if (err instanceof SerpqHttpError) return `${baseUrl} answered ${err.message}`;
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return `cannot reach ${baseUrl}: ${detail}`;
}
