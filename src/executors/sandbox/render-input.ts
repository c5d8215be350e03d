import type { ResultFunction } from '../../domain/catalog.js';

/**
 * What a sandbox renderer gets: the normalized request of one task, enough to render any SERP type
 * deterministically. Renderers are pure: the same input yields the same result (taskId and datetime
 * only appear where the vendor puts them, e.g. image CDN URLs and `datetime`).
 */
export interface SerpRenderInput {
  readonly taskId: string;
  readonly se: string;
  readonly seType: string;
  readonly fn: ResultFunction;
  /** %-decoded keyword; null for types without one (e.g. youtube video_info uses video_id). */
  readonly keyword: string | null;
  readonly locationCode: number | null;
  readonly locationName: string | null;
  readonly countryIso: string | null;
  readonly languageCode: string | null;
  /** The search engine domain (given, or the default for the engine and country). */
  readonly seDomain: string;
  readonly device: string;
  readonly os: string;
  /** Items requested (the type's default when not given). */
  readonly depth: number;
  /** `yyyy-mm-dd hh:mm:ss +00:00`: when the SERP was "fetched". */
  readonly datetime: string;
  /** Every posted field (the `data` echo), for type-specific ones such as video_id or dataset_id. */
  readonly params: Readonly<Record<string, unknown>>;
}

/** Renders the single result object of tasks[0].result for one function of one type. */
export type Renderer = (input: SerpRenderInput) => unknown;
