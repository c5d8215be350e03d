/** The PostgreSQL store's connection: URL parsing and the check before opening, the pools, the retried query and transaction runners, and the NOTIFY channels with their listener. */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { ClientConfig, CustomTypesConfig, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { isRetryableDbError, retryDelayMs } from '../map-db-error.js';
import type { StoreListeners } from '../store.js';

export interface PostgresStoreOptions {
  /**
   * A postgres:// or postgresql:// URL as pg accepts it, plus serpq's own `?schema=<name>` parameter:
   * every connection then uses that schema (search_path), created by migrate() if missing. The
   * parameter is removed before the URL is given to pg.
   */
  readonly url: string;
  /** Overrides `?schema=` of the URL. Letters, digits and underscores, at most 63 characters. */
  readonly schema?: string;
  /** Connections in the pool (default 10). */
  readonly poolSize?: number;
}

/** A query of the store's pool (named statements are prepared once per connection). */
export type Query = <R extends QueryResultRow>(name: string | undefined, text: string, values?: unknown[]) => Promise<QueryResult<R>>;
/** A transaction on one pooled connection. */
export type Tx = <T>(fn: (c: PoolClient) => Promise<T>) => Promise<T>;

/** The NOTIFY channels of one store (schema-qualified when a schema is set). */
export interface Channels {
  readonly tasks: string;
  readonly deliveries: string;
  readonly ready: string;
  /** addToSetting: the payload is `key=value`. */
  readonly settings: string;
}

/** What every part of the PostgreSQL store works through: one per store, made by `connection()`. */
export interface PostgresConnection {
  /** Every statement runs on this pool. */
  readonly pool: pg.Pool;
  /** The rate-limit counters' own small pool (asynchronous commit). */
  readonly counterPool: pg.Pool;
  /** How a connection is opened (the pools' and the LISTEN connection's). */
  readonly clientConfig: ClientConfig;
  /** The schema every connection uses (null: the server's default search_path). */
  readonly schema: string | null;
  readonly channels: Channels;
  /** One statement (autocommit: atomic on its own), retried on deadlock / serialization failure. */
  readonly query: Query;
  /** A transaction on one pooled connection, retried as a whole on deadlock / serialization failure. */
  readonly tx: Tx;
}

/** Attempts of a statement or transaction that failed on a deadlock or serialization failure. */
export const MAX_ATTEMPTS = 4;

/**
 * int8 (BIGINT: ids, epoch-ms times, micro-USD) as JS numbers, for this store's connections only:
 * the global pg.types stay untouched. Every stored value is far below 2^53.
 */
export const TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

/** A schema name as accepted (unquoted identifier characters, at most 63). */
export const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Opens the store's pools (they connect on first use). `onPoolError` hears of an idle connection of
 * a pool (`main` or `counters`) that broke: no caller sees it.
 */
export function connection(
  options: PostgresStoreOptions,
  onPoolError: (source: 'main' | 'counters', err: Error) => void,
): PostgresConnection {
  const parsed = parsePostgresUrl(options.url);
  const schema = options.schema ?? parsed.schema;
  if (schema !== null && !SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name '${schema}': use letters, digits and underscores (at most 63)`);
  }
  const pgOptions = [parsed.options, schema ? `-c search_path=${quoteIdent(schema)}` : null].filter(Boolean).join(' ');
  const clientConfig: ClientConfig = {
    connectionString: parsed.connectionString,
    types: TYPES,
    ...(pgOptions ? { options: pgOptions } : {}),
  };
  const pool = new pg.Pool({ ...clientConfig, max: options.poolSize ?? 10 });
  // An idle connection that breaks (server restart) is dropped by the pool; without a listener the
  // 'error' event would crash the process. No caller sees it: it is reported (store-failures.ts).
  pool.on('error', (err) => onPoolError('main', err));
  // Rate-limit counters do not need to reach disk before the answer: a crash loses at most the
  // last moments of counts. A small pool of its own commits them asynchronously.
  const counterPool = new pg.Pool({
    ...clientConfig,
    options: [pgOptions, '-c synchronous_commit=off'].filter(Boolean).join(' '),
    max: 2,
  });
  counterPool.on('error', (err) => onPoolError('counters', err));
  const channels: Channels = {
    tasks: channelName('serpq_tasks', schema),
    deliveries: channelName('serpq_deliveries', schema),
    ready: channelName('serpq_ready', schema),
    settings: channelName('serpq_settings', schema),
  };

  const query = async <R extends QueryResultRow>(
    name: string | undefined,
    text: string,
    values: unknown[] = [],
  ): Promise<QueryResult<R>> => {
    for (let i = 1; ; i++) {
      try {
        return await pool.query<R>(name ? { name, text, values } : { text, values });
      } catch (err) {
        if (i >= MAX_ATTEMPTS || !isRetryableDbError(err)) throw err;
        await backoff(i);
      }
    }
  };

  const tx = async <T>(fn: (c: PoolClient) => Promise<T>): Promise<T> => {
    for (let i = 1; ; i++) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        if (i >= MAX_ATTEMPTS || !isRetryableDbError(err)) throw err;
      } finally {
        client.release(broken);
      }
      await backoff(i);
    }
  };

  return { pool, counterPool, clientConfig, schema, channels, query, tx };
}

/** Double-quotes an identifier (schema and channel names; they are validated too). */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/**
 * Splits serpq's own `schema` query parameter (and libpq `options`, merged with ours) off a
 * postgres:// URL; the other parameters are left as written for pg.
 */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string | null; options: string | null } {
  const q = url.indexOf('?');
  if (q < 0) return { connectionString: url, schema: null, options: null };
  let schema: string | null = null;
  let options: string | null = null;
  const kept: string[] = [];
  for (const part of url.slice(q + 1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
    const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    if (key === 'schema') schema = value;
    else if (key === 'options') options = value;
    else kept.push(part);
  }
  return { connectionString: url.slice(0, q) + (kept.length ? '?' + kept.join('&') : ''), schema: schema || null, options };
}

/** What a failed connection's code means, for postgresProblem. */
const CODES: Record<string, string> = {
  ECONNREFUSED: 'nothing listens there',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name does not resolve',
  ETIMEDOUT: 'no answer in time',
  EHOSTUNREACH: 'the host is unreachable',
  '28P01': 'the password was refused',
  '28000': 'the login was refused',
  '3D000': 'the database does not exist',
};

/**
 * One connection to a postgres:// URL before the store starts, so that an unreachable server, a
 * refused login or a missing database is told in one line naming host and port, not as
 * `connect ECONNREFUSED 127.0.0.1:1` from the middle of a migration. Null when it connects.
 */
export async function postgresProblem(url: string, timeoutMs = 5000): Promise<string | null> {
  const { connectionString } = parsePostgresUrl(url);
  let where = 'the server';
  try {
    const u = new URL(connectionString);
    where = `${u.hostname || 'localhost'}:${u.port || '5432'}`;
  } catch {
    return 'is not a valid postgres:// URL (postgres://user:password@host:5432/database)';
  }
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: timeoutMs });
  // A broken connection after connect() would otherwise be an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return null;
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    const why = CODES[code] ?? (err as Error).message;
    return `cannot connect to PostgreSQL at ${where} (${code ? `${code}: ` : ''}${why}): check that the server runs and the URL's host, port, login and database`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A NOTIFY channel name for this store's schema (identifiers stop at 63 bytes; long names are hashed). */
export function channelName(base: string, schema: string | null): string {
  if (!schema) return base;
  const name = `${schema}.${base}`;
  return Buffer.byteLength(name) <= 63 ? name : `${base}.${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
}

/** The pause before the next attempt of a retried statement or transaction. */
export function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
}

/**
 * Relays a store's wake-ups: `onTasks` when tasks were posted, `onDeliveries` when webhook
 * deliveries were queued (completions with webhooks, resends), `onSetting` when a setting moved (the
 * clock). Uses a dedicated connection outside the pool; when it breaks it reconnects (after 1 s,
 * repeatedly) and then calls onTasks and onDeliveries once, since notifications may have been missed
 * meanwhile (a missed setting is caught by the clock's periodic re-read).
 *
 * A NOTIFY is only a hint that lets an idle worker or dispatcher start sooner: it can be lost
 * (connection dropped, listener not yet connected), and several are merged into one. Polling
 * (nextDueAt / nextDeliveryAt and the claims) stays the source of truth.
 *
 * Resolves once listening; the returned function stops listening and closes the connection.
 */
export async function listenTo(config: ClientConfig, channels: Channels, handlers: StoreListeners): Promise<() => Promise<void>> {
  const { tasks, deliveries, settings } = channels;
  const safe = (fn: () => void) => {
    try {
      fn();
    } catch {
      // A wake-up callback must not break the listener.
    }
  };
  let stopped = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;

  const open = async (): Promise<pg.Client> => {
    const c = new pg.Client(config);
    c.on('notification', (m) => {
      if (m.channel === tasks) safe(handlers.onTasks);
      else if (m.channel === deliveries) safe(handlers.onDeliveries);
      else if (m.channel === settings && handlers.onSetting) {
        const payload = m.payload ?? '';
        const eq = payload.indexOf('=');
        if (eq > 0) safe(() => handlers.onSetting?.(payload.slice(0, eq), payload.slice(eq + 1)));
      }
    });
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${quoteIdent(tasks)}; LISTEN ${quoteIdent(deliveries)}; LISTEN ${quoteIdent(settings)}`);
    } catch (err) {
      c.end().catch(() => {});
      throw err;
    }
    return c;
  };
  const lost = (c: pg.Client) => {
    if (stopped || client !== c) return;
    client = null;
    c.end().catch(() => {});
    schedule();
  };
  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (stopped) return;
      open().then(
        (c) => {
          if (stopped) {
            c.end().catch(() => {});
            return;
          }
          client = c;
          safe(handlers.onTasks);
          safe(handlers.onDeliveries);
        },
        () => schedule(),
      );
    }, 1000);
    timer.unref();
  };

  client = await open();
  return async () => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    const c = client;
    client = null;
    if (c) await c.end().catch(() => {});
  };
}
