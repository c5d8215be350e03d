import { envelope, pathSegments, wireTask, type WireTask } from '../contracts/envelope.js';
import { API_NAMES, type ApiCatalog, type Endpoint, type EndpointMatch } from '../domain/api-catalog/index.js';
import { taskColumns } from '../domain/api-catalog/tasks.js';
import { checkTask, echoBase } from '../domain/api-catalog/validate.js';
import { REQUEST_CAPS, SPECIAL_LIMITS, type SpecialLimit, longestPrefix, subscriptionDenial } from '../domain/api-prices.js';
import { endpointChargeMicro } from '../domain/api-pricing.js';
import { ID_FAMILY, newId } from '../domain/ids.js';
import { LANGUAGES, LOCATIONS } from '../domain/reference.js';
import { STATUS } from '../domain/status-codes.js';
import { formatDateTime } from '../domain/time-format.js';
import type { EndpointExecution, EndpointOutcome } from '../executors/executor.js';
import type { Budgets, TaskHistory, TaskIntake } from '../store/store.js';
import { checkAccountLimits, hasTaskControls, payloadHash } from './account-controls.js';
import { type CallContext, type ServiceDeps, elapsedMs } from './deps.js';
import { LIVE_TIMEOUT_MS } from './live.js';
import type { ServiceResult } from './webhooks.js';
import { liveTask } from './live-task.js';

/**
 * Calls of the catalog's endpoints outside the SERP engine: the live endpoints of every API (one
 * task per call unless the vendor documents more, checked against the endpoint's request rules,
 * answered by the executor, charged at the vendor's price and kept for id_list), and the reference
 * lists (locations and languages from serpq's reference data, the others from the executor). The
 * task-based endpoints of those APIs are not served here.
 */

type Deps = ServiceDeps<Pick<TaskIntake, 'insertLiveTask'> & TaskHistory & Pick<Budgets, 'budgetsOf' | 'claimBudgetAlert'>> & {
  readonly executor: Partial<EndpointExecution>;
};

/** The kinds this service answers. */
const SERVED = new Set(['live', 'locations', 'languages', 'categories', 'available_filters', 'status', 'reference']);

export function servesEndpoint(endpoint: Endpoint): boolean {
  // SERP's lists and the appendix have routes of their own, but for the appendix's status of the APIs.
  if (endpoint.api === 'appendix') return endpoint.kind === 'status';
  return SERVED.has(endpoint.kind) && !(endpoint.api === 'serp' && endpoint.kind !== 'live');
}

/**
 * The per-account limit the vendor documents for an endpoint beyond the general one (Google Ads live
 * calls: 12 a minute, shared by its four endpoints), by the longest matching path prefix; null when
 * none applies. Limits the vendor shares among all its users (Google Trends live) have no meaning for
 * one serpq and are not applied.
 */
export function specialLimitOf(path: string): SpecialLimit | null {
  const limit = longestPrefix(SPECIAL_LIMITS, path)?.[1];
  return limit?.scope === 'account' ? limit : null;
}

/** Tasks one call may carry: the vendor's documented cap (longest path prefix), else one per live call. */
function maxTasksOf(path: string): number {
  return longestPrefix(REQUEST_CAPS, path)?.[1].maxTasksPerPost ?? 1;
}

function top(ctx: CallContext, s: { code: number; message: string; http: number }): ServiceResult {
  return { httpStatus: s.http, body: envelope(s, { timeMs: elapsedMs(ctx), tasks: null }) };
}

/** Reference rows from serpq's own data, with the fields the endpoint's result schema names (others null). */
function referenceRows(api: ApiCatalog, endpoint: Endpoint, params: Readonly<Record<string, string>>): unknown[] | null {
  const node = endpoint.result?.t === 'ref' ? api.schemas[endpoint.result.n] : endpoint.result;
  if (!node || node.t !== 'object') return null;
  const fields = Object.keys(node.p);
  const pick = (row: object) => Object.fromEntries(fields.map((f) => [f, (row as Record<string, unknown>)[f] ?? null]));
  if (endpoint.kind === 'languages') return LANGUAGES.map(pick);
  if (endpoint.ref === 'locations_and_languages') {
    // Countries, each with the languages serpq knows (the vendor lists per country what its data covers).
    return LOCATIONS.filter((l) => l.location_code_parent === null).map((l) => ({
      ...pick(l),
      ...('available_languages' in node.p ? { available_languages: availableLanguages() } : {}),
    }));
  }
  const country = params.country?.toUpperCase();
  return LOCATIONS.filter((l) => !country || l.country_iso_code === country).map(pick);
}

/** The languages of a locations_and_languages row (`available_languages` items). */
function availableLanguages(): unknown[] {
  return LANGUAGES.filter((l) => l.language_code === 'en' || l.language_code === 'es').map((l) => ({
    available_sources: ['google', 'bing'],
    language_name: l.language_name,
    language_code: l.language_code,
    keywords: 1_000_000,
    serps: 100_000,
  }));
}

/** Runs the executor's answer for one checked task, bounded by the live timeout. */
async function execute(
  deps: Deps,
  api: ApiCatalog,
  endpoint: Endpoint,
  params: Record<string, unknown>,
  now: number,
  at: { path: string; posted?: unknown; accountId?: number },
): Promise<EndpointOutcome> {
  const executeEndpoint = deps.executor.executeEndpoint!;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve(null);
    }, LIVE_TIMEOUT_MS);
  });
  const outcome = await Promise.race([
    executeEndpoint({ api, endpoint, params, datetime: formatDateTime(now), ...at }, abort.signal),
    timeout,
  ]).finally(() => clearTimeout(timer));
  return outcome ?? { statusCode: STATUS.TIMEOUT.code, statusMessage: STATUS.TIMEOUT.message, result: null };
}

/**
 * One call of a catalog endpoint outside the SERP engine. Null when the executor does not answer
 * such calls (it serves SERP only): the route then answers 404 as for an unknown path.
 */
export async function callEndpoint(
  deps: Deps,
  ctx: CallContext,
  api: ApiCatalog,
  match: EndpointMatch,
  body: unknown,
): Promise<ServiceResult | null> {
  const { endpoint } = match;
  const now = deps.clock.now();
  const path = pathSegments(ctx.url);
  if (endpoint.kind === 'locations' || endpoint.kind === 'languages' || endpoint.ref === 'locations_and_languages') {
    const result = referenceRows(api, endpoint, match.params);
    const id = newId(now, ctx.account.id, ID_FAMILY.APPENDIX);
    const data = { api: endpoint.api, function: endpoint.kind, ...match.params };
    const task = wireTask(id, STATUS.OK, { timeMs: elapsedMs(ctx), path, data, result });
    return { httpStatus: 200, body: envelope(STATUS.OK, { timeMs: elapsedMs(ctx), tasks: [task] }) };
  }
  if (endpoint.api === 'appendix' && endpoint.kind === 'status') {
    // The status of every API: an emulator's are all up.
    const result = API_NAMES.map((name) => ({ api: name, status: 'ok', endpoints: [] }));
    const id = newId(now, ctx.account.id, ID_FAMILY.APPENDIX);
    const task = wireTask(id, STATUS.OK, { timeMs: elapsedMs(ctx), path, data: { api: 'appendix', function: 'status' }, result });
    return { httpStatus: 200, body: envelope(STATUS.OK, { timeMs: elapsedMs(ctx), tasks: [task] }) };
  }
  if (!deps.executor.executeEndpoint) return null;
  if (endpoint.method === 'GET' || endpoint.request === null) {
    // Reference lists and lookups: free, nothing kept.
    const id = newId(now, ctx.account.id, ID_FAMILY.APPENDIX);
    const params: Record<string, unknown> = { ...match.params };
    const outcome = await execute(deps, api, endpoint, params, now, { path: path.slice(1).join('/') });
    const data = { api: endpoint.api, function: endpoint.ref ?? endpoint.kind, ...match.params };
    const status = { code: outcome.statusCode, message: outcome.statusMessage };
    const task = wireTask(id, status, { timeMs: elapsedMs(ctx), path, data, result: outcome.result });
    return { httpStatus: 200, body: envelope(STATUS.OK, { timeMs: elapsedMs(ctx), tasks: [task] }) };
  }

  if (body === undefined || body === null || (Array.isArray(body) && body.length === 0)) return top(ctx, STATUS.POST_DATA_EMPTY);
  if (!Array.isArray(body)) return top(ctx, STATUS.POST_DATA_INVALID);
  if (ctx.account.balanceMicro <= 0) return top(ctx, STATUS.PAYMENT_REQUIRED);

  const maxTasks = maxTasksOf(endpoint.path);
  const columns = taskColumns(endpoint);
  // An API the account has no subscription for (Backlinks, LLM Mentions): every task is refused, free, nothing kept.
  const denied = subscriptionDenial(ctx.account.noSubscriptions, endpoint.path);
  const entries: WireTask[] = [];
  let spent = 0;
  for (let i = 0; i < body.length; i++) {
    const id = newId(now, ctx.account.id, ID_FAMILY.LIVE);
    if (denied) {
      const status = { code: denied.statusCode, message: denied.statusMessage };
      entries.push(wireTask(id, status, { timeMs: 0, path, data: checkTask(endpoint, body[i]).data }));
      continue;
    }
    if (i >= maxTasks) {
      entries.push(wireTask(id, STATUS.ONE_TASK_AT_A_TIME, { timeMs: 0, path, data: echoBase(endpoint) }));
      continue;
    }
    const checked = checkTask(endpoint, body[i]);
    if (!checked.ok) {
      entries.push(wireTask(id, { code: checked.code, message: checked.message }, { timeMs: 0, path, data: checked.data }));
      continue;
    }
    // The account's limits hold for every API (controls: 40203, 40205, 40206; budgets: 40203): the
    // call's price before it runs (its base, for prices that grow with the rows returned) decides.
    // Hashed only when the account has a control on, as for task_post.
    const hash = hasTaskControls(ctx.account)
      ? payloadHash(`${endpoint.api}/${columns.se}`, columns.seType, columns.method, checked.data)
      : null;
    const estimate = endpointChargeMicro(endpoint.path, { live: true }, checked.params, null);
    const [verdict] = await checkAccountLimits(
      deps.store,
      deps.clock,
      ctx.account,
      endpoint.api,
      [{ payloadHash: hash ?? '', costMicro: estimate }],
      deps.notifyDeliveries,
    );
    if (verdict) {
      entries.push(wireTask(id, verdict, { timeMs: 0, path, data: checked.data }));
      continue;
    }
    const outcome = await execute(deps, api, endpoint, checked.params, now, {
      path: path.slice(1).join('/'),
      posted: body[i],
      accountId: ctx.account.id,
    });
    const ok = outcome.statusCode === STATUS.OK.code;
    const result = ok ? outcome.result : null;
    const costMicro = ok ? (outcome.costMicro ?? endpointChargeMicro(endpoint.path, { live: true }, checked.params, result)) : 0;
    const completedAt = deps.clock.now();
    const accepted = await deps.store.insertLiveTask(
      ctx.account.id,
      liveTask({
        id,
        api: endpoint.api,
        se: columns.se,
        seType: columns.seType,
        tag: typeof checked.data.tag === 'string' ? checked.data.tag : null,
        data: JSON.stringify(checked.data),
        costMicro,
        now,
        payloadHash: hash,
      }),
      { statusCode: outcome.statusCode, statusMessage: outcome.statusMessage, completedAt, method: columns.method },
    );
    if (!accepted) {
      entries.push(wireTask(id, STATUS.INSUFFICIENT_FUNDS, { timeMs: 0, path, data: checked.data }));
      return {
        httpStatus: STATUS.INSUFFICIENT_FUNDS.http,
        body: envelope(STATUS.INSUFFICIENT_FUNDS, { timeMs: elapsedMs(ctx), costMicro: spent, tasks: entries }),
      };
    }
    spent += costMicro;
    const status = { code: outcome.statusCode, message: outcome.statusMessage };
    entries.push(wireTask(id, status, { timeMs: elapsedMs(ctx), costMicro, path, data: checked.data, result }));
  }
  return { httpStatus: 200, body: envelope(STATUS.OK, { timeMs: elapsedMs(ctx), costMicro: spent, tasks: entries }) };
}
