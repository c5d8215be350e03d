/** Tasks in the PostgreSQL store: task_post and live calls (TaskIntake), the queue the workers run (TaskQueue), reads by id and id_list (TaskReads), and retention (Purge). */
import { TASK_STATE } from '../../domain/task.js';
import { fundInOrder } from '../../domain/pricing.js';
import type {
  Completion,
  LiveOutcome,
  NewTask,
  PostOutcome,
  Purge,
  RetentionCut,
  TaskIdQuery,
  TaskIdRow,
  TaskIntake,
  TaskQueue,
  TaskReads,
  TaskRow,
} from '../store.js';
import { type RawTask, type RawTaskId, toTask, toTaskIdRow } from '../row-mappers.js';
import { SPEND_BUCKET_MS, spendBucketOf, spendDeltas } from '../spend-buckets.js';
import { purgeBudgetAlerts } from './budgets.js';
import type { PostgresConnection } from './connection.js';

export function tasks(conn: PostgresConnection): TaskIntake & TaskQueue & TaskReads & Purge {
  const { query, tx, channels } = conn;
  return {
    async postTasks(accountId: number, tasks: readonly NewTask[]): Promise<PostOutcome> {
      return tx(async (c) => {
        // The account row lock serializes task_post calls of one account across processes; calls of
        // different accounts do not wait for each other.
        const b = await c.query<{ balance_micro: number }>({
          name: 'serpq_balance_for_update',
          text: 'SELECT balance_micro FROM accounts WHERE id = $1 FOR UPDATE',
          values: [accountId],
        });
        if (!b.rows[0]) throw new Error(`postTasks: no account ${accountId}`);
        const { accepted, funded: picked, spentMicro: spent, balanceMicro: balance } = fundInOrder(tasks, b.rows[0].balance_micro);
        if (picked.length > 0) {
          const spend = spendDeltas(picked);
          // One statement: every accepted row from arrays, the debit, the spend counters
          // (store/spend-buckets.ts; after the account's lock, as every writer of them), and the
          // wake-up (sent at commit).
          await c.query({
            name: 'serpq_post_tasks',
            text: `WITH ins AS (
                INSERT INTO tasks (id, account_id, api, se, se_type, priority, tag, data, postback_url, postback_data, pingback_url,
                                   cost_micro, posted_at, run_after, ready_json, webhook_state, payload_hash)
                SELECT u.id, $15::bigint, u.api, u.se, u.se_type, u.priority, u.tag, u.data, u.postback_url, u.postback_data, u.pingback_url,
                       u.cost_micro, u.posted_at, u.run_after, u.ready_json, u.webhook_state, u.payload_hash
                FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                            $10::bigint[], $11::bigint[], $12::bigint[], $13::text[], $14::text[], $18::text[], $19::text[])
                  AS u(id, se, se_type, priority, tag, data, postback_url, postback_data, pingback_url,
                       cost_micro, posted_at, run_after, ready_json, webhook_state, payload_hash, api)
                RETURNING 1
              ), debit AS (
                UPDATE accounts SET balance_micro = balance_micro - $16::bigint WHERE id = $15::bigint
              ), spend AS (
                INSERT INTO spend_buckets AS s (account_id, bucket, api, micro)
                SELECT $15::bigint, d.bucket, d.api, d.micro FROM unnest($20::bigint[], $21::text[], $22::bigint[]) AS d(bucket, api, micro)
                ON CONFLICT (account_id, bucket, api) DO UPDATE SET micro = s.micro + excluded.micro
              )
              SELECT (SELECT count(*) FROM ins) AS n, pg_notify($17, '')`,
            values: [
              picked.map((t) => t.id),
              picked.map((t) => t.se),
              picked.map((t) => t.seType),
              picked.map((t) => t.priority),
              picked.map((t) => t.tag),
              picked.map((t) => t.data),
              picked.map((t) => t.postbackUrl),
              picked.map((t) => t.postbackData),
              picked.map((t) => t.pingbackUrl),
              picked.map((t) => t.costMicro),
              picked.map((t) => t.postedAt),
              picked.map((t) => t.runAfter),
              picked.map((t) => t.readyJson),
              picked.map((t) => (t.postbackUrl || t.pingbackUrl ? 'pending' : 'none')),
              accountId,
              spent,
              channels.tasks,
              picked.map((t) => t.payloadHash ?? null),
              picked.map((t) => t.api ?? 'serp'),
              spend.map((d) => d.bucket),
              spend.map((d) => d.api),
              spend.map((d) => d.micro),
            ],
          });
        }
        return { accepted, balanceMicro: balance };
      });
    },

    async insertLiveTask(accountId: number, task: NewTask, outcome: LiveOutcome): Promise<boolean> {
      const results = outcome.results ?? [];
      // One statement, so one transaction: the conditional debit (the row lock serializes it with
      // task_post calls of the account), the completed task, its spend bucket, its results. Nothing
      // when the balance does not cover the cost.
      const r = await query<{ n: number }>(
        'serpq_insert_live_task',
        `WITH debit AS (
           UPDATE accounts SET balance_micro = balance_micro - $11::bigint
           WHERE id = $1::bigint AND balance_micro >= $11::bigint
           RETURNING id
         ), ins AS (
           INSERT INTO tasks (id, account_id, api, se, se_type, state, status_code, status_message, priority, tag, data,
                              cost_micro, posted_at, run_after, completed_at, collected_at, ready_json, webhook_state, listed, method, payload_hash)
           SELECT $2::text, $1::bigint, $19::text, $3::text, $4::text, 2, $5::int, $6::text, $7::int, $8::text, $9::text,
                  $11::bigint, $12::bigint, $13::bigint, $14::bigint, $14::bigint, $10::text, 'none', false, $15::text, $16::text
           FROM debit
           RETURNING id
         ), spend AS (
           INSERT INTO spend_buckets AS s (account_id, bucket, api, micro)
           SELECT $1::bigint, $20::bigint, $19::text, $11::bigint FROM ins WHERE $11::bigint <> 0
           ON CONFLICT (account_id, bucket, api) DO UPDATE SET micro = s.micro + excluded.micro
         ), stored AS (
           INSERT INTO task_results (task_id, fn, body)
           SELECT ins.id, r.fn, r.body FROM ins, unnest($17::text[], $18::bytea[]) AS r(fn, body)
           ON CONFLICT (task_id, fn) DO UPDATE SET body = excluded.body
         )
         SELECT count(*)::int AS n FROM ins`,
        [
          accountId,
          task.id,
          task.se,
          task.seType,
          outcome.statusCode,
          outcome.statusMessage,
          task.priority,
          task.tag,
          task.data,
          task.readyJson,
          task.costMicro,
          task.postedAt,
          task.runAfter,
          outcome.completedAt,
          outcome.method,
          task.payloadHash ?? null,
          results.map((x) => x.fn),
          results.map((x) => x.body),
          task.api ?? 'serp',
          spendBucketOf(task.postedAt),
        ],
      );
      return r.rows[0].n > 0;
    },

    async claimTasks(owner: string, now: number, leaseMs: number, limit: number): Promise<TaskRow[]> {
      if (limit <= 0) return [];
      const params = [owner, now, now + leaseMs, limit];
      // Due queued tasks in run_after order, then expired leases (a crashed worker's tasks). SKIP LOCKED:
      // concurrent claimers take disjoint rows without waiting for each other. Each is one statement.
      const rows = (
        await query<RawTask>(
          'serpq_claim_queued',
          `WITH c AS MATERIALIZED (
             SELECT id FROM tasks WHERE state = ${TASK_STATE.queued} AND run_after <= $2 ORDER BY run_after LIMIT $4 FOR UPDATE SKIP LOCKED
           )
           UPDATE tasks t SET state = ${TASK_STATE.running}, lease_owner = $1, lease_expires_at = $3, attempts = t.attempts + 1
           FROM c WHERE t.id = c.id
           RETURNING t.*`,
          params,
        )
      ).rows;
      if (rows.length < limit) {
        params[3] = limit - rows.length;
        const expired = await query<RawTask>(
          'serpq_claim_expired',
          `WITH c AS MATERIALIZED (
             SELECT id FROM tasks WHERE state = ${TASK_STATE.running} AND lease_expires_at < $2 ORDER BY lease_expires_at LIMIT $4 FOR UPDATE SKIP LOCKED
           )
           UPDATE tasks t SET lease_owner = $1, lease_expires_at = $3, attempts = t.attempts + 1
           FROM c WHERE t.id = c.id
           RETURNING t.*`,
          params,
        );
        rows.push(...expired.rows);
      }
      return rows.map(toTask);
    },

    async completeTasks(completions: readonly Completion[], now: number): Promise<number> {
      // The first completion of an id wins, as in SQLite (a second one fails the lease check there).
      const seen = new Set<string>();
      const list = completions.filter((c) => !seen.has(c.id) && seen.add(c.id));
      if (list.length === 0) return 0;
      const results = list.flatMap((c) => (c.results ?? []).map((r) => ({ id: c.id, fn: r.fn, body: r.body })));
      // One statement, so one transaction: lock the tasks whose lease the completer still holds (in id
      // order), complete them (compare-and-set on state and lease owner: a worker whose lease expired
      // and was taken over completes nothing), write their outbox rows, settle changed costs (refund or charge the difference, and
      // add it to the tasks' spend buckets, after the accounts' row locks as task_post takes them), store results, and wake the
      // dispatchers when outbox rows were written (NOTIFY is sent at commit).
      // "Running" is written `lease_owner = owner AND state <> 2` (a lease owner is only ever set on a
      // running task): spelled `state = 1`, it lets the planner pick the partial lease index, whose
      // statistics lag behind bursts of claims (autovacuum), and scan every running task per
      // completion; this way the rows are found through the primary key.
      const r = await query<{ n: number }>(
        'serpq_complete_tasks',
        `WITH c AS (
           SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::bigint[]) AS c(id, owner, code, message, cost)
         ), prev AS MATERIALIZED (
           SELECT t.id, t.cost_micro FROM tasks t JOIN c ON c.id = t.id
           WHERE t.lease_owner = c.owner AND t.state <> ${TASK_STATE.done}
           ORDER BY t.id FOR UPDATE OF t
         ), done AS (
           UPDATE tasks t SET state = ${TASK_STATE.done}, status_code = c.code, status_message = c.message, completed_at = $6::bigint,
             lease_owner = NULL, lease_expires_at = NULL, cost_micro = coalesce(c.cost, t.cost_micro),
             listed = t.postback_url IS NULL
           FROM c, prev
           WHERE t.id = c.id AND prev.id = t.id AND t.lease_owner = c.owner AND t.state <> ${TASK_STATE.done}
           RETURNING t.id, t.account_id, t.api, t.posted_at, prev.cost_micro AS before, t.cost_micro AS after, t.postback_url, t.pingback_url
         ), outbox AS (
           INSERT INTO webhook_deliveries (task_id, account_id, kind, url, host, next_attempt_at, created_at)
           SELECT id, account_id, 'postback', postback_url, webhook_host(postback_url), $6::bigint, $6::bigint FROM done WHERE postback_url <> ''
           UNION ALL
           SELECT id, account_id, 'pingback', pingback_url, webhook_host(pingback_url), $6::bigint, $6::bigint FROM done WHERE pingback_url <> ''
           ON CONFLICT (task_id, kind) DO NOTHING
           RETURNING 1
         ), refund AS (
           UPDATE accounts a SET balance_micro = a.balance_micro + r.amount
           FROM (SELECT account_id, sum(before - after)::bigint AS amount FROM done WHERE before <> after GROUP BY account_id) r
           WHERE a.id = r.account_id
           RETURNING a.id
         ), spend AS (
           INSERT INTO spend_buckets AS s (account_id, bucket, api, micro)
           SELECT account_id, (posted_at / ${SPEND_BUCKET_MS}) * ${SPEND_BUCKET_MS}, api, sum(after - before)::bigint FROM done
           WHERE before <> after AND account_id IN (SELECT id FROM refund)
           GROUP BY 1, 2, 3
           ON CONFLICT (account_id, bucket, api) DO UPDATE SET micro = s.micro + excluded.micro
         ), stored AS (
           INSERT INTO task_results (task_id, fn, body)
           SELECT r.task_id, r.fn, r.body FROM unnest($7::text[], $8::text[], $9::bytea[]) AS r(task_id, fn, body)
           WHERE r.task_id IN (SELECT id FROM done)
           ON CONFLICT (task_id, fn) DO UPDATE SET body = excluded.body
         ), wake AS (
           SELECT pg_notify($10, '') FROM (SELECT 1 FROM outbox LIMIT 1) x
         ), ready AS (
           SELECT pg_notify($11, '') FROM (SELECT 1 FROM done LIMIT 1) x
         )
         SELECT (SELECT count(*) FROM done)::int AS n, (SELECT count(*) FROM wake)::int AS woke, (SELECT count(*) FROM ready)::int AS readied`,
        [
          list.map((c) => c.id),
          list.map((c) => c.leaseOwner),
          list.map((c) => c.statusCode),
          list.map((c) => c.statusMessage),
          list.map((c) => c.costMicro ?? null),
          now,
          results.map((x) => x.id),
          results.map((x) => x.fn),
          results.map((x) => x.body),
          channels.deliveries,
          channels.ready,
        ],
      );
      return r.rows[0].n;
    },

    async expediteTask(accountId: number, id: string, at: number): Promise<boolean> {
      const r = await query(
        'serpq_expedite_task',
        `UPDATE tasks SET run_after = $1 WHERE id = $2 AND account_id = $3 AND state = ${TASK_STATE.queued} AND run_after > $1`,
        [at, id, accountId],
      );
      return (r.rowCount ?? 0) > 0;
    },

    async deferTasks(ids: readonly string[], owner: string, runAfter: number): Promise<void> {
      if (ids.length === 0) return;
      await query(
        'serpq_defer_tasks',
        `UPDATE tasks SET state = ${TASK_STATE.queued}, lease_owner = NULL, lease_expires_at = NULL, run_after = $1 WHERE id = ANY($2::text[]) AND state = ${TASK_STATE.running} AND lease_owner = $3`,
        [runAfter, ids, owner],
      );
    },

    async nextDueAt(): Promise<number | null> {
      const r = await query<{ q: number | null; l: number | null }>(
        'serpq_next_due',
        `SELECT (SELECT min(run_after) FROM tasks WHERE state = ${TASK_STATE.queued}) AS q, (SELECT min(lease_expires_at) FROM tasks WHERE state = ${TASK_STATE.running}) AS l`,
      );
      const { q, l } = r.rows[0];
      if (q === null) return l;
      if (l === null) return q;
      return Math.min(q, l);
    },

    async taskById(id: string): Promise<TaskRow | null> {
      const r = await query<RawTask>('serpq_task_by_id', 'SELECT * FROM tasks WHERE id = $1', [id]);
      return r.rows[0] ? toTask(r.rows[0]) : null;
    },

    async tasksByIds(ids: readonly string[]): Promise<TaskRow[]> {
      if (ids.length === 0) return [];
      const r = await query<RawTask>('serpq_tasks_by_ids', 'SELECT * FROM tasks WHERE id = ANY($1::text[])', [ids]);
      return r.rows.map(toTask);
    },

    async listTaskIds(accountId: number, q: TaskIdQuery): Promise<TaskIdRow[]> {
      const order = q.sort === 'desc' ? 'posted_at DESC, id COLLATE "C" DESC' : 'posted_at, id COLLATE "C"';
      const r = await query<RawTaskId>(
        q.sort === 'desc' ? 'serpq_task_ids_desc' : 'serpq_task_ids_asc',
        `SELECT id, api, se, se_type, method, posted_at, completed_at, status_code, cost_micro, data FROM tasks
         WHERE account_id = $1 AND api = $6 AND posted_at >= $2 AND posted_at <= $3 ORDER BY ${order} LIMIT $4 OFFSET $5`,
        [accountId, q.from, q.to, q.limit, q.offset, q.api],
      );
      return r.rows.map(toTaskIdRow);
    },

    async markCollected(id: string, now: number): Promise<void> {
      await query('serpq_mark_collected', 'UPDATE tasks SET collected_at = $1 WHERE id = $2 AND collected_at IS NULL', [now, id]);
    },

    async purgeExpired(cut: RetentionCut, batch: number): Promise<number> {
      // Bounded batches, each its own short statement: no long locks on a large table.
      const results = await query(
        'serpq_purge_results',
        `DELETE FROM task_results WHERE (task_id, fn) IN (
           SELECT r.task_id, r.fn FROM task_results r JOIN tasks t ON t.id = r.task_id WHERE t.completed_at < $1 LIMIT $2)`,
        [cut.resultsBefore, batch],
      );
      const attempts = await query(
        'serpq_purge_attempts',
        'DELETE FROM webhook_attempts WHERE id IN (SELECT id FROM webhook_attempts WHERE attempted_at < $1 ORDER BY id LIMIT $2)',
        [cut.attemptsBefore, batch],
      );
      // Old tasks go; their spend buckets stay (money history, a few rows a day per account and API).
      const tasks = await query(
        'serpq_purge_tasks',
        `WITH old AS (SELECT id FROM tasks WHERE posted_at < $1 ORDER BY posted_at LIMIT $2 FOR UPDATE SKIP LOCKED),
              r AS (DELETE FROM task_results WHERE task_id IN (SELECT id FROM old)),
              d AS (DELETE FROM webhook_deliveries WHERE task_id IN (SELECT id FROM old))
         DELETE FROM tasks WHERE id IN (SELECT id FROM old)`,
        [cut.tasksBefore, batch],
      );
      // Never-collected tasks past the 3-day window leave the ready indexes (they stay retrievable).
      const stale = await query(
        'serpq_unlist_stale',
        `UPDATE tasks SET listed = false WHERE id IN (
           SELECT id FROM tasks WHERE listed AND collected_at IS NULL AND completed_at < $1 LIMIT $2)`,
        [cut.readyBefore, batch],
      );
      const counters = await query(
        'serpq_purge_counters',
        'DELETE FROM rate_counters WHERE (key, window_start) IN (SELECT key, window_start FROM rate_counters WHERE expires_at < $1 LIMIT $2)',
        [cut.now, batch],
      );
      const alerts = await purgeBudgetAlerts(conn, cut.tasksBefore, batch);
      return (
        (results.rowCount ?? 0) +
        (attempts.rowCount ?? 0) +
        (tasks.rowCount ?? 0) +
        (stale.rowCount ?? 0) +
        (counters.rowCount ?? 0) +
        alerts
      );
    },
  };
}
