import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type ClientRequest, request as httpRequest } from 'node:http';
import { createAuthenticator } from '../../src/services/auth.js';
import { updateAccount } from '../../src/services/accounts.js';
import { verifyPassword } from '../../src/services/passwords.js';
import { ADMIN_TOKEN, type TestApp, eachDialect, basicAuth, imagesTask, makeTestApp, postImages, readyIds } from '../helpers/app.js';
import { startSink } from '../helpers/webhook-sink.js';

eachDialect('authentication', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp({ dialect });
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers 401 with 40100 in the envelope and a Basic challenge for missing or wrong credentials', async () => {
    for (const auth of [null, basicAuth('demo', 'wrong'), basicAuth('nobody', 'demo'), 'Basic !!!', 'Bearer demo']) {
      const res = await t.request('GET', '/v3/serp/tasks_ready', { auth });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="DataForSEO REST API"');
      expect(res.body).toMatchObject({ status_code: 40100, tasks_count: 0, tasks: null });
    }
  });

  it('stores passwords hashed, never in plain text', async () => {
    const account = await t.app.store.accountByLogin('demo');
    expect(account!.passwordHash).toMatch(/^scrypt\$/);
    expect(account!.passwordHash).not.toContain('demo');
  });

  it('verifies a password once and serves repeat requests from the cache; a changed password is re-checked', async () => {
    await t.addAccount('cached', { password: 'first-password' });
    let hashes = 0;
    const auth = createAuthenticator(t.app.store, {
      rowTtlMs: 0, // re-read the account on every call, as a node other than the one that changed it does after 1 s
      verify: async (p, h) => {
        hashes++;
        return verifyPassword(p, h);
      },
    });
    const header = basicAuth('cached', 'first-password');
    for (let i = 0; i < 5; i++) expect((await auth.authenticate(header))?.login).toBe('cached');
    expect(hashes).toBe(1);
    // Wrong passwords are refused, and a retry loop of the same bad header is not hashed again.
    for (let i = 0; i < 3; i++) expect(await auth.authenticate(basicAuth('cached', 'nope'))).toBeNull();
    expect(hashes).toBe(2);
    await updateAccount(t.app.store, 'cached', { password: 'second-password' });
    expect(await auth.authenticate(header)).toBeNull();
    expect((await auth.authenticate(basicAuth('cached', 'second-password')))?.login).toBe('cached');
  });

  it('applies an account change made through the admin API to the next request', async () => {
    const auth = await t.addAccount('changing', { password: 'first-password' });
    expect((await t.request('GET', '/v3/serp/tasks_ready', { auth })).status).toBe(200);
    const patched = await t.app.http.inject({
      method: 'PATCH',
      url: '/admin/accounts/changing',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: JSON.stringify({ password: 'second-password', limits: { requests_per_minute: 2 } }),
    });
    expect(patched.statusCode).toBe(200);
    expect((await t.request('GET', '/v3/serp/tasks_ready', { auth })).status).toBe(401);
    const fresh = basicAuth('changing', 'second-password');
    expect((await t.request('GET', '/v3/appendix/errors', { auth: fresh })).body.status_code).toBe(20000);
    // The new limit of 2 per minute applies at once (whether the earlier call of this minute counts
    // depends on the counter: sliding in process, per clock minute when shared by several nodes).
    const next = [];
    for (let i = 0; i < 2; i++) next.push((await t.request('GET', '/v3/appendix/errors', { auth: fresh })).body.status_code);
    expect(next).toContain(40202);
  });

  it('sets X-RateLimit headers and answers 40202 past the per-minute request limit', async () => {
    const auth = await t.addAccount('busy', { limits: { requests_per_minute: 3 } });
    const first = await t.request('GET', '/v3/appendix/errors', { auth });
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    expect(first.headers['x-ratelimit-remaining']).toBe('2');
    await t.request('GET', '/v3/appendix/errors', { auth });
    await t.request('GET', '/v3/appendix/errors', { auth });
    const limited = await t.request('GET', '/v3/appendix/errors', { auth });
    expect(limited.status).toBe(200);
    expect(limited.body.status_code).toBe(40202);
    t.advance(60);
    expect((await t.request('GET', '/v3/appendix/errors', { auth })).body.status_code).toBe(20000);
  });

  it('answers 40209 beyond the concurrent request limit', async () => {
    // The polls below count against the requests a minute too, and the test's clock never moves on:
    // a limit the polls cannot reach, so that only the concurrent one answers.
    const auth = await t.addAccount('parallel', { limits: { concurrent_requests: 2, requests_per_minute: 1_000_000 } });
    await t.app.http.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.http.server.address() as { port: number };
    // Two requests held open: headers sent (so auth and the slot are taken), body never finished.
    const held: ClientRequest[] = [];
    const done: Promise<void>[] = [];
    for (let k = 0; k < 2; k++) {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v3/serp/google/images/task_post',
        headers: { authorization: auth, 'content-type': 'application/json', 'content-length': '1000' },
      });
      done.push(
        new Promise((resolve) => {
          req.on('error', () => resolve());
          req.on('response', (r) => {
            r.resume();
            resolve();
          });
        }),
      );
      req.write('[');
      held.push(req);
    }
    const statusOf = async () =>
      (
        (await (await fetch(`http://127.0.0.1:${port}/v3/appendix/errors`, { headers: { authorization: auth } })).json()) as {
          status_code: number;
        }
      ).status_code;
    // The held requests reach the server asynchronously (and their first password check may take a
    // while on a loaded machine): poll, bounded by the test's timeout, until both occupy their slots.
    let seen = 0;
    try {
      for (let i = 0; i < 5000 && seen !== 40209; i++) seen = await statusOf();
      expect(seen).toBe(40209);
    } finally {
      // Released even when the check fails, so the server can close.
      held.forEach((r) => r.destroy());
    }
    await Promise.all(done);
    let after = 0;
    for (let i = 0; i < 200 && after !== 20000; i++) after = await statusOf();
    expect(after).toBe(20000);
  });
});

eachDialect('admin API', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp({ dialect });
  });
  afterEach(async () => {
    await t.close();
  });
  const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, token = ADMIN_TOKEN) =>
    t.app.http.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });

  it('requires the bearer token, and says a wrong one was refused rather than missing', async () => {
    const wrong = await admin('GET', '/admin/clock', undefined, 'wrong-token');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toMatch(/^admin token refused: .*--admin-token \/ SERPQ_ADMIN_TOKEN/);
    const missing = await t.app.http.inject({ method: 'GET', url: '/admin/accounts' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error).toMatch(/^admin token required: Authorization: Bearer <token>/);
  });

  it('creates, lists and updates accounts with balance and limits', async () => {
    const created = await admin('POST', '/admin/accounts', {
      login: 'acme',
      password: 'pw-acme',
      balance: 25.5,
      limits: { tasks_ready_per_minute: 60 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      login: 'acme',
      balance: 25.5,
      limits: { tasks_ready_per_minute: 60, requests_per_minute: 2000, concurrent_requests: 30 },
    });
    expect(created.body).not.toContain('pw-acme');
    expect((await admin('POST', '/admin/accounts', { login: 'acme', password: 'x' })).statusCode).toBe(409);
    expect((await admin('POST', '/admin/accounts', { login: 'bad login', password: 'x' })).statusCode).toBe(400);
    expect((await admin('POST', '/admin/accounts', { login: 'b', password: 'x', limits: { nope: 1 } })).statusCode).toBe(400);
    expect((await admin('POST', '/admin/accounts', '[')).statusCode).toBe(400);
    const list = (await admin('GET', '/admin/accounts')).json() as { accounts: Array<{ login: string }> };
    expect(list.accounts.map((a) => a.login)).toEqual(['demo', 'acme']);
    const patched = await admin('PATCH', '/admin/accounts/acme', { balance: 30, limits: { concurrent_requests: 5 } });
    expect(patched.json()).toMatchObject({ balance: 30, limits: { concurrent_requests: 5, tasks_ready_per_minute: 60 } });
    expect((await admin('PATCH', '/admin/accounts/nobody', { balance: 1 })).statusCode).toBe(404);
    // The new account works over the vendor API.
    const ids = await postImages(t, [imagesTask()], basicAuth('acme', 'pw-acme'));
    expect(ids).toHaveLength(1);
  });

  it('settles on request: executes what is due and sends its webhooks, then answers; nothing waits on real time', async () => {
    const sink = await startSink();
    try {
      await postImages(t, [imagesTask('plain'), imagesTask('pinged', { pingback_url: `${sink.base}/ok/ping?id=$id` })]);
      expect((await admin('POST', '/admin/settle')).json()).toEqual({ executed: 2, delivered: 1 });
      expect(sink.requests.map((r) => r.method)).toEqual(['GET']);
      expect(await readyIds(t)).toHaveLength(2);
      expect((await admin('POST', '/admin/settle')).json()).toEqual({ executed: 0, delivered: 0 });
    } finally {
      await sink.close();
    }
    expect((await admin('POST', '/admin/settle', undefined, 'wrong-token')).statusCode).toBe(401);
  });

  it('settles only what is due: latent tasks once the clock has moved past them', async () => {
    const latent = await makeTestApp({ dialect, latency: '60s' });
    try {
      await postImages(latent, [imagesTask('later')]);
      const settle = async () =>
        (
          await latent.app.http.inject({ method: 'POST', url: '/admin/settle', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
        ).json();
      expect(await settle()).toEqual({ executed: 0, delivered: 0 });
      latent.advance(61);
      expect(await settle()).toEqual({ executed: 1, delivered: 0 });
      expect(await readyIds(latent)).toHaveLength(1);
    } finally {
      await latent.close();
    }
    const apiOnly = await createApp(
      loadConfig({ SERPQ_DB: ':memory:', SERPQ_ADMIN_TOKEN: ADMIN_TOKEN, SERPQ_LOG_LEVEL: 'silent', SERPQ_WORKERS: '0' }),
    );
    try {
      const res = await apiOnly.http.inject({ method: 'POST', url: '/admin/settle', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.statusCode).toBe(409);
    } finally {
      await apiOnly.close();
    }
  });

  it('moves the clock forward only, and only with time travel', async () => {
    const before = (await admin('GET', '/admin/clock')).json() as { now: string; time_travel: boolean };
    expect(before.time_travel).toBe(true);
    const moved = (await admin('POST', '/admin/clock', { advance_seconds: 3600 })).json() as { now: string };
    expect(Date.parse(moved.now) - Date.parse(before.now)).toBe(3600_000);
    expect((await admin('POST', '/admin/clock', { advance_seconds: -5 })).statusCode).toBe(400);
    expect((await admin('POST', '/admin/clock', { advance_seconds: 'x' })).statusCode).toBe(400);

    const plain = await createApp(loadConfig({ SERPQ_DB: ':memory:', SERPQ_ADMIN_TOKEN: ADMIN_TOKEN, SERPQ_LOG_LEVEL: 'silent' }));
    try {
      const res = await plain.http.inject({
        method: 'POST',
        url: '/admin/clock',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload: '{"advance_seconds":10}',
      });
      expect(res.statusCode).toBe(409);
    } finally {
      await plain.close();
    }
  });

  it('creates the demo account only on a fresh database bound to loopback', async () => {
    const exposed = await createApp(loadConfig({ SERPQ_DB: ':memory:', SERPQ_HOST: '0.0.0.0', SERPQ_LOG_LEVEL: 'silent' }));
    try {
      expect(await exposed.store.countAccounts()).toBe(0);
      const res = await exposed.http.inject({
        method: 'GET',
        url: '/v3/serp/tasks_ready',
        headers: { authorization: basicAuth('demo', 'demo') },
      });
      expect(res.statusCode).toBe(401);
    } finally {
      await exposed.close();
    }
  });

  it('answers health and readiness', async () => {
    expect((await t.app.http.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.http.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});
