import { createHash } from 'node:crypto';
import pg from 'pg';
import type { CustomTypesConfig, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { retryDelayMs } from '../map-db-error.js';
import { quoteIdent } from './listener.js';

/** Connection settings of the PostgreSQL store: URL parsing, schema and channel names, type parsers, retries. */

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

export { quoteIdent };

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

/** A query of the store's pool (named statements are prepared once per connection). */
export type Query = <R extends QueryResultRow>(name: string | undefined, text: string, values?: unknown[]) => Promise<QueryResult<R>>;
/** A transaction on one pooled connection. */
export type Tx = <T>(fn: (c: PoolClient) => Promise<T>) => Promise<T>;
