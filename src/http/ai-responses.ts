import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AiOptions, toAiResponse } from '../contracts/ai-response.js';
import type { Endpoint } from '../domain/api-catalog/index.js';
import { STATUS } from '../domain/status-codes.js';
import { findEndpoint } from '../services/catalog.js';
import { sendEnvelope } from './route-context.js';

/**
 * AI-optimized responses (`.ai` appended to a path; contracts/ai-response.ts says what they hold).
 * The suffix is taken off the URL before routing (`rewriteAiUrl`, Fastify's rewriteUrl), so the call
 * is routed, limited, charged and answered as without it; the answer is then cropped on its way out.
 * The vendor offers it on live and task_get endpoints and reference lists; `.ai` on any other path
 * (task_post, tasks_ready, id_list, …) answers 404 as an unknown path does. Depth and limit default
 * to 10 in the posted tasks that do not set them, where the endpoint takes them. Same price.
 */

/** Requests whose path ended in `.ai`, with the endpoint they name once known. */
const aiCalls = new WeakMap<IncomingMessage, { endpoint: Endpoint | null; options: AiOptions }>();

const SUFFIX = '.ai';

/** Fastify's rewriteUrl: a `/v3/…` path ending in `.ai` loses the suffix and is remembered. */
export function rewriteAiUrl(req: IncomingMessage): string {
  const url = req.url ?? '/';
  if (!url.startsWith('/v3/')) return url;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (!path.endsWith(SUFFIX)) return url;
  aiCalls.set(req, { endpoint: null, options: {} });
  return path.slice(0, -SUFFIX.length) + (q < 0 ? '' : url.slice(q));
}

/** Kinds of endpoint with an AI-optimized answer. */
const AI_KINDS: ReadonlySet<string> = new Set([
  'live',
  'task_get',
  'locations',
  'languages',
  'categories',
  'available_filters',
  'status',
  'reference',
]);

/** Parameters that default to 10 in an AI-optimized call. */
const TEN_BY_DEFAULT = ['depth', 'limit'] as const;

export function registerAiResponses(app: FastifyInstance): void {
  app.addHook('preHandler', async (req, reply) => {
    const call = aiCalls.get(req.raw);
    if (!call) return;
    const path = req.url.split('?')[0]!.slice('/v3/'.length).replace(/\/+$/, '');
    const found = (await findEndpoint(req.method === 'GET' ? 'GET' : 'POST', path)) ?? (await findEndpoint('GET', path));
    if (!found || !AI_KINDS.has(found.endpoint.kind)) return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
    call.endpoint = found.endpoint;
    call.options = {
      countriesOnly: found.endpoint.kind === 'locations' && found.params.country === undefined,
      maxResults: found.endpoint.api === 'content_generation' ? 10 : undefined,
    };
    defaultToTen(req, found.endpoint);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const call = aiCalls.get(req.raw);
    if (!call || typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('application/json')) {
      return payload;
    }
    try {
      return JSON.stringify(toAiResponse(JSON.parse(payload), call.options));
    } catch {
      return payload;
    }
  });
}

/** Sets depth and limit to 10 in each posted task that leaves them out, where the endpoint takes them. */
function defaultToTen(req: FastifyRequest, endpoint: Endpoint): void {
  const fields = endpoint.request?.fields;
  const raw = req.body;
  if (!fields || !Buffer.isBuffer(raw) || raw.length === 0) return;
  const names = TEN_BY_DEFAULT.filter((n) => fields.some((f) => f.name === n));
  if (names.length === 0) return;
  let tasks: unknown;
  try {
    tasks = JSON.parse(raw.toString('utf8'));
  } catch {
    return; // the route answers a malformed body as it does without `.ai`
  }
  if (!Array.isArray(tasks)) return;
  for (const t of tasks) {
    if (t === null || typeof t !== 'object' || Array.isArray(t)) continue;
    for (const n of names) if ((t as Record<string, unknown>)[n] === undefined) (t as Record<string, unknown>)[n] = 10;
  }
  req.body = Buffer.from(JSON.stringify(tasks));
}
