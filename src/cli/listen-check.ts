import { createServer } from 'node:net';
import { ConfigError } from '../config.js';

/**
 * Whether serve can listen where it was told to, tried before the database is opened or created:
 * a port in use must not leave a fresh ./serpq.db behind, and its message names --port/SERPQ_PORT
 * instead of `listen EADDRINUSE`. The same words serve a failure of the real listen (a race).
 */
export function listenError(err: unknown, host: string, port: number): ConfigError | null {
  const code = (err as { code?: string }).code;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (code === 'EADDRINUSE')
    return new ConfigError([
      `port (SERPQ_PORT / --port): ${port} is already in use on ${where}: stop what listens there, or pick another port with --port or SERPQ_PORT`,
    ]);
  if (code === 'EACCES')
    return new ConfigError([
      `port (SERPQ_PORT / --port): ${port} needs privileges this user lacks: pick a port above 1023 with --port or SERPQ_PORT`,
    ]);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new ConfigError([
      `host (SERPQ_HOST / --host): '${host}' is not an address of this machine (${code}): use e.g. 127.0.0.1 or 0.0.0.0`,
    ]);
  return null;
}

export async function checkListen(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ host, port, exclusive: true }, resolve);
    });
  } catch (err) {
    throw listenError(err, host, port) ?? err;
  }
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
