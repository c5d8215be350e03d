/** Tasks in the SQLite store: posting and live inserts, the queue the workers run, reads by id and id_list, and retention's purge (the TaskIntake, TaskQueue, TaskReads and Purge roles). */
import { TASK_STATE } from '../../domain/task.js';
import { fundInOrder } from '../../domain/pricing.js';
import type { PostOutcome, Purge, TaskIntake, TaskQueue, TaskReads, TaskRow } from '../store.js';
import { withBusyRetry } from '../map-db-error.js';
import { type RawTask, type RawTaskId, toTask, toTaskIdRow } from '../row-mappers.js';
import { spendBucketOf, spendDeltas } from '../spend-buckets.js';
import { purgeBudgetAlerts } from './budgets.js';
import type { SqliteConnection } from './connection.js';

/** A task's row as completion returns it. */
interface RawCompleted {
  account_id: number;
  api: string;
  posted_at: number;
  cost_micro: number;
  postback_url: string | null;
  pingback_url: string | null;
}

export function tasks(conn: SqliteConnection): TaskIntake & TaskQueue & TaskReads & Purge {
  const { db, immediate } = conn;
  const s = {
    balance: db.prepare('SELECT balance_micro FROM accounts WHERE id = ?').pluck(),
    debit: db.prepare('UPDATE accounts SET balance_micro = balance_micro - ? WHERE id = ?'),
    // The spend counters (store/spend-buckets.ts): every change of a task's cost_micro adds the
    // difference to its bucket in the same transaction.
    addSpend: db.prepare(
      `INSERT INTO spend_buckets (account_id, bucket, api, micro) VALUES (?, ?, ?, ?)
         ON CONFLICT (account_id, bucket, api) DO UPDATE SET micro = micro + excluded.micro`,
    ),
    insertTask: db.prepare(
      `INSERT INTO tasks (id, account_id, api, se, se_type, priority, tag, data, postback_url, postback_data, pingback_url, cost_micro, posted_at, run_after, ready_json, webhook_state, payload_hash)
         VALUES (@id, @accountId, @api, @se, @seType, @priority, @tag, @data, @postbackUrl, @postbackData, @pingbackUrl, @costMicro, @postedAt, @runAfter, @readyJson, @webhookState, @payloadHash)`,
    ),
    // A live task is stored completed: never listed on tasks_ready, collected by its own answer,
    // no webhooks.
    insertLive: db.prepare(
      `INSERT INTO tasks (id, account_id, api, se, se_type, state, status_code, status_message, priority, tag, data, postback_url, postback_data, pingback_url,
                            cost_micro, posted_at, run_after, completed_at, collected_at, ready_json, webhook_state, listed, method, payload_hash)
         VALUES (@id, @accountId, @api, @se, @seType, 2, @statusCode, @statusMessage, @priority, @tag, @data, NULL, NULL, NULL,
                 @costMicro, @postedAt, @runAfter, @completedAt, @completedAt, @readyJson, 'none', 0, @method, @payloadHash)`,
    ),
    insertResult: db.prepare('INSERT OR REPLACE INTO task_results (task_id, fn, body) VALUES (?, ?, ?)'),
    taskIdsAsc: db.prepare(
      `SELECT id, api, se, se_type, method, posted_at, completed_at, status_code, cost_micro, data FROM tasks
         WHERE account_id = @account AND api = @api AND posted_at >= @from AND posted_at <= @to ORDER BY posted_at, id LIMIT @limit OFFSET @offset`,
    ),
    taskIdsDesc: db.prepare(
      `SELECT id, api, se, se_type, method, posted_at, completed_at, status_code, cost_micro, data FROM tasks
         WHERE account_id = @account AND api = @api AND posted_at >= @from AND posted_at <= @to ORDER BY posted_at DESC, id DESC LIMIT @limit OFFSET @offset`,
    ),
    // Claim: due queued tasks in run_after order, then expired leases (a crashed worker's tasks).
    claimQueued: db.prepare(
      `UPDATE tasks SET state = ${TASK_STATE.running}, lease_owner = @owner, lease_expires_at = @expires, attempts = attempts + 1
         WHERE id IN (SELECT id FROM tasks WHERE state = ${TASK_STATE.queued} AND run_after <= @now ORDER BY run_after LIMIT @limit)
         RETURNING *`,
    ),
    claimExpired: db.prepare(
      `UPDATE tasks SET lease_owner = @owner, lease_expires_at = @expires, attempts = attempts + 1
         WHERE id IN (SELECT id FROM tasks WHERE state = ${TASK_STATE.running} AND lease_expires_at < @now ORDER BY lease_expires_at LIMIT @limit)
         RETURNING *`,
    ),
    // Completion is a compare-and-set on the lease: a worker whose lease expired and was taken over
    // cannot complete the task a second time.
    complete: db.prepare(
      `UPDATE tasks SET state = ${TASK_STATE.done}, status_code = @code, status_message = @message, completed_at = @now,
           lease_owner = NULL, lease_expires_at = NULL,
           cost_micro = coalesce(@cost, cost_micro),
           listed = CASE WHEN postback_url IS NULL THEN 1 ELSE 0 END
         WHERE id = @id AND state = ${TASK_STATE.running} AND lease_owner = @owner
         RETURNING account_id, api, posted_at, cost_micro, postback_url, pingback_url`,
    ),
    // The outbox rows are written in the completion transaction: a crash can never leave a
    // completed task whose webhook is forgotten.
    insertDelivery: db.prepare(
      `INSERT OR IGNORE INTO webhook_deliveries (task_id, account_id, kind, url, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    refund: db.prepare('UPDATE accounts SET balance_micro = balance_micro + ? WHERE id = ?'),
    costOf: db.prepare('SELECT cost_micro FROM tasks WHERE id = ?').pluck(),
    defer: db.prepare(
      `UPDATE tasks SET state = ${TASK_STATE.queued}, lease_owner = NULL, lease_expires_at = NULL, run_after = ? WHERE id = ? AND state = ${TASK_STATE.running} AND lease_owner = ?`,
    ),
    expedite: db.prepare(
      `UPDATE tasks SET run_after = ? WHERE id = ? AND account_id = ? AND state = ${TASK_STATE.queued} AND run_after > ?`,
    ),
    nextQueued: db.prepare(`SELECT min(run_after) FROM tasks WHERE state = ${TASK_STATE.queued}`).pluck(),
    nextLease: db.prepare(`SELECT min(lease_expires_at) FROM tasks WHERE state = ${TASK_STATE.running}`).pluck(),
    taskById: db.prepare('SELECT * FROM tasks WHERE id = ?'),
    markCollected: db.prepare('UPDATE tasks SET collected_at = ? WHERE id = ? AND collected_at IS NULL'),
    purgeResults: db.prepare(
      `DELETE FROM task_results WHERE task_id IN (
           SELECT r.task_id FROM task_results r JOIN tasks t ON t.id = r.task_id WHERE t.completed_at < ? LIMIT ?)`,
    ),
    purgeAttempts: db.prepare(
      'DELETE FROM webhook_attempts WHERE id IN (SELECT id FROM webhook_attempts WHERE attempted_at < ? ORDER BY id LIMIT ?)',
    ),
    oldTasks: db.prepare('SELECT id FROM tasks WHERE posted_at < ? ORDER BY posted_at LIMIT ?').pluck(),
    purgeTask: db.prepare('DELETE FROM tasks WHERE id = ?'),
    unlistStale: db.prepare(
      `UPDATE tasks SET listed = 0 WHERE id IN (
           SELECT id FROM tasks INDEXED BY tasks_ready_api WHERE listed = 1 AND collected_at IS NULL AND completed_at < ? LIMIT ?)`,
    ),
    purgeTaskResults: db.prepare('DELETE FROM task_results WHERE task_id = ?'),
    purgeTaskDeliveries: db.prepare('DELETE FROM webhook_deliveries WHERE task_id = ?'),
  };

  return {
    // ---- intake ----------------------------------------------------------------------------------

    async postTasks(accountId, tasks) {
      return withBusyRetry(() =>
        immediate((): PostOutcome => {
          const pay = fundInOrder(tasks, s.balance.get(accountId) as number);
          for (const t of pay.funded) {
            s.insertTask.run({
              ...t,
              api: t.api ?? 'serp',
              payloadHash: t.payloadHash ?? null,
              accountId,
              webhookState: t.postbackUrl || t.pingbackUrl ? 'pending' : 'none',
            });
          }
          if (pay.spentMicro > 0) s.debit.run(pay.spentMicro, accountId);
          for (const d of spendDeltas(pay.funded)) s.addSpend.run(accountId, d.bucket, d.api, d.micro);
          return { accepted: pay.accepted, balanceMicro: pay.balanceMicro };
        }),
      );
    },

    async insertLiveTask(accountId, task, outcome) {
      return withBusyRetry(() =>
        immediate((): boolean => {
          const balance = s.balance.get(accountId) as number | undefined;
          if (balance === undefined || task.costMicro > balance) return false;
          s.insertLive.run({
            id: task.id,
            accountId,
            api: task.api ?? 'serp',
            se: task.se,
            seType: task.seType,
            statusCode: outcome.statusCode,
            statusMessage: outcome.statusMessage,
            priority: task.priority,
            tag: task.tag,
            data: task.data,
            costMicro: task.costMicro,
            postedAt: task.postedAt,
            runAfter: task.runAfter,
            completedAt: outcome.completedAt,
            readyJson: task.readyJson,
            method: outcome.method,
            payloadHash: task.payloadHash ?? null,
          });
          if (task.costMicro > 0) s.debit.run(task.costMicro, accountId);
          if (task.costMicro !== 0) s.addSpend.run(accountId, spendBucketOf(task.postedAt), task.api ?? 'serp', task.costMicro);
          for (const r of outcome.results ?? []) s.insertResult.run(task.id, r.fn, r.body);
          return true;
        }),
      );
    },

    // ---- the queue -------------------------------------------------------------------------------

    async claimTasks(owner, now, leaseMs, limit) {
      return withBusyRetry(() =>
        immediate(() => {
          const params = { owner, now, expires: now + leaseMs, limit };
          const rows = s.claimQueued.all(params) as RawTask[];
          if (rows.length < limit) rows.push(...(s.claimExpired.all({ ...params, limit: limit - rows.length }) as RawTask[]));
          return rows.map(toTask);
        }),
      );
    },

    async completeTasks(completions, now) {
      return withBusyRetry(() =>
        immediate(() => {
          let n = 0;
          for (const c of completions) {
            const before = c.costMicro !== undefined ? (s.costOf.get(c.id) as number | undefined) : undefined;
            const row = s.complete.get({
              id: c.id,
              owner: c.leaseOwner,
              code: c.statusCode,
              message: c.statusMessage,
              now,
              cost: c.costMicro ?? null,
            }) as RawCompleted | undefined;
            if (!row) continue;
            n++;
            if (row.postback_url) s.insertDelivery.run(c.id, row.account_id, 'postback', row.postback_url, now, now);
            if (row.pingback_url) s.insertDelivery.run(c.id, row.account_id, 'pingback', row.pingback_url, now, now);
            // The final cost replaces the charge: the difference is refunded, or charged when it is higher.
            if (before !== undefined && before !== row.cost_micro) {
              s.refund.run(before - row.cost_micro, row.account_id);
              s.addSpend.run(row.account_id, spendBucketOf(row.posted_at), row.api, row.cost_micro - before);
            }
            for (const r of c.results ?? []) s.insertResult.run(c.id, r.fn, r.body);
          }
          return n;
        }),
      );
    },

    async expediteTask(accountId, id, at) {
      return withBusyRetry(() => s.expedite.run(at, id, accountId, at).changes > 0);
    },

    async deferTasks(ids, owner, runAfter) {
      withBusyRetry(() => immediate(() => ids.forEach((id) => s.defer.run(runAfter, id, owner))));
    },

    async nextDueAt() {
      const q = s.nextQueued.get() as number | null;
      const l = s.nextLease.get() as number | null;
      if (q === null) return l;
      if (l === null) return q;
      return Math.min(q, l);
    },

    // ---- reads -----------------------------------------------------------------------------------

    async taskById(id) {
      const r = s.taskById.get(id) as RawTask | undefined;
      return r ? toTask(r) : null;
    },

    async tasksByIds(ids) {
      // Point lookups on one prepared statement: as cheap as a set query here, and no SQL built per call.
      const out: TaskRow[] = [];
      for (const id of ids) {
        const r = s.taskById.get(id) as RawTask | undefined;
        if (r) out.push(toTask(r));
      }
      return out;
    },

    async listTaskIds(accountId, q) {
      const stmt = q.sort === 'desc' ? s.taskIdsDesc : s.taskIdsAsc;
      const rows = stmt.all({ account: accountId, api: q.api, from: q.from, to: q.to, limit: q.limit, offset: q.offset }) as RawTaskId[];
      return rows.map(toTaskIdRow);
    },

    async markCollected(id, now) {
      withBusyRetry(() => s.markCollected.run(now, id));
    },

    // ---- retention -------------------------------------------------------------------------------

    async purgeExpired(cut, batch) {
      // One short write transaction per table: readers never wait long behind retention.
      let n = withBusyRetry(() => s.purgeResults.run(cut.resultsBefore, batch).changes);
      n += withBusyRetry(() => s.purgeAttempts.run(cut.attemptsBefore, batch).changes);
      // Never-collected tasks past the 3-day window leave the ready indexes (they stay retrievable).
      n += withBusyRetry(() => s.unlistStale.run(cut.readyBefore, batch).changes);
      // Old tasks go; their spend buckets stay (money history, a few rows a day per account and API).
      n += withBusyRetry(() =>
        immediate(() => {
          const ids = s.oldTasks.all(cut.tasksBefore, batch) as string[];
          for (const id of ids) {
            s.purgeTaskResults.run(id);
            s.purgeTaskDeliveries.run(id);
            s.purgeTask.run(id);
          }
          return ids.length;
        }),
      );
      n += purgeBudgetAlerts(conn, cut.tasksBefore, batch);
      return n;
    },
  };
}
