import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFailed } from 'vitest';
import { type ProxiedCall, type UpstreamProxy, admin, client, startUpstreamProxy, upstreamTags } from '../helpers/relay.js';
import { type ServerProcess, killAllServers, startServer } from '../helpers/server-process.js';

/**
 * The relay within tight upstream limits: 60 requests a minute, 5 at once, 20 tasks_ready calls a
 * minute, on the relay (--upstream-limits) and on the upstream's account alike. 500 tasks need 5
 * task_post calls and 500 task_get calls (one collected function each) besides the tasks_ready
 * calls: about nine upstream minutes. Both clocks move minute by minute (time travel), each only
 * while nothing is in flight between them, so a call counted in one relay minute lands in the same
 * upstream minute. A recording proxy between the two counts what the upstream received per minute
 * and every answer's status code: nothing may be refused (40202 / 40209) and nothing lost.
 */
const UP_TOKEN = 'relay-limits-upstream-token';
const RELAY_TOKEN = 'relay-limits-relay-token';
const LIMITS = { requests: 60, concurrent: 5, tasksReady: 20 };
const NO_LIMITS = { tasks_ready_per_minute: 100_000, requests_per_minute: 1_000_000, concurrent_requests: 1000 };
/** Upstream minutes the run may take (it needs about nine). */
const MAX_MINUTES = 30;

const refused = (c: ProxiedCall) => c.statusCode === 40202 || c.statusCode === 40209 || c.taskCodes.some((t) => t === 40202 || t === 40209);

describe('the relay within tight upstream limits', () => {
  let dir: string;
  let proxy: UpstreamProxy | null = null;

  afterEach(async () => {
    await killAllServers();
    await proxy?.close();
    proxy = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('collects 500 tasks minute by minute: never over 60 calls, 5 at once or 20 tasks_ready a minute, nothing refused or lost', async () => {
    const trace: string[] = [];
    onTestFailed(() => console.error(`relay-limits:\n${trace.join('\n')}`));
    dir = mkdtempSync(join(tmpdir(), 'serpq-relay-limits-'));
    const up = await startServer({ db: join(dir, 'upstream.db'), adminToken: UP_TOKEN, timeTravel: true });
    await admin(up, UP_TOKEN, 'PATCH', '/admin/accounts/demo', {
      balance: 10_000,
      limits: { requests_per_minute: LIMITS.requests, concurrent_requests: LIMITS.concurrent, tasks_ready_per_minute: LIMITS.tasksReady },
    });
    const px = await startUpstreamProxy(up.base);
    proxy = px;
    const relay: ServerProcess = await startServer({
      db: join(dir, 'relay.db'),
      adminToken: RELAY_TOKEN,
      timeTravel: true,
      extraArgs: [
        '--executor',
        'relay',
        '--upstream-url',
        px.base,
        '--upstream-login',
        'demo',
        '--upstream-password',
        'demo',
        '--upstream-limits',
        `requests=${LIMITS.requests},concurrent=${LIMITS.concurrent},tasks_ready=${LIMITS.tasksReady}`,
      ],
    });
    // The relay's own account is not what is limited here.
    await admin(relay, RELAY_TOKEN, 'PATCH', '/admin/accounts/demo', { balance: 10_000, limits: NO_LIMITS });
    const c = client(relay);

    const posted = new Map<string, { se: string; seType: string }>();
    for (const [seType, calls] of [
      ['maps', 3],
      ['images', 2],
    ] as const) {
      for (let k = 0; k < calls; k++) {
        const tasks = Array.from({ length: 100 }, (_, i) => ({
          keyword: `limits ${seType} ${k} ${i}`,
          location_code: 2840,
          language_code: 'en',
        }));
        const env = await c.taskPost('google', seType, tasks);
        for (const t of env.tasks ?? []) {
          expect(t.status_code, t.status_message).toBe(20100);
          posted.set(t.id, { se: 'google', seType });
        }
      }
    }
    expect(posted.size).toBe(500);

    // Wake-ups: each call the proxy finished, and the relay's settle answering.
    let wake: (() => void) | null = null;
    const nudge = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    px.onDone(nudge);
    const nextEvent = () => new Promise<void>((resolve) => (wake = resolve));

    let settling = false;
    const settle = () => {
      settling = true;
      admin(relay, RELAY_TOKEN, 'POST', '/admin/settle').then(
        () => {
          settling = false;
          nudge();
        },
        (err: Error) => {
          trace.push(`settle failed: ${err.message}`);
          settling = false;
          nudge();
        },
      );
    };

    const samples: Array<{ minute: number; calls: number; lastError: unknown; inFlight: unknown }> = [];
    let finished = false;
    for (let minute = 0; minute < MAX_MINUTES && !finished; minute++) {
      px.step = minute;
      await admin(up, UP_TOKEN, 'POST', '/admin/settle');
      if (!settling) settle();
      // Until the relay stands still in this minute: its budget spent (60 calls, or 20 tasks_ready,
      // or a refusal it backs off from) or its settle answered, and nothing in flight.
      for (;;) {
        const mine = px.calls.filter((x) => x.step === minute);
        const spent =
          mine.length >= LIMITS.requests || mine.filter((x) => x.kind === 'tasks_ready').length >= LIMITS.tasksReady || mine.some(refused);
        if (px.inFlight() === 0 && (spent || !settling)) break;
        await nextEvent();
      }
      const st = await admin(relay, RELAY_TOKEN, 'GET', '/admin/upstream');
      samples.push({ minute, calls: Number(st.calls_last_minute), lastError: st.last_error, inFlight: st.in_flight });
      const mine = px.calls.filter((x) => x.step === minute);
      trace.push(
        `minute ${minute}: ${mine.length} calls (${['user_data', 'task_post', 'tasks_ready', 'task_get', 'id_list', 'other']
          .map((k) => `${k} ${mine.filter((x) => x.kind === k).length}`)
          .join(', ')}); relay: calls_last_minute ${st.calls_last_minute}, in_flight ${st.in_flight}, last_error ${st.last_error}`,
      );
      if (!settling && st.in_flight === 0 && (await c.readyRows()).length === posted.size) finished = true;
      else {
        // A minute passes, upstream first: the relay waits meanwhile (nothing is in flight).
        await admin(up, UP_TOKEN, 'POST', '/admin/clock', { advance_seconds: 60 });
        await admin(relay, RELAY_TOKEN, 'POST', '/admin/clock', { advance_seconds: 60 });
      }
    }
    expect(finished, `all 500 tasks done within ${MAX_MINUTES} upstream minutes`).toBe(true);

    // Nothing refused, and within every limit in every upstream minute.
    expect(
      px.calls.filter(refused).map((x) => `#${x.n} ${x.kind} minute ${x.step}: ${x.statusCode}`),
      'upstream refusals',
    ).toEqual([]);
    const perMinute = new Map<number, ProxiedCall[]>();
    for (const x of px.calls) perMinute.set(x.step, [...(perMinute.get(x.step) ?? []), x]);
    for (const [minute, calls] of perMinute) {
      expect(calls.length, `upstream calls in minute ${minute}`).toBeLessThanOrEqual(LIMITS.requests);
      expect(calls.filter((x) => x.kind === 'tasks_ready').length, `tasks_ready calls in minute ${minute}`).toBeLessThanOrEqual(
        LIMITS.tasksReady,
      );
    }
    expect(px.maxInFlight(), 'upstream calls at once').toBeLessThanOrEqual(LIMITS.concurrent);
    for (const s of samples) {
      expect(s.calls, `calls_last_minute in minute ${s.minute}`).toBeLessThanOrEqual(LIMITS.requests);
      expect(s.lastError, `last_error in minute ${s.minute}`).toBeNull();
    }
    expect(px.calls.every((x) => x.answered)).toBe(true);

    // Nothing lost: each task listed once and completed with the upstream's result.
    const rows = await c.readyRows();
    expect(rows.map((r) => r.id).sort()).toEqual([...posted.keys()].sort());
    for (const [id, t] of posted) {
      const got = (await c.taskGet(t.se, t.seType, 'advanced', id)).tasks![0]!;
      expect(got.status_code, `${id}: ${got.status_message}`).toBe(20000);
    }
    // The upstream got each task once (read with its limits lifted, after the run).
    await admin(up, UP_TOKEN, 'PATCH', '/admin/accounts/demo', { limits: NO_LIMITS });
    const tags = await upstreamTags(up, UP_TOKEN);
    expect([...tags.keys()].sort()).toEqual([...posted.keys()].sort());
    expect([...tags.values()].filter((ids) => ids.length !== 1)).toEqual([]);
    const sample = [...posted].slice(0, 500).filter((_, i) => i % 25 === 0);
    for (const [id, t] of sample) {
      const mine = (await c.taskGet(t.se, t.seType, 'advanced', id)).tasks![0]!;
      const theirs = (await client(up).taskGet(t.se, t.seType, 'advanced', tags.get(id)![0]!)).tasks![0]!;
      expect(mine.result).toEqual(theirs.result);
    }
    trace.push(`${px.calls.length} upstream calls in ${perMinute.size} minutes, at most ${px.maxInFlight()} at once`);
    console.log(`relay-limits:\n${trace.join('\n')}`);
  });
});
