import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The dashboard's page and its bundle (built by `npm run build` into dist/dashboard/), served to
 * anyone: the page holds no data, only a sign-in form, and every number on it comes from the admin
 * API with the token the operator signs in with. Nothing is loaded from elsewhere.
 *
 * The files are read at the first request, not at start (start-up stays as fast as without a
 * dashboard), and kept in memory. Running from dist/ they sit beside this module (dist/dashboard/);
 * running the sources (tsx) they are the built dist/dashboard/ of the checkout. A missing bundle
 * answers 503 naming the command that builds it, and is looked for again at the next request.
 */
export const DASHBOARD_FILES = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
} as const;

type FileName = keyof typeof DASHBOARD_FILES;

/**
 * Only our own files, no inline script or style, no frames, calls back to this origin only. uPlot and
 * Preact set styles through the CSSOM (element.style), which style-src does not restrict.
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const CANDIDATES = [new URL('../dashboard/', import.meta.url), new URL('../../dist/dashboard/', import.meta.url)];

export function registerDashboardPage(app: FastifyInstance): void {
  let files: Map<FileName, Buffer> | null = null;

  async function load(): Promise<Map<FileName, Buffer> | null> {
    if (files) return files;
    for (const dir of CANDIDATES) {
      try {
        const entries = await Promise.all(
          (Object.keys(DASHBOARD_FILES) as FileName[]).map(
            async (name) => [name, await readFile(fileURLToPath(new URL(name, dir)))] as const,
          ),
        );
        files = new Map(entries);
        return files;
      } catch {
        // Not built there (src/dashboard/ holds the sources, never app.js): try the next place.
      }
    }
    return null;
  }

  async function send(reply: FastifyReply, name: FileName) {
    const loaded = await load();
    reply
      .header('content-security-policy', DASHBOARD_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache');
    if (!loaded) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The dashboard is not built: run `npm run build` (it writes dist/dashboard/), then reload.\n');
    }
    return reply.type(DASHBOARD_FILES[name]).send(loaded.get(name));
  }

  app.get('/dashboard', (_req, reply) => send(reply, 'index.html'));
  app.get('/dashboard/', (_req, reply) => send(reply, 'index.html'));
  app.get('/dashboard/app.js', (_req, reply) => send(reply, 'app.js'));
  app.get('/dashboard/app.css', (_req, reply) => send(reply, 'app.css'));
}
