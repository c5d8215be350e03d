import { rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import type { ResultFunction } from '../src/domain/catalog.js';
import { POSTBACK_GZIP, postbackJson, resultResolver } from '../src/delivery/payload.js';
import { createSandboxExecutor } from '../src/executors/sandbox/sandbox-executor.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { DEFAULT_LIMITS, type NewTask, type TaskRow } from '../src/store/store.js';
import { round } from './stats.js';

/**
 * The CPU of each part of one postback, measured one after the other in this process (one core, no
 * other work of serpq's running): building the body (render + envelope JSON, UTF-8 encoding, gzip)
 * for tasks the webhook bench posted, and the store's share of a task's life on SQLite (task_post,
 * claim, completion with its outbox row, delivery claim, reads, recording the attempt) in batches of
 * 100, as the worker and dispatcher run them. The sum, with the receiver's CPU per POST, is what one
 * postback costs the machine at best; the delivery runs show what the pipeline adds on top.
 */
export interface PostbackParts {
  readonly renderJsonUs: number;
  readonly encodeUs: number;
  readonly gzipUs: number;
  readonly storeUs: Record<string, number>;
  readonly storeTotalUs: number;
  readonly jsonBytes: number;
  readonly gzipBytes: number;
}

export async function measurePostbackParts(sourceDb: string, scratchDb: string, count = 1000): Promise<PostbackParts> {
  const src = new Database(sourceDb, { readonly: true });
  const raw = src
    .prepare('SELECT * FROM tasks WHERE postback_url IS NOT NULL AND state = 2 ORDER BY posted_at LIMIT ?')
    .all(count) as Record<string, unknown>[];
  src.close();
  const source = new SqliteStore({ path: sourceDb });
  await source.migrate();
  const tasks: TaskRow[] = await source.tasksByIds(raw.map((r) => r.id as string));
  await source.close();
  if (tasks.length === 0) throw new Error('postback parts: no delivered postback tasks in ' + sourceDb);

  // The body, part by part.
  const executor = createSandboxExecutor({ latency: { normal: 0, high: 0 } });
  const body = async (task: TaskRow) => {
    const fn = (task.postbackData ?? 'advanced') as ResultFunction;
    return postbackJson(
      task,
      fn,
      resultResolver(executor, task, fn, () => null),
    );
  };
  for (const task of tasks.slice(0, 100)) gzipSync(Buffer.from(await body(task), 'utf8'), POSTBACK_GZIP);
  let renderMs = 0;
  let encodeMs = 0;
  let gzipMs = 0;
  let jsonBytes = 0;
  let gzipBytes = 0;
  for (const task of tasks) {
    const a = performance.now();
    const json = await body(task);
    const b = performance.now();
    const bytes = Buffer.from(json, 'utf8');
    const c = performance.now();
    const gz = gzipSync(bytes, POSTBACK_GZIP);
    const d = performance.now();
    renderMs += b - a;
    encodeMs += c - b;
    gzipMs += d - c;
    jsonBytes += bytes.length;
    gzipBytes += gz.length;
  }

  // The store's share, on a fresh database, for the same tasks under new ids.
  for (const s of ['', '-wal', '-shm']) rmSync(scratchDb + s, { force: true });
  const store = new SqliteStore({ path: scratchDb });
  await store.migrate();
  const acc = await store.createAccount({ login: 'parts', passwordHash: 'x', balanceMicro: 1e12, limits: DEFAULT_LIMITS, createdAt: 0 });
  const storeMs: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await f();
    storeMs[name] = (storeMs[name] ?? 0) + performance.now() - t0;
    return out;
  };
  const now = Date.now();
  let seq = 0;
  let lived = 0;
  // A warm-up pass over the tasks (not counted), then five counted passes, in batches of 100.
  for (let pass = -1; pass < 5; pass++) {
    if (pass === 0) {
      for (const k of Object.keys(storeMs)) delete storeMs[k];
      lived = 0;
    }
    for (let i = 0; i < Math.max(tasks.length, 100); i += 100) {
      const batch: NewTask[] = Array.from({ length: 100 }, (_, j) => {
        const t = tasks[(i + j) % tasks.length] as TaskRow;
        const id = `${t.id.slice(0, 24)}${(seq++).toString(16).padStart(12, '0')}`;
        return {
          id,
          se: t.se,
          seType: t.seType,
          priority: t.priority,
          tag: t.tag,
          data: t.data,
          postbackUrl: t.postbackUrl,
          postbackData: t.postbackData,
          pingbackUrl: null,
          costMicro: t.costMicro,
          postedAt: now,
          runAfter: now,
          readyJson: JSON.stringify({ id, se: t.se, se_type: t.seType, tag: t.tag }),
        };
      });
      await timed('task_post', () => store.postTasks(acc.id, batch));
      const claimed = await timed('claim', () => store.claimTasks('w', now, 60_000, 100));
      await timed('complete', () =>
        store.completeTasks(
          claimed.map((c) => ({ id: c.id, leaseOwner: 'w', statusCode: 20000, statusMessage: 'Ok.' })),
          now,
        ),
      );
      for (;;) {
        const jobs = await timed('claim deliveries', () => store.claimDeliveries('d', now, 60_000, 64));
        if (jobs.length === 0) break;
        await timed('read tasks and account', async () => {
          await store.tasksByIds(jobs.map((j) => j.taskId));
          await store.accountById(acc.id);
        });
        await timed('record attempts', () =>
          store.recordAttempts(
            jobs.map((j) => ({
              deliveryId: j.id,
              owner: 'd',
              taskId: j.taskId,
              accountId: j.accountId,
              kind: j.kind,
              url: j.url,
              method: 'POST' as const,
              attemptedAt: now,
              ok: true,
              httpCode: 200,
              durationMs: 1,
              response: '',
              error: null,
              nextAttemptAt: null,
            })),
          ),
        );
      }
      lived += 100;
    }
  }
  await store.close();
  for (const s of ['', '-wal', '-shm']) rmSync(scratchDb + s, { force: true });
  const per = (ms: number, n: number) => round((ms / n) * 1000, 1);
  const storeUs = Object.fromEntries(Object.entries(storeMs).map(([k, v]) => [k, per(v, lived)]));
  return {
    renderJsonUs: per(renderMs, tasks.length),
    encodeUs: per(encodeMs, tasks.length),
    gzipUs: per(gzipMs, tasks.length),
    storeUs,
    storeTotalUs: per(
      Object.values(storeMs).reduce((a, b) => a + b, 0),
      lived,
    ),
    jsonBytes: Math.round(jsonBytes / tasks.length),
    gzipBytes: Math.round(gzipBytes / tasks.length),
  };
}
