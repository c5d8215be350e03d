import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findSeType, type ResultFunction } from '../../src/domain/catalog.js';
import { createCourierPool } from '../../src/delivery/courier-pool.js';
import { type Courier, createInlineCourier } from '../../src/delivery/courier.js';
import { createSender } from '../../src/delivery/send.js';
import { createSandboxExecutor } from '../../src/executors/sandbox/sandbox-executor.js';
import type { TaskRow } from '../../src/store/store.js';
import { type TestApp, makeTestApp } from '../helpers/app.js';
import { type WebhookSink, startSink } from '../helpers/webhook-sink.js';

/**
 * Courier threads build and send exactly what the main thread would: the same envelope for every
 * renderer, the same signature; and a thread that dies costs no call.
 */
const SEND = { timeoutMs: 2000, allowPrivate: true };

describe('courier pool', () => {
  let t: TestApp;
  let sink: WebhookSink;
  const couriers: Courier[] = [];
  beforeEach(async () => {
    t = await makeTestApp();
    sink = await startSink();
  });
  afterEach(async () => {
    for (const c of couriers.splice(0)) await c.close();
    await t.close();
    await sink.close();
  });

  async function completedTask(se: string, seType: string, task: Record<string, unknown>): Promise<TaskRow> {
    const res = await t.request('POST', `/v3/serp/${se}/${seType}/task_post`, { body: [task] });
    const id = res.body.tasks![0].id;
    expect(res.body.tasks![0].status_code).toBe(20100);
    await t.runWorkers();
    return (await t.app.store.taskById(id)) as TaskRow;
  }

  /** The received body with the timings (which differ per call) blanked. */
  const comparable = (body: string) => body.replace(/"time":"[^"]*"/g, '"time":""');

  it('builds the same postback bodies and signatures on a thread as on the main thread', async () => {
    const errors: unknown[] = [];
    const executor = createSandboxExecutor({ latency: { normal: 0, high: 0 } });
    const pooled = createCourierPool({
      store: t.app.store,
      executor,
      renderer: 'sandbox',
      threads: 2,
      send: SEND,
      onError: (err) => errors.push(err),
    });
    const inline = createInlineCourier(t.app.store, executor, createSender(SEND));
    couriers.push(pooled, inline);
    const cases: Array<[string, string, ResultFunction, Record<string, unknown>]> = [
      ['google', 'images', 'advanced', { keyword: 'say "cheese" \\ café', location_code: 2840, language_code: 'en' }],
      ['google', 'images', 'html', { keyword: 'red shoes', location_code: 2840, language_code: 'en' }],
      ['google', 'organic', 'regular', { keyword: 'best laptops 2026', location_code: 2826, language_code: 'en', depth: 30 }],
      ['google', 'news', 'advanced', { keyword: 'elections', location_code: 2840, language_code: 'en' }],
      ['google', 'autocomplete', 'advanced', { keyword: 'how to', location_code: 2840, language_code: 'en' }],
    ];
    const secret = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
    for (const [se, seType, fn, params] of cases) {
      expect(findSeType(se, seType)?.getFunctions).toContain(fn);
      const task = await completedTask(se, seType, params);
      for (const [name, courier] of [
        ['thread', pooled],
        ['inline', inline],
      ] as const) {
        const sign = { secret, messageId: `msg_${task.id}_postback`, timestampSec: 1_800_000_000 };
        const out = await courier.deliver({ kind: 'postback', task, fn, url: `${sink.base}/ok/${name}?id=${task.id}`, sign });
        expect(out).toMatchObject({ httpCode: 200, error: null });
      }
      const [a, b] = sink.requests.slice(-2);
      expect(a.url).toContain('/ok/thread');
      expect(b.url).toContain('/ok/inline');
      expect(comparable(a.body)).toBe(comparable(b.body));
      const env = JSON.parse(a.body);
      expect(env.tasks[0]).toMatchObject({ id: task.id, status_code: 20000, path: ['v3', 'serp', se, seType, 'task_get', fn, task.id] });
      expect(env.tasks[0].result).toHaveLength(1);
      for (const r of [a, b]) {
        const key = Buffer.from(secret.slice(6), 'base64');
        const expected = createHmac('sha256', key)
          .update(`${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`)
          .digest('base64');
        expect(r.headers['webhook-signature']).toBe(`v1,${expected}`);
        expect(r.headers['content-encoding']).toBe('gzip');
        expect(r.headers['user-agent']).toBe('serpq-webhooks/1');
      }
    }
    // Pingbacks too.
    const task = await completedTask('google', 'images', { keyword: 'ping', location_code: 2840, language_code: 'en' });
    expect(await pooled.deliver({ kind: 'pingback', task, fn: 'advanced', url: `${sink.base}/s404/ping`, sign: null })).toMatchObject({
      httpCode: 404,
      response: 'no such hook',
    });
    expect(sink.requests.at(-1)).toMatchObject({ method: 'GET', url: '/s404/ping' });
    // Nothing fell back to the main thread.
    expect(errors).toEqual([]);
  });

  it('passes stored results to the threads when the executor does not render', async () => {
    const res = await t.request('POST', '/v3/serp/google/images/task_post', {
      body: [{ keyword: 'stored', location_code: 2840, language_code: 'en' }],
    });
    const id = res.body.tasks![0].id;
    // Completed by hand with a stored result, as a relay or module executor completes tasks.
    const now = t.clock.now();
    const [claimed] = await t.app.store.claimTasks('test-owner', now, 60_000, 1);
    expect(claimed?.id).toBe(id);
    const stored = { keyword: 'stored', type: 'images', items_count: 0, items: [], marker: 'from the store' };
    await t.app.store.completeTasks(
      [
        {
          id,
          leaseOwner: 'test-owner',
          statusCode: 20000,
          statusMessage: 'Ok.',
          results: [{ fn: 'advanced', body: gzipSync(JSON.stringify(stored)) }],
        },
      ],
      now,
    );
    const task = (await t.app.store.taskById(id)) as TaskRow;
    const noRender = { ...createSandboxExecutor({ latency: { normal: 0, high: 0 } }), render: undefined };
    const errors: unknown[] = [];
    const pooled = createCourierPool({
      store: t.app.store,
      executor: noRender,
      renderer: null,
      threads: 1,
      send: SEND,
      onError: (err) => errors.push(err),
    });
    couriers.push(pooled);
    await pooled.deliver({ kind: 'postback', task, fn: 'advanced', url: `${sink.base}/ok/stored`, sign: null });
    expect(JSON.parse(sink.requests.at(-1)!.body).tasks[0]).toMatchObject({ id, status_code: 20000, result: [stored] });
    expect(errors).toEqual([]);
  });

  it('lets a thread exit after its idle time and starts one again for the next call, reporting no error', async () => {
    const errors: unknown[] = [];
    const armed: { fn: () => unknown; ms: number; cleared: boolean }[] = [];
    const pooled = createCourierPool({
      store: t.app.store,
      executor: createSandboxExecutor({ latency: { normal: 0, high: 0 } }),
      renderer: 'sandbox',
      threads: 2,
      send: SEND,
      onError: (err) => errors.push(err),
      idleMs: 30_000,
      timers: {
        setTimeout: (fn, ms) => {
          const timer = { fn, ms, cleared: false };
          armed.push(timer);
          return timer;
        },
        clearTimeout: (timer) => void ((timer as (typeof armed)[number]).cleared = true),
      },
    });
    couriers.push(pooled);
    expect(pooled.threads()).toBe(0);
    const task = await completedTask('google', 'images', { keyword: 'idle', location_code: 2840, language_code: 'en' });
    const call = (n: number) => pooled.deliver({ kind: 'postback', task, fn: 'advanced', url: `${sink.base}/ok/i${n}`, sign: null });
    expect((await call(0)).httpCode).toBe(200);
    expect(pooled.threads()).toBe(1);
    const live = armed.filter((a) => !a.cleared);
    expect(live.map((a) => a.ms)).toEqual([30_000]);
    const exited = live[0]!.fn();
    expect(pooled.threads()).toBe(0);
    // The next call starts a thread again, and its idle timer is armed anew.
    expect((await call(1)).httpCode).toBe(200);
    expect(pooled.threads()).toBe(1);
    expect(armed.filter((a) => !a.cleared).length).toBe(2);
    expect(sink.requests.map((r) => r.url)).toEqual(['/ok/i0', '/ok/i1']);
    // The retired thread's exit, once the pool has seen it, must not count as a failure.
    await exited;
    expect(errors).toEqual([]);
  });

  it('makes the call on the main thread when its thread dies, and stops using threads that keep dying', async () => {
    const errors: unknown[] = [];
    const pooled = createCourierPool({
      store: t.app.store,
      executor: createSandboxExecutor({ latency: { normal: 0, high: 0 } }),
      renderer: 'sandbox',
      threads: 1,
      send: SEND,
      onError: (err) => errors.push(err),
      entry: new URL('../fixtures/dying-courier-thread.ts', import.meta.url),
    });
    couriers.push(pooled);
    const task = await completedTask('google', 'images', { keyword: 'dies', location_code: 2840, language_code: 'en' });
    for (let i = 0; i < 5; i++) {
      const out = await pooled.deliver({ kind: 'postback', task, fn: 'advanced', url: `${sink.base}/ok/n${i}`, sign: null });
      expect(out.httpCode).toBe(200);
    }
    expect(sink.requests.map((r) => r.url)).toEqual(['/ok/n0', '/ok/n1', '/ok/n2', '/ok/n3', '/ok/n4']);
    expect(JSON.parse(sink.requests[4]!.body).tasks[0].id).toBe(task.id);
    // Three threads died (each reported), then the pool stopped starting them.
    expect(errors.filter((e) => /exited/.test(String(e))).length).toBe(3);
  });
});
