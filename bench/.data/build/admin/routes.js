import { timingSafeEqual } from 'node:crypto';
import { isTravelClock } from '../domain/clock.js';
import { AccountInputError, createAccount, publicAccount, updateAccount } from '../services/accounts.js';
function tokenMatches(header, token) {
    if (!header?.startsWith('Bearer '))
        return false;
    const given = Buffer.from(header.slice(7).trim());
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
}
function parseJson(req) {
    const raw = req.body;
    if (!raw || raw.length === 0)
        return {};
    try {
        const v = JSON.parse(raw.toString('utf8'));
        return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
    }
    catch {
        return null;
    }
}
export function registerAdmin(app, deps) {
    const { store, clock } = deps;
    const fail = (reply, code, error) => reply.code(code).send({ error });
    app.register(async (admin) => {
        admin.addHook('onRequest', async (req, reply) => {
            if (!tokenMatches(req.headers.authorization, deps.token)) {
                reply.header('WWW-Authenticate', 'Bearer');
                return fail(reply, 401, 'admin token required: Authorization: Bearer <token>');
            }
        });
        const clockView = () => ({
            now: new Date(clock.now()).toISOString(),
            time_travel: isTravelClock(clock),
            offset_seconds: isTravelClock(clock) ? clock.offsetMs() / 1000 : 0,
        });
        admin.get('/admin/clock', async () => clockView());
        admin.post('/admin/clock', async (req, reply) => {
            if (!isTravelClock(clock))
                return fail(reply, 409, 'time travel is off: start the server with --time-travel');
            const body = parseJson(req);
            const seconds = body?.advance_seconds;
            if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
                return fail(reply, 400, 'advance_seconds must be a number >= 0 (the clock only moves forward)');
            }
            clock.advance(seconds * 1000);
            deps.onClockMoved();
            return clockView();
        });
        admin.get('/admin/accounts', async () => ({ accounts: (await store.listAccounts()).map(publicAccount) }));
        admin.post('/admin/accounts', async (req, reply) => {
            const body = parseJson(req);
            if (!body)
                return fail(reply, 400, 'body must be a JSON object');
            try {
                const account = await createAccount(store, clock.now(), body);
                return reply.code(201).send(publicAccount(account));
            }
            catch (err) {
                if (err instanceof AccountInputError)
                    return fail(reply, /exists/.test(err.message) ? 409 : 400, err.message);
                throw err;
            }
        });
        admin.patch('/admin/accounts/:login', async (req, reply) => {
            const body = parseJson(req);
            if (!body)
                return fail(reply, 400, 'body must be a JSON object');
            try {
                const account = await updateAccount(store, req.params.login, body);
                return account ? publicAccount(account) : fail(reply, 404, `no account '${req.params.login}'`);
            }
            catch (err) {
                if (err instanceof AccountInputError)
                    return fail(reply, 400, err.message);
                throw err;
            }
        });
    });
}
