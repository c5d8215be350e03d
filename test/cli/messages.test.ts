import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ran, serpqCommand } from '../helpers/cli-process.js';
import { type ServerProcess, killAllServers, startServer } from '../helpers/server-process.js';

/**
 * What a newcomer's usual mistakes print: one line naming the setting and its value, a non-zero
 * exit, and nothing created on the way (no database file, no folder). Plus the small things the
 * command line owes its user: --version, the start banner's pointers, the line Ctrl-C leaves.
 */
const PACKAGE_VERSION = (await import('../../package.json', { with: { type: 'json' } })).default.version;

const serpq = serpqCommand;

/** The one line a failed command printed. */
function oneLine(r: Ran): string {
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0] ?? '';
}

describe('messages that name the setting and the value', () => {
  let dir: string;
  let busy: Server;
  let busyPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-msg-'));
    busy = createServer();
    busy.listen(0, '127.0.0.1');
    await once(busy, 'listening');
    busyPort = (busy.address() as { port: number }).port;
  });

  afterAll(async () => {
    busy?.close();
    await killAllServers();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a SQLite path in a missing folder, a folder, or a file that is not SQLite: named, and nothing created', async () => {
    mkdirSync(join(dir, 'a-folder'));
    writeFileSync(join(dir, 'notes.txt'), 'these are not the droids\n');
    const before = readdirSync(dir).sort();
    const [missing, folder, notSqlite, viaEnv] = await Promise.all([
      serpq(['migrate', '--db', 'no-such-folder/serpq.db'], dir).done,
      serpq(['serve', '--db', 'a-folder', '--port', '0'], dir).done,
      serpq(['accounts', 'list', '--db', 'notes.txt'], dir).done,
      serpq(['migrate'], dir, { SERPQ_DB: 'no-such-folder/x.db' }).done,
    ]);
    for (const r of [missing, folder, notSqlite, viaEnv]) expect(r.code).toBe(1);
    expect(oneLine(missing)).toBe(
      `serpq: invalid configuration: db (SERPQ_DB / --db): 'no-such-folder/serpq.db': the folder ${join(dir, 'no-such-folder')} does not exist: create it, or name a file in an existing folder`,
    );
    expect(oneLine(viaEnv)).toContain("db (SERPQ_DB / --db): 'no-such-folder/x.db': the folder");
    expect(oneLine(folder)).toMatch(
      /^serpq: invalid configuration: db \(SERPQ_DB \/ --db\): 'a-folder': .*a-folder is a folder, not a SQLite file/,
    );
    expect(oneLine(notSqlite)).toMatch(
      /^serpq: invalid configuration: db \(SERPQ_DB \/ --db\): 'notes.txt': .*notes.txt is not a SQLite database file/,
    );
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readdirSync(join(dir, 'a-folder'))).toEqual([]);
  }, 60_000);

  it('an unknown URL scheme is not taken for a file path; an unreachable PostgreSQL names host and port', async () => {
    const [typo, refused] = await Promise.all([
      serpq(['migrate', '--db', 'postgress://serpq:secret@127.0.0.1/serpq'], dir).done,
      serpq(['migrate', '--db', 'postgres://serpq:secret@127.0.0.1:1/serpq'], dir).done,
    ]);
    expect(typo.code).toBe(1);
    expect(oneLine(typo)).toBe(
      "serpq: invalid configuration: db (SERPQ_DB / --db): 'postgress://serpq:***@127.0.0.1/serpq': unknown URL scheme 'postgress://': use a SQLite file path, :memory:, or postgres://user:password@host:5432/database",
    );
    expect(existsSync(join(dir, 'postgress:'))).toBe(false);
    expect(refused.code).toBe(1);
    const line = oneLine(refused);
    expect(line).toContain(
      "db (SERPQ_DB / --db): 'postgres://serpq:***@127.0.0.1:1/serpq': cannot connect to PostgreSQL at 127.0.0.1:1 (ECONNREFUSED",
    );
    expect(line).toContain('check that the server runs');
    expect(line).not.toContain('secret');
  }, 60_000);

  it('a port in use names --port and SERPQ_PORT before the database file is created', async () => {
    const r = await serpq(['serve', '--port', String(busyPort), '--db', 'fresh.db'], dir).done;
    expect(r.code).toBe(1);
    expect(oneLine(r)).toBe(
      `serpq: invalid configuration: port (SERPQ_PORT / --port): ${busyPort} is already in use on 127.0.0.1:${busyPort}: stop what listens there, or pick another port with --port or SERPQ_PORT`,
    );
    expect(existsSync(join(dir, 'fresh.db'))).toBe(false);
    const viaEnv = await serpq(['serve', '--db', 'fresh.db'], dir, { SERPQ_PORT: String(busyPort) }).done;
    expect(oneLine(viaEnv)).toContain(`${busyPort} is already in use`);
    expect(existsSync(join(dir, 'fresh.db'))).toBe(false);
  }, 60_000);

  it('serpq clock shows the server’s own answer, whatever the status', async () => {
    const srv: ServerProcess = await startServer({ db: join(dir, 'clock.db'), adminToken: 'clock-admin-token' });
    const [off, wrong] = await Promise.all([
      serpq(['clock', 'advance', '3d', '--base-url', srv.base, '--admin-token', 'clock-admin-token'], dir).done,
      serpq(['clock', '--base-url', srv.base, '--admin-token', 'not-the-token'], dir).done,
    ]);
    expect(off.code).toBe(1);
    expect(oneLine(off)).toBe(
      `serpq: ${srv.base}: time travel is off: start the server with --time-travel (POST /admin/clock answered 409)`,
    );
    expect(wrong.code).toBe(1);
    expect(oneLine(wrong)).toMatch(/^serpq: .*: admin token refused: .* \(GET \/admin\/clock answered 401\)$/);
  }, 60_000);
});

describe('the command line’s small courtesies', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'serpq-cli-'));
  });
  afterAll(async () => {
    await killAllServers();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints its version', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await serpq([flag], dir).done;
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(PACKAGE_VERSION);
    }
  }, 30_000);

  it('names the dashboard and /metrics at start, and says in one line that Ctrl-C stopped it', async () => {
    const run = serpq(['serve', '--port', '0', '--db', 'serve.db'], dir);
    await run.shows(/Ctrl-C stops the server/);
    const banner = run.out();
    const base = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
    expect(banner).toContain(`dashboard: ${base}/dashboard   metrics: ${base}/metrics`);
    expect(banner).toContain(`(serpq ${PACKAGE_VERSION})`);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('serpq stopped (serve.db keeps the queue and results)');
  }, 30_000);

  it('says a replay server’s cassettes, and a relay’s upstream and its balance', async () => {
    const upstream = await startServer({ db: join(dir, 'upstream.db'), adminToken: 'upstream-admin-token' });
    mkdirSync(join(dir, 'cassettes'));
    const [relay, replay] = await Promise.all([
      startServer({
        db: join(dir, 'relay.db'),
        adminToken: 'relay-admin-token',
        extraArgs: ['--executor', 'relay', '--upstream-url', upstream.base, '--upstream-login', 'demo', '--upstream-password', 'demo'],
      }),
      startServer({
        db: join(dir, 'replay.db'),
        adminToken: 'replay-admin-token',
        extraArgs: ['--executor', 'replay', '--cassettes', join(dir, 'cassettes')],
      }),
    ]);
    const demo = (await (
      await fetch(`${upstream.base}/admin/accounts/demo`, { headers: { authorization: 'Bearer upstream-admin-token' } })
    ).json()) as {
      balance: number;
    };
    expect(relay.output()).toContain(`upstream: ${upstream.base} (reachable, balance ${demo.balance} USD)`);
    expect(replay.output()).toMatch(/cassettes: 0 loaded from .*cassettes \(a miss gets: sandbox\)/);
  }, 60_000);

  it('says that an account made without --balance starts at 0 USD', async () => {
    const [without, withBalance] = await Promise.all([
      serpq(['accounts', 'add', 'alice', '--db', 'accounts.db', '--password', 'alice-password'], dir).done,
      serpq(['accounts', 'add', 'bob', '--db', 'accounts2.db', '--password', 'bob-password', '--balance', '5'], dir).done,
    ]);
    expect(without.code).toBe(0);
    expect(JSON.parse(without.stdout)).toMatchObject({ login: 'alice', balance: 0 });
    expect(without.stderr).toContain("account 'alice' starts at 0 USD (no --balance)");
    expect(withBalance.code).toBe(0);
    expect(withBalance.stderr).toBe('');
  }, 30_000);
});
