import type { ResultFunction, SeTypeDef } from '../../domain/catalog.js';
import { googleDomainForCountry } from '../../domain/google-domains.js';
import { STATUS, statusByCode } from '../../domain/status-codes.js';
import type { ExecutionInput, ExecutionOutcome, Executor } from '../executor.js';
import { type ImagesRenderInput, renderImagesAdvanced, renderImagesExample, renderImagesHtml } from './google-images.js';

/**
 * The sandbox executor: deterministic synthetic SERPs. The same request always yields the same SERP,
 * so nothing is stored at completion: results are rendered on read from the stored request. A
 * million sandbox tasks therefore cost only their request rows.
 */
export interface SandboxOptions {
  /** Completion latency per priority in ms (`--sandbox-latency`). */
  readonly latency: { readonly normal: number; readonly high: number };
}

type Renderer = (input: ImagesRenderInput) => unknown;

const RENDERERS: Record<string, Partial<Record<ResultFunction, Renderer>>> = {
  'google/images': { advanced: renderImagesAdvanced, html: renderImagesHtml },
};
const EXAMPLES: Record<string, Partial<Record<ResultFunction, Renderer>>> = {
  'google/images': { advanced: renderImagesExample, html: renderImagesHtml },
};

function renderInput(input: ExecutionInput, datetime: string): ImagesRenderInput {
  const r = input.request;
  return {
    taskId: input.id,
    keyword: r.keyword,
    locationCode: r.locationCode ?? 0,
    languageCode: r.languageCode,
    countryIso: r.countryIso,
    seDomain: r.seDomain ?? googleDomainForCountry(r.countryIso),
    os: r.os,
    depth: r.depth,
    searchParam: r.searchParam,
    datetime,
  };
}

export function createSandboxExecutor(options: SandboxOptions): Executor {
  const faults: number[] = [];
  return {
    name: 'sandbox',
    latencyMs: (priority) => (priority === 2 ? options.latency.high : options.latency.normal),
    async execute(): Promise<ExecutionOutcome> {
      const fault = faults.shift();
      if (fault !== undefined) {
        return { statusCode: fault, statusMessage: statusByCode(fault)?.message ?? STATUS.TASK_EXECUTION_FAILED.message };
      }
      return { statusCode: STATUS.OK.code, statusMessage: STATUS.OK.message };
    },
    injectFaults(statusCode, count) {
      for (let i = 0; i < count; i++) faults.push(statusCode);
    },
    render(input, fn, datetime) {
      const render = RENDERERS[`${input.def.se}/${input.def.seType}`]?.[fn];
      return render ? render(renderInput(input, datetime)) : null;
    },
    example(def: SeTypeDef, fn, datetime) {
      const render = EXAMPLES[`${def.se}/${def.seType}`]?.[fn];
      if (!render) return null;
      return render({
        taskId: '00000000-0000-0000-0000-000000000000',
        keyword: 'albert einstein',
        locationCode: 2840,
        languageCode: 'en',
        countryIso: 'US',
        seDomain: 'google.com',
        os: 'windows',
        depth: 10,
        searchParam: null,
        datetime,
      });
    },
  };
}
