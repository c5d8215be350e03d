/** Small shared settings in the SQLite store, e.g. the time-travel offset (the Settings role). */
import type { Settings } from '../store.js';
import { withBusyRetry } from '../map-db-error.js';
import type { SqliteConnection } from './connection.js';

export function settings(conn: SqliteConnection): Settings {
  const { db } = conn;
  const s = {
    getSetting: db.prepare('SELECT value FROM settings WHERE key = ?').pluck(),
    setSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    add: db
      .prepare(
        `INSERT INTO settings (key, value) VALUES (@key, CAST(CAST(@by AS INTEGER) AS TEXT))
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + CAST(@by AS INTEGER) AS TEXT) RETURNING value`,
      )
      .pluck(),
  };
  return {
    async getSetting(key) {
      return (s.getSetting.get(key) as string | undefined) ?? null;
    },

    async setSetting(key, value) {
      withBusyRetry(() => s.setSetting.run(key, value));
    },

    async addToSetting(key, by) {
      if (!Number.isSafeInteger(by)) throw new RangeError('a setting is moved by a whole number');
      return Number(withBusyRetry(() => s.add.get({ key, by })));
    },
  };
}
