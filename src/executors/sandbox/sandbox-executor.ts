import type { ResultFunction, SeTypeDef } from '../../domain/catalog.js';
import { googleDomainForCountry } from '../../domain/google-domains.js';
import { STATUS, statusByCode } from '../../domain/status-codes.js';
import type { NormalizedTask } from '../../domain/task-request.js';
import type { ExecutionInput, ExecutionOutcome, Executor } from '../executor.js';
import { rendererFor } from './registry.js';
import type { SerpRenderInput } from './render-input.js';

/**
 * The sandbox executor: deterministic synthetic SERPs. The same request always yields the same SERP,
 * so nothing is stored at completion: results are rendered on read from the stored request. A
 * million sandbox tasks therefore cost only their request rows.
 */
export interface SandboxOptions {
  /** Completion latency per priority in ms (`--sandbox-latency`). */
  readonly latency: { readonly normal: number; readonly high: number };
}

const ENGINE_DOMAINS: Record<string, string> = {
  bing: 'bing.com',
  yahoo: 'search.yahoo.com',
  baidu: 'baidu.com',
  naver: 'search.naver.com',
  seznam: 'search.seznam.cz',
  youtube: 'youtube.com',
};

/** The search engine domain of a request: as posted, else the engine's (Google: by country). */
export function defaultSeDomain(se: string, countryIso: string | null): string {
  return ENGINE_DOMAINS[se] ?? googleDomainForCountry(countryIso);
}

export function renderInput(
  id: string,
  def: SeTypeDef,
  fn: ResultFunction,
  r: NormalizedTask,
  params: Record<string, unknown>,
  datetime: string,
): SerpRenderInput {
  return {
    taskId: id,
    se: def.se,
    seType: def.seType,
    fn,
    keyword: r.keyword,
    locationCode: r.locationCode,
    locationName: r.locationName,
    countryIso: r.countryIso,
    languageCode: r.languageCode,
    seDomain: r.seDomain ?? defaultSeDomain(def.se, r.countryIso),
    device: r.device,
    os: r.os,
    depth: r.depth,
    datetime,
    params,
  };
}

export function createSandboxExecutor(options: SandboxOptions): Executor {
  const faults: number[] = [];
  /** An execution's outcome: the next injected fault, else success (results are rendered on read). */
  const nextOutcome = (): ExecutionOutcome => {
    const fault = faults.shift();
    if (fault === undefined) return { statusCode: STATUS.OK.code, statusMessage: STATUS.OK.message };
    return { statusCode: fault, statusMessage: statusByCode(fault)?.message ?? STATUS.TASK_EXECUTION_FAILED.message };
  };
  return {
    name: 'sandbox',
    latencyMs: (priority) => (priority === 2 ? options.latency.high : options.latency.normal),
    async execute(): Promise<ExecutionOutcome> {
      return nextOutcome();
    },
    async executeEndpoint(call) {
      const outcome = nextOutcome();
      if (outcome.statusCode !== STATUS.OK.code) return { ...outcome, result: null };
      // Loaded on the first call of an API outside SERP, so a SERP-only process never loads it.
      const { renderEndpointResult } = await import('./catalog/render.js');
      const result = renderEndpointResult(call.api, call.endpoint, { ...call.params }, { datetime: call.datetime });
      return { statusCode: STATUS.OK.code, statusMessage: STATUS.OK.message, result };
    },
    async executeTask(): Promise<ExecutionOutcome> {
      return nextOutcome();
    },
    async renderTask(input, endpoint, datetime) {
      const { renderEndpointResult } = await import('./catalog/render.js');
      return renderEndpointResult(input.api, endpoint, { ...input.params }, { datetime, crawl: input.crawl });
    },
    injectFaults(statusCode, count) {
      for (let i = 0; i < count; i++) faults.push(statusCode);
    },
    render(input: ExecutionInput, fn, datetime) {
      const render = rendererFor(input.def.se, input.def.seType, fn);
      return render ? render(renderInput(input.id, input.def, fn, input.request, input.params ?? {}, datetime)) : null;
    },
    example(def: SeTypeDef, fn, datetime) {
      const render = rendererFor(def.se, def.seType, fn, true);
      if (!render) return null;
      return render({
        taskId: '00000000-0000-0000-0000-000000000000',
        se: def.se,
        seType: def.seType,
        fn,
        keyword: def.subject === 'keyword' || def.subject === 'keyword_optional' ? 'albert einstein' : null,
        locationCode: 2840,
        locationName: 'United States',
        countryIso: 'US',
        languageCode: 'en',
        seDomain: defaultSeDomain(def.se, 'US'),
        device: def.devices[0],
        os: def.os[def.devices[0]]?.[0] ?? 'windows',
        depth: 10,
        datetime,
        params: {
          video_id: 'dQw4w9WgXcQ',
          dataset_id: 'L2cvMTFqbl96ZGNjMg==',
          image_url: 'https://upload.wikimedia.org/wikipedia/commons/d/d3/Albert_Einstein_Head.jpg',
        },
      });
    },
  };
}
