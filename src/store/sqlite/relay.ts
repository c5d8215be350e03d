import type Database from 'better-sqlite3';
import { RELAY_OWNER, type RelayRow } from '../store.js';
import { withBusyRetry } from '../map-db-error.js';
import { type RawRelay, toRelayRow } from '../row-mappers.js';

/** The relay executor's forwarding records in the SQLite store (see Store.relay*). */
export interface SqliteRelay {
  rows(taskIds: readonly string[]): RelayRow[];
  forwarding(taskIds: readonly string[], at: number): void;
  forwarded(rows: ReadonlyArray<{ taskId: string; upstreamId: string }>, owner: string, at: number, leaseUntil: number): number;
  due(before: number, at: number, limit: number): RelayRow[];
  inFlight(): number;
  defer(ids: readonly string[], owner: string, runAfter: number): void;
}

export function prepareRelay(db: Database.Database, immediate: <T>(fn: () => T) => T): SqliteRelay {
  const s = {
    row: db.prepare('SELECT * FROM relay_tasks WHERE task_id = ?'),
    forwarding: db.prepare(
      `INSERT INTO relay_tasks (task_id, state, forwarded_at) VALUES (?, 'forwarding', ?)
       ON CONFLICT (task_id) DO UPDATE SET state = 'forwarding', upstream_id = NULL, forwarded_at = excluded.forwarded_at, attempts = attempts + 1`,
    ),
    forwarded: db.prepare("UPDATE relay_tasks SET state = 'forwarded', upstream_id = ?, checked_at = ? WHERE task_id = ?"),
    handOver: db.prepare('UPDATE tasks SET lease_owner = ?, lease_expires_at = ? WHERE id = ? AND state = 1 AND lease_owner = ?'),
    candidates: db.prepare("SELECT * FROM relay_tasks WHERE state = 'forwarded' AND checked_at < ? ORDER BY checked_at LIMIT ?"),
    taskState: db.prepare('SELECT state, lease_owner FROM tasks WHERE id = ?'),
    touch: db.prepare('UPDATE relay_tasks SET checked_at = ? WHERE task_id = ?'),
    finish: db.prepare("UPDATE relay_tasks SET state = 'done' WHERE task_id = ?"),
    inFlight: db.prepare('SELECT count(*) FROM tasks WHERE state = 1 AND lease_owner = ?').pluck(),
    defer: db.prepare(
      'UPDATE tasks SET state = 0, lease_owner = NULL, lease_expires_at = NULL, run_after = ? WHERE id = ? AND state = 1 AND lease_owner = ?',
    ),
  };
  return {
    rows(taskIds) {
      return taskIds
        .map((id) => s.row.get(id) as RawRelay | undefined)
        .filter((r): r is RawRelay => r !== undefined)
        .map(toRelayRow);
    },
    forwarding(taskIds, at) {
      withBusyRetry(() => immediate(() => taskIds.forEach((id) => s.forwarding.run(id, at))));
    },
    forwarded(rows, owner, at, leaseUntil) {
      return withBusyRetry(() =>
        immediate(() => {
          let n = 0;
          for (const r of rows) {
            s.forwarded.run(r.upstreamId, at, r.taskId);
            n += s.handOver.run(RELAY_OWNER, leaseUntil, r.taskId, owner).changes;
          }
          return n;
        }),
      );
    },
    due(before, at, limit) {
      return withBusyRetry(() =>
        immediate(() => {
          const out: RelayRow[] = [];
          for (const raw of s.candidates.all(before, limit) as RawRelay[]) {
            const task = s.taskState.get(raw.task_id) as { state: number; lease_owner: string | null } | undefined;
            if (!task || task.state === 2) {
              s.finish.run(raw.task_id);
              continue;
            }
            s.touch.run(at, raw.task_id);
            if (task.state === 1 && task.lease_owner === RELAY_OWNER) out.push(toRelayRow(raw));
          }
          return out;
        }),
      );
    },
    inFlight() {
      return s.inFlight.get(RELAY_OWNER) as number;
    },
    defer(ids, owner, runAfter) {
      withBusyRetry(() => immediate(() => ids.forEach((id) => s.defer.run(runAfter, id, owner))));
    },
  };
}
