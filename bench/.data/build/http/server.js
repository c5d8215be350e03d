import { createGunzip } from 'node:zlib';
import Fastify from 'fastify';
import { findSeType, isKnownEngine } from '../domain/catalog.js';
import { appendixErrors } from '../services/appendix.js';
import { STATUS } from '../domain/status-codes.js';
import { envelope } from '../contracts/envelope.js';
import { getTask } from '../services/get-task.js';
import { listReady } from '../services/list-ready.js';
import { postTasks } from '../services/post-tasks.js';
import { registerAdmin } from '../admin/routes.js';
const JSON_TYPE = 'application/json; charset=utf-8';
const FUNCTIONS = ['regular', 'advanced', 'html'];
function sendEnvelope(reply, status, startedAt) {
    return reply
        .code(status.http)
        .type(JSON_TYPE)
        .send(JSON.stringify(envelope(status, { timeMs: performance.now() - startedAt, tasks: null })));
}
function ctxOf(req) {
    return { account: req.account, url: req.url, startedAt: req.startedAt };
}
export function createHttpServer(deps) {
    const app = Fastify({
        logger: deps.logLevel && deps.logLevel !== 'silent' ? { level: deps.logLevel } : false,
        bodyLimit: 32 * 1024 * 1024,
        return503OnClosing: true,
    });
    const { services, auth, limiter } = deps;
    app.decorateRequest('account', undefined);
    app.decorateRequest('startedAt', 0);
    // Bodies are parsed by the routes, so that an empty or malformed body becomes 40502/40503 in the
    // vendor's envelope instead of a framework error; any content type is accepted, as the vendor does.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    // Official clients may gzip request bodies.
    app.addHook('preParsing', async (req, _reply, payload) => {
        if (String(req.headers['content-encoding'] ?? '').toLowerCase() !== 'gzip')
            return payload;
        const gunzip = createGunzip();
        let encoded = 0;
        payload.on('data', (chunk) => {
            encoded += chunk.length;
            gunzip.receivedEncodedLength = encoded;
        });
        payload.on('error', (err) => gunzip.destroy(err));
        return payload.pipe(gunzip);
    });
    app.addHook('onRequest', async (req, reply) => {
        req.startedAt = performance.now();
        if (!req.url.startsWith('/v3/'))
            return;
        const account = await auth.authenticate(req.headers.authorization);
        if (!account) {
            reply.header('WWW-Authenticate', 'Basic realm="DataForSEO REST API"');
            return sendEnvelope(reply, STATUS.UNAUTHORIZED, req.startedAt);
        }
        req.account = account;
        const key = String(account.id);
        const rate = limiter.hit(`req:${key}`, account.limits.requestsPerMinute);
        reply.header('X-RateLimit-Limit', account.limits.requestsPerMinute);
        reply.header('X-RateLimit-Remaining', rate.remaining);
        if (!rate.allowed)
            return sendEnvelope(reply, STATUS.RATE_LIMIT, req.startedAt);
        if (!limiter.enter(`cc:${key}`, account.limits.concurrentRequests)) {
            return sendEnvelope(reply, STATUS.TOO_MANY_SIMULTANEOUS, req.startedAt);
        }
        let left = false;
        reply.raw.once('close', () => {
            if (!left)
                limiter.leave(`cc:${key}`);
            left = true;
        });
    });
    app.setNotFoundHandler((req, reply) => sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt || performance.now()));
    app.setErrorHandler((err, req, reply) => {
        const started = req.startedAt || performance.now();
        // Framework-level client errors (body too large, broken gzip, aborted upload) are bad POST data.
        if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
            return sendEnvelope(reply, STATUS.POST_DATA_INVALID, started);
        }
        req.log.error({ err }, 'request failed');
        return sendEnvelope(reply, STATUS.INTERNAL_ERROR, started);
    });
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/readyz', async (_req, reply) => {
        const ok = await services.store.ping().catch(() => false);
        return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable' });
    });
    registerAdmin(app, deps.admin);
    /** Applies the tasks_ready/tasks_fixed per-minute limit (default 20) and answers 40202 past it. */
    const readyLimited = (req, reply) => {
        const account = req.account;
        if (limiter.hit(`ready:${account.id}`, account.limits.tasksReadyPerMinute).allowed)
            return false;
        sendEnvelope(reply, STATUS.RATE_LIMIT, req.startedAt);
        return true;
    };
    const readyHandler = async (req, reply) => {
        const { se, seType } = req.params;
        if (se !== undefined && !isKnownEngine(se))
            return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
        if (seType !== undefined && !findSeType(se ?? '', seType))
            return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
        if (readyLimited(req, reply))
            return reply;
        return reply.type(JSON_TYPE).send(await listReady(services, ctxOf(req), { se, seType }));
    };
    const readMethods = ['GET', 'POST'];
    app.route({ method: readMethods, url: '/v3/serp/tasks_ready', handler: readyHandler });
    app.route({ method: readMethods, url: '/v3/serp/:se/tasks_ready', handler: readyHandler });
    app.route({ method: readMethods, url: '/v3/serp/:se/:seType/tasks_ready', handler: readyHandler });
    app.route({
        method: readMethods,
        url: '/v3/serp/:se/:seType/tasks_fixed',
        handler: async (req, reply) => {
            const def = findSeType(req.params.se, req.params.seType);
            if (!def || !def.tasksFixed)
                return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
            if (readyLimited(req, reply))
                return reply;
            return reply.type(JSON_TYPE).send(await listReady(services, ctxOf(req), { se: def.se, seType: def.seType }, 'tasks_fixed'));
        },
    });
    app.post('/v3/serp/:se/:seType/task_post', async (req, reply) => {
        const def = findSeType(req.params.se, req.params.seType);
        if (!def)
            return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
        const raw = req.body;
        let body;
        const text = raw && raw.length > 0 ? raw.toString('utf8').trim() : '';
        if (text.length > 0) {
            try {
                body = JSON.parse(text);
            }
            catch {
                return sendEnvelope(reply, STATUS.POST_DATA_INVALID, req.startedAt);
            }
        }
        const out = await postTasks(services, ctxOf(req), def, body);
        return reply.code(out.httpStatus).type(JSON_TYPE).send(JSON.stringify(out.body));
    });
    app.route({
        method: readMethods,
        url: '/v3/serp/:se/:seType/task_get/:fn/:id',
        handler: async (req, reply) => {
            const { se, seType, fn, id } = req.params;
            const def = findSeType(se, seType);
            if (!def || !FUNCTIONS.includes(fn) || !def.getFunctions.includes(fn)) {
                return sendEnvelope(reply, STATUS.NOT_FOUND, req.startedAt);
            }
            const body = await getTask(services, ctxOf(req), def, fn, id.toLowerCase());
            return reply.type(JSON_TYPE).send(JSON.stringify(body));
        },
    });
    app.route({
        method: readMethods,
        url: '/v3/appendix/errors',
        handler: async (req, reply) => reply.type(JSON_TYPE).send(JSON.stringify(appendixErrors(services, ctxOf(req)))),
    });
    return app;
}
