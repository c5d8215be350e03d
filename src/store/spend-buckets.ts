/**
 * Spend counters: what each account was charged, per API and per quarter hour of the tasks'
 * `posted_at` (table spend_buckets, migration 17 of both dialects). Every write that sets or changes
 * a task's cost_micro adds the difference to its bucket in the same transaction, so a bucket always
 * equals the sum of cost_micro over the tasks posted in it (while they are kept: retention deletes
 * tasks and keeps their buckets, which are money history and small).
 *
 * The budgets, the daily cost cap and the spend metric read a period's spend as a sum over at most a
 * few thousand buckets (a month is 2,976) instead of over the period's tasks. Why 15 minutes: every
 * IANA zone's UTC offset of this era is a multiple of 15 minutes (Asia/Kathmandu +5:45,
 * Australia/Eucla +8:45, Australia/Lord_Howe's half-hour daylight saving), so a day, week or month
 * in any zone starts on a bucket edge and a period's sum is exact. A `since` that is not on an edge
 * (user_data's minute statistics) adds the tasks of its partial bucket, read from the tasks table
 * (at most 15 minutes of them).
 */

/** The width of a spend bucket: a quarter hour, in ms. */
export const SPEND_BUCKET_MS = 15 * 60_000;

/** The bucket of a task posted at `postedAt` (epoch ms): the quarter hour that contains it. */
export function spendBucketOf(postedAt: number): number {
  return postedAt - (((postedAt % SPEND_BUCKET_MS) + SPEND_BUCKET_MS) % SPEND_BUCKET_MS);
}

/** The first bucket edge at or after `since`: buckets from it on are read whole, tasks before it one by one. */
export function spendEdgeAtOrAfter(since: number): number {
  const b = spendBucketOf(since);
  return b === since ? since : b + SPEND_BUCKET_MS;
}

/** One bucket's change (micro-USD, negative for a refund). */
export interface SpendDelta {
  readonly api: string;
  readonly bucket: number;
  readonly micro: number;
}

/**
 * The bucket changes of newly charged tasks, one per (API, bucket) with a non-zero sum: the tasks
 * of one task_post call share a bucket and an API, so this is usually one row.
 */
export function spendDeltas(
  tasks: ReadonlyArray<{ readonly api?: string; readonly postedAt: number; readonly costMicro: number }>,
): SpendDelta[] {
  const out: Array<{ api: string; bucket: number; micro: number }> = [];
  for (const t of tasks) {
    if (t.costMicro === 0) continue;
    const api = t.api ?? 'serp';
    const bucket = spendBucketOf(t.postedAt);
    const d = out.find((x) => x.bucket === bucket && x.api === api);
    if (d) d.micro += t.costMicro;
    else out.push({ api, bucket, micro: t.costMicro });
  }
  return out.filter((d) => d.micro !== 0);
}
