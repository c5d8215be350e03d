/** Small shared settings in the PostgreSQL store (the Settings role): the time-travel offset, announced to listeners when it moves. */
import type { Settings } from '../store.js';
import type { PostgresConnection } from './connection.js';

export function settings(conn: PostgresConnection): Settings {
  const { query, channels } = conn;
  return {
    async getSetting(key: string): Promise<string | null> {
      const r = await query<{ value: string }>('serpq_get_setting', 'SELECT value FROM settings WHERE key = $1', [key]);
      return r.rows[0]?.value ?? null;
    },

    async setSetting(key: string, value: string): Promise<void> {
      await query(
        'serpq_set_setting',
        'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [key, value],
      );
    },

    async addToSetting(key: string, by: number): Promise<number> {
      if (!Number.isSafeInteger(by)) throw new RangeError('a setting is moved by a whole number');
      // The increment and the announcement commit together: listeners never hear of a move that was lost.
      const r = await query<{ value: string }>(
        'serpq_add_to_setting',
        `WITH up AS (
           INSERT INTO settings (key, value) VALUES ($1, $2::bigint::text)
           ON CONFLICT (key) DO UPDATE SET value = (round(settings.value::numeric)::bigint + $2::bigint)::text
           RETURNING value
         )
         SELECT value, pg_notify($3, $1 || '=' || value) FROM up`,
        [key, by, channels.settings],
      );
      return Number(r.rows[0]?.value);
    },
  };
}
