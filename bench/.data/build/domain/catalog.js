/**
 * The catalog of SERP engines and types serpq serves: which task_get functions, live variants and
 * postback_data values each has, its devices and operating systems, its depth rules and its price.
 * Routes, validation, tasks_ready rows and pricing all read this one table, so adding a type is a
 * data change (SPEC section 5).
 */
const IMAGES = {
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
export const CATALOG = Object.freeze([IMAGES]);
const BY_KEY = new Map(CATALOG.map((d) => [`${d.se}/${d.seType}`, d]));
const ENGINES = new Set(CATALOG.map((d) => d.se));
export function findSeType(se, seType) {
    return BY_KEY.get(`${se}/${seType}`);
}
export function isKnownEngine(se) {
    return ENGINES.has(se);
}
/** Relative task_get path of a function, or null when the type lacks it (tasks_ready row fields). */
export function endpointPath(def, fn, id) {
    return def.getFunctions.includes(fn) ? `/v3/serp/${def.se}/${def.seType}/task_get/${fn}/${id}` : null;
}
