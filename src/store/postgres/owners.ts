/** The claim owners of the PostgreSQL store (the Owners role): registration, heartbeats, and freeing the claims of dead ones. */
import { TASK_STATE } from '../../domain/task.js';
import type { OwnerRow, Owners } from '../store.js';
import { type RawOwner, toOwnerRow } from '../row-mappers.js';
import type { PostgresConnection } from './connection.js';

export function owners(conn: PostgresConnection): Owners {
  const { query, tx } = conn;
  return {
    async registerOwner(o: OwnerRow): Promise<void> {
      await query(
        'serpq_register_owner',
        `INSERT INTO owners (id, machine, pid, started_at, heartbeat_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
        [o.id, o.machine, o.pid, o.startedAt, o.heartbeatAt],
      );
    },

    async heartbeat(owner: string, at: number, taskLeaseUntil: number, deliveryLeaseUntil: number): Promise<boolean> {
      // One statement (one transaction): the owner's row, and its claims' leases only while the row exists.
      const r = await query<{ alive: boolean }>(
        'serpq_heartbeat',
        `WITH o AS (UPDATE owners SET heartbeat_at = $2 WHERE id = $1 RETURNING id),
              t AS (UPDATE tasks SET lease_expires_at = $3 WHERE lease_owner = $1 AND state = ${TASK_STATE.running} AND EXISTS (SELECT 1 FROM o)),
              d AS (UPDATE webhook_deliveries SET lease_expires_at = $4 WHERE lease_owner = $1 AND state = 'pending' AND EXISTS (SELECT 1 FROM o))
         SELECT EXISTS (SELECT 1 FROM o) AS alive`,
        [owner, at, taskLeaseUntil, deliveryLeaseUntil],
      );
      return r.rows[0]?.alive === true;
    },

    async listOwners(): Promise<OwnerRow[]> {
      const r = await query<RawOwner>(
        'serpq_list_owners',
        'SELECT id, machine, pid, started_at, heartbeat_at FROM owners ORDER BY started_at',
      );
      return r.rows.map(toOwnerRow);
    },

    async releaseOwners(ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      return tx(async (c) => {
        // The owner rows first: a heartbeat racing this sees its row gone and renews nothing. Freed, not
        // reassigned: the lease owner stays on the task (its completion cannot match another's claim) and
        // the lease expires now, which the expired-lease claim takes.
        await c.query('DELETE FROM owners WHERE id = ANY($1::text[])', [ids]);
        const t = await c.query(
          `UPDATE tasks SET lease_expires_at = 0 WHERE lease_owner = ANY($1::text[]) AND state = ${TASK_STATE.running}`,
          [ids],
        );
        const d = await c.query(
          "UPDATE webhook_deliveries SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = ANY($1::text[]) AND state = 'pending'",
          [ids],
        );
        return (t.rowCount ?? 0) + (d.rowCount ?? 0);
      });
    },
  };
}
