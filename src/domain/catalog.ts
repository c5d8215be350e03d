/**
 * The catalog of SERP engines and types serpq serves: which task_get functions, live variants and
 * postback_data values each has, its devices and operating systems, its depth rules and its price.
 * Routes, validation, tasks_ready rows and pricing all read this one table, so adding a type is a
 * data change (SPEC section 5).
 */

export type ResultFunction = 'regular' | 'advanced' | 'html';
export type Device = 'desktop' | 'mobile' | 'tablet';

export interface DepthRule {
  /** Depth used when the task does not set one. */
  readonly default: number;
  readonly max: number;
  /** Results covered by one base price; each further started block costs `extraBlockFactor` x base. */
  readonly billingUnit: number;
  readonly extraBlockFactor: number;
}

export interface SeTypeDef {
  readonly se: string;
  readonly seType: string;
  /** task_get functions that exist; the others answer 404/40400 and are null in tasks_ready rows. */
  readonly getFunctions: readonly ResultFunction[];
  readonly live: readonly ResultFunction[];
  readonly tasksFixed: boolean;
  readonly postbackData: readonly ResultFunction[];
  /** Devices accepted in `device`; the first is the default echoed in `data`. */
  readonly devices: readonly Device[];
  /** Operating systems per device; the first is the default. */
  readonly os: Readonly<Partial<Record<Device, readonly string[]>>>;
  readonly depth: DepthRule;
  /** Whether `max_crawl_pages` is a field of this type. */
  readonly maxCrawlPages: boolean;
}

const IMAGES: SeTypeDef = {
  se: 'google',
  seType: 'images',
  getFunctions: ['advanced', 'html'],
  live: ['advanced', 'html'],
  tasksFixed: true,
  postbackData: ['advanced', 'html'],
  devices: ['desktop'],
  os: { desktop: ['windows', 'macos'] },
  depth: { default: 100, max: 700, billingUnit: 100, extraBlockFactor: 1 },
  maxCrawlPages: true,
};

export const CATALOG: readonly SeTypeDef[] = Object.freeze([IMAGES]);

const BY_KEY = new Map(CATALOG.map((d) => [`${d.se}/${d.seType}`, d]));
const ENGINES = new Set(CATALOG.map((d) => d.se));

export function findSeType(se: string, seType: string): SeTypeDef | undefined {
  return BY_KEY.get(`${se}/${seType}`);
}

export function isKnownEngine(se: string): boolean {
  return ENGINES.has(se);
}

/** Relative task_get path of a function, or null when the type lacks it (tasks_ready row fields). */
export function endpointPath(def: SeTypeDef, fn: ResultFunction, id: string): string | null {
  return def.getFunctions.includes(fn) ? `/v3/serp/${def.se}/${def.seType}/task_get/${fn}/${id}` : null;
}
