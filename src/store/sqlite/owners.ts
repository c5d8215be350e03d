/** The processes that hold claims in the SQLite store: registration, heartbeats, and freeing the claims of dead ones (the Owners role). */
import { TASK_STATE } from '../../domain/task.js';
import type { Owners } from '../store.js';
import { withBusyRetry } from '../map-db-error.js';
import { type RawOwner, toOwnerRow } from '../row-mappers.js';
import type { SqliteConnection } from './connection.js';

export function owners(conn: SqliteConnection): Owners {
  const { db, immediate } = conn;
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
  };
  return {
    async registerOwner(o) {
      withBusyRetry(() => s.register.run(o));
    },

    async heartbeat(owner, at, taskLeaseUntil, deliveryLeaseUntil) {
      return withBusyRetry(() =>
        immediate(() => {
          if (s.beat.run(at, owner).changes === 0) return false;
          s.renewTasks.run(taskLeaseUntil, owner);
          s.renewDeliveries.run(deliveryLeaseUntil, owner);
          return true;
        }),
      );
    },

    async listOwners() {
      return (s.list.all() as RawOwner[]).map(toOwnerRow);
    },

    async releaseOwners(ids) {
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
  };
}
