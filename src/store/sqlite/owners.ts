import { TASK_STATE } from '../../domain/task.js';
import type Database from 'better-sqlite3';
import type { OwnerRow } from '../store.js';
import { withBusyRetry } from '../map-db-error.js';
import { type RawOwner, toOwnerRow } from '../row-mappers.js';

/**
 * The claim owners of the SQLite store (Store.registerOwner, heartbeat, listOwners, releaseOwners)
 * and the atomic setting increment, apart from the main adapter to keep it readable.
 */
export interface SqliteOwners {
  register(o: OwnerRow): void;
  heartbeat(owner: string, at: number, taskLeaseUntil: number, deliveryLeaseUntil: number): boolean;
  list(): OwnerRow[];
  release(ids: readonly string[]): number;
  addToSetting(key: string, by: number): number;
}

export function prepareOwners(db: Database.Database, immediate: <T>(fn: () => T) => T): SqliteOwners {
  const s = {
    register: db.prepare(
      `INSERT INTO owners (id, machine, pid, started_at, heartbeat_at) VALUES (@id, @machine, @pid, @startedAt, @heartbeatAt)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
    ),
    beat: db.prepare('UPDATE owners SET heartbeat_at = ? WHERE id = ?'),
    renewTasks: db.prepare(`UPDATE tasks SET lease_expires_at = ? WHERE lease_owner = ? AND state = ${TASK_STATE.running}`),
    renewDeliveries: db.prepare("UPDATE webhook_deliveries SET lease_expires_at = ? WHERE lease_owner = ? AND state = 'pending'"),
    list: db.prepare('SELECT * FROM owners ORDER BY started_at'),
    // Freed, not reassigned: the lease owner stays (so the dead owner's completion cannot match a claim
    // another process took meanwhile) and the lease expires now, which the expired-lease claim takes.
    freeTasks: db.prepare(`UPDATE tasks SET lease_expires_at = 0 WHERE lease_owner = ? AND state = ${TASK_STATE.running}`),
    freeDeliveries: db.prepare(
      "UPDATE webhook_deliveries SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = ? AND state = 'pending'",
    ),
    remove: db.prepare('DELETE FROM owners WHERE id = ?'),
    add: db
      .prepare(
        `INSERT INTO settings (key, value) VALUES (@key, CAST(CAST(@by AS INTEGER) AS TEXT))
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + CAST(@by AS INTEGER) AS TEXT) RETURNING value`,
      )
      .pluck(),
  };
  return {
    register(o) {
      withBusyRetry(() => s.register.run(o));
    },
    heartbeat(owner, at, taskLeaseUntil, deliveryLeaseUntil) {
      return withBusyRetry(() =>
        immediate(() => {
          if (s.beat.run(at, owner).changes === 0) return false;
          s.renewTasks.run(taskLeaseUntil, owner);
          s.renewDeliveries.run(deliveryLeaseUntil, owner);
          return true;
        }),
      );
    },
    list() {
      return (s.list.all() as RawOwner[]).map(toOwnerRow);
    },
    release(ids) {
      if (ids.length === 0) return 0;
      return withBusyRetry(() =>
        immediate(() => {
          let freed = 0;
          for (const id of ids) {
            freed += s.freeTasks.run(id).changes + s.freeDeliveries.run(id).changes;
            s.remove.run(id);
          }
          return freed;
        }),
      );
    },
    addToSetting(key, by) {
      if (!Number.isSafeInteger(by)) throw new RangeError('a setting is moved by a whole number');
      return Number(withBusyRetry(() => s.add.get({ key, by })));
    },
  };
}
