import { envelope, pathSegments, wireTask, type WireEnvelope } from '../contracts/envelope.js';
import { ID_FAMILY, newId } from '../domain/ids.js';
import { STATUS } from '../domain/status-codes.js';
import { type CallContext, type ServiceDeps, elapsedMs } from './deps.js';

/** GET /v3/appendix/errors: the full status-code catalog as `[{code, message}]`, free. */
export function appendixErrors(deps: ServiceDeps, ctx: CallContext): WireEnvelope {
  const result = Object.values(STATUS)
    .map((s) => ({ code: s.code, message: s.message }))
    .sort((a, b) => a.code - b.code);
  const id = newId(deps.clock.now(), ctx.account.id, ID_FAMILY.APPENDIX);
  return envelope(STATUS.OK, {
    timeMs: elapsedMs(ctx),
    tasks: [
      wireTask(id, STATUS.OK, {
        timeMs: elapsedMs(ctx),
        path: pathSegments(ctx.url),
        data: { api: 'appendix', function: 'errors' },
        result,
      }),
    ],
  });
}
