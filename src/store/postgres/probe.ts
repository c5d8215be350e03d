import pg from 'pg';
import { parsePostgresUrl } from './connection.js';

/**
 * One connection to a postgres:// URL before the store starts, so that an unreachable server, a
 * refused login or a missing database is told in one line naming host and port, not as
 * `connect ECONNREFUSED 127.0.0.1:1` from the middle of a migration. Null when it connects.
 */
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
