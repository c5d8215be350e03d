import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { INVALID, type RouteContext, gunzipBody, jsonBody } from '../route-context.js';

/**
 * The relay's postback route, `POST /relay/postback`: where the upstream reports a task it ran
 * (`?id=$id&tag=$tag&key=…`, the body a gzipped task_get envelope). The key is a secret of this
 * deployment; the task must be one the relay forwarded under that upstream id. A 2xx answer tells
 * the upstream it was delivered; anything else leaves it on the upstream's tasks_ready, which the
 * relay's collection reads, so a postback that arrives too early or fails is never lost.
 */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function register(app: FastifyInstance, ctx: RouteContext): void {
  const { executor } = ctx.services;
  const receive = executor.receivePostback?.bind(executor);
  if (!receive || !executor.postbackKey) return;
  const key = executor.postbackKey;
  app.post('/relay/postback', { preParsing: gunzipBody }, async (req, reply) => {
    const query = req.query as Record<string, string | undefined>;
    if (!sameSecret(query.key ?? '', key)) return reply.code(401).send({ status: 'refused' });
    const body = jsonBody(req);
    if (body === INVALID || body === undefined) return reply.code(400).send({ status: 'invalid body' });
    const receipt = await receive(query, body);
    // 'later': not taken yet (the answer to our task_post is still on its way); the upstream lists it.
    if (receipt === 'later') return reply.code(409).send({ status: receipt });
    if (receipt === 'unknown') return reply.code(404).send({ status: receipt });
    return reply.code(200).send({ status: receipt });
  });
}
