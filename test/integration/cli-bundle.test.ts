import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The command line as the package runs it: `serpq` (and `npm start`) is dist/bin/main.js, the bundle
 * scripts/build-cli.mjs makes. Built here, then started as a process: it serves, executes, sends a
 * postback from a courier thread (a separate entry of the bundle) and serves the dashboard's assets.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

describe('the bundled command line (dist/bin)', () => {
  it('serves, executes and delivers a postback through a courier thread', async () => {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT, encoding: 'utf8' });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    expect(existsSync(join(ROOT, 'dist', 'bin', 'courier-thread.js'))).toBe(true);

    const bodies: Buffer[] = [];
    let arrived: () => void = () => {};
    const got = new Promise<void>((r) => (arrived = r));
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks));
        res.end('ok');
        arrived();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/pb?id=$id`;

    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SERPQ_')) env[k] = v;
    const child = spawn(
      process.execPath,
      [join(ROOT, 'dist', 'bin', 'main.js'), 'serve', '--db', ':memory:', '--host', '127.0.0.1', '--port', '0'],
      { cwd: ROOT, env: { ...env, SERPQ_ALLOW_PRIVATE_WEBHOOKS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    let out = '';
    const base = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /serving the DataForSEO v3 SERP API at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      child.once('exit', (code) => reject(new Error(`exited (${code}) before serving:\n${out}`)));
    });
    try {
      const auth = { authorization: 'Basic ' + Buffer.from('demo:demo').toString('base64'), 'content-type': 'application/json' };
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      const posted = (await (
        await fetch(`${base}/v3/serp/google/images/task_post`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify([
            { keyword: 'bundle', location_code: 2840, language_code: 'en', postback_url: hook, postback_data: 'advanced' },
          ]),
        })
      ).json()) as { tasks: { id: string; status_code: number }[] };
      const task = posted.tasks[0] as { id: string; status_code: number };
      expect(task.status_code).toBe(20100);
      await got;
      const envelope = JSON.parse(gunzipSync(bodies[0] as Buffer).toString('utf8')) as { tasks: { id: string; result: unknown[] }[] };
      expect(envelope.tasks[0]?.id).toBe(task.id);
      expect(envelope.tasks[0]?.result).toHaveLength(1);
      // Built and sent by a courier thread: a thread that failed to start would be reported here
      // (and its call made on the main thread instead).
      expect(out).not.toMatch(/courier thread/);
      // The dashboard's assets are found from the bundle's folder when they are built.
      if (existsSync(join(ROOT, 'dist', 'dashboard', 'index.html'))) expect((await fetch(`${base}/dashboard/`)).status).toBe(200);
    } finally {
      child.kill('SIGKILL');
      receiver.close();
    }
  });
});
