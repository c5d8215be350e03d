import { countryByIsoCode, languageByCode, languageByName, locationByCode, locationByName } from './reference.js';
export const MAX_KEYWORD_LENGTH = 700;
export const MAX_TAG_LENGTH = 255;
const MAX_URL_LENGTH = 2048;
const OPERATORS = [
    'allinanchor:', 'allintext:', 'allintitle:', 'allinurl:', 'define:', 'filetype:', 'id:', 'inanchor:',
    'info:', 'intext:', 'intitle:', 'inurl:', 'link:', 'related:', 'site:',
];
const OPERATOR_RE = new RegExp(`(^|\\s|-)(${OPERATORS.map((o) => o.replace(':', '')).join('|')}):`, 'i');
const CACHE_RE = /(^|\s)cache:/i;
/** Fields echoed in `data`, in the order the vendor documents them; live calls have no webhook or priority fields. */
const COMMON_FIELDS = [
    'keyword', 'url', 'location_code', 'location_name', 'location_coordinate', 'language_code', 'language_name',
    'device', 'os', 'se_domain', 'depth', 'max_crawl_pages', 'search_param', 'tag',
];
const POST_ONLY_FIELDS = ['priority', 'postback_url', 'postback_data', 'pingback_url'];
/**
 * Decodes `%##` sequences and `+` the way the vendor documents for `keyword`. Malformed sequences
 * (a literal "100% cotton") are kept as they are instead of failing the task.
 */
export function decodeKeyword(raw) {
    const plus = raw.includes('+') ? raw.replace(/\+/g, ' ') : raw;
    if (!plus.includes('%'))
        return plus;
    return plus.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
        try {
            return decodeURIComponent(run);
        }
        catch {
            return run;
        }
    });
}
export function hasSearchOperators(keyword) {
    return OPERATOR_RE.test(keyword);
}
function asInteger(v) {
    if (typeof v === 'number' && Number.isInteger(v))
        return v;
    // PHP and form-minded clients send numbers as strings; the vendor accepts them.
    if (typeof v === 'string' && /^-?\d{1,15}$/.test(v.trim()))
        return Number(v.trim());
    return null;
}
function isWebhookUrl(v) {
    if (typeof v !== 'string' || v.length === 0 || v.length > MAX_URL_LENGTH)
        return false;
    try {
        const u = new URL(v.replace(/\$id/g, 'id').replace(/\$tag/g, 'tag'));
        return u.protocol === 'http:' || u.protocol === 'https:';
    }
    catch {
        return false;
    }
}
const COORDINATE_RE = /^(-?\d{1,2}(?:\.\d{1,7})?),(-?\d{1,3}(?:\.\d{1,7})?)(?:,(\d+(?:\.\d+)?))?$/;
function isCoordinate(v) {
    const m = COORDINATE_RE.exec(v.replace(/\s+/g, ''));
    if (!m)
        return false;
    const lat = Number(m[1]);
    const lng = Number(m[2]);
    if (lat < -90 || lat > 90 || lng < -180 || lng > 180)
        return false;
    if (m[3] !== undefined) {
        const r = Number(m[3]);
        if (r < 199.9 || r > 199999)
            return false;
    }
    return true;
}
const DOMAIN_RE = /^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/i;
/** Reads keyword, hl, gl and the domain from a full Google search URL (the `url` field). */
function parseSearchUrl(text) {
    let u;
    try {
        u = new URL(text);
    }
    catch {
        return null;
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:')
        return null;
    const q = u.searchParams.get('q');
    if (!q)
        return null;
    return {
        keyword: q,
        languageCode: u.searchParams.get('hl') ?? undefined,
        countryIso: u.searchParams.get('gl') ?? undefined,
        seDomain: u.hostname.replace(/^www\./, ''),
    };
}
/** Validates one posted task object against the rules of `def`. */
export function parseTaskRequest(def, input, mode) {
    const data = { api: 'serp', function: mode, se: def.se, se_type: def.seType };
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        return { ok: false, field: 'keyword', data };
    }
    const t = input;
    const fields = mode === 'task_post' ? [...COMMON_FIELDS, ...POST_ONLY_FIELDS] : COMMON_FIELDS;
    for (const f of fields) {
        if (t[f] !== undefined && t[f] !== null)
            data[f] = t[f];
    }
    const fail = (field) => ({ ok: false, field, data });
    // url: optional full search URL that supplies keyword, language and location when they are absent.
    let fromUrl = null;
    if (data.url !== undefined) {
        if (typeof data.url !== 'string')
            return fail('url');
        fromUrl = parseSearchUrl(data.url);
        if (!fromUrl || !fromUrl.languageCode || !fromUrl.countryIso)
            return fail('url');
    }
    // keyword
    const rawKeyword = data.keyword !== undefined ? data.keyword : fromUrl?.keyword;
    if (typeof rawKeyword !== 'string')
        return fail('keyword');
    const keyword = decodeKeyword(rawKeyword).trim();
    if (keyword.length === 0 || keyword.length > MAX_KEYWORD_LENGTH || CACHE_RE.test(keyword))
        return fail('keyword');
    // location: location_code > location_name > location_coordinate; every given field must be valid.
    let locationCode = null;
    let locationName = null;
    let countryIso = null;
    let coordinate = null;
    if (data.location_code !== undefined) {
        const code = asInteger(data.location_code);
        const loc = code === null ? undefined : locationByCode(code);
        if (!loc)
            return fail('location_code');
        locationCode = loc.location_code;
        locationName = loc.location_name;
        countryIso = loc.country_iso_code;
    }
    if (data.location_name !== undefined) {
        const loc = typeof data.location_name === 'string' ? locationByName(data.location_name) : undefined;
        if (!loc)
            return fail('location_name');
        if (locationCode === null) {
            locationCode = loc.location_code;
            locationName = loc.location_name;
            countryIso = loc.country_iso_code;
        }
    }
    if (data.location_coordinate !== undefined) {
        if (typeof data.location_coordinate !== 'string' || !isCoordinate(data.location_coordinate)) {
            return fail('location_coordinate');
        }
        coordinate = data.location_coordinate.replace(/\s+/g, '');
    }
    if (locationCode === null && coordinate === null && fromUrl?.countryIso) {
        const loc = countryByIsoCode(fromUrl.countryIso);
        if (!loc)
            return fail('url');
        locationCode = loc.location_code;
        locationName = loc.location_name;
        countryIso = loc.country_iso_code;
    }
    if (locationCode === null && coordinate === null)
        return fail('location_code');
    // language: language_code > language_name.
    let language = undefined;
    if (data.language_code !== undefined) {
        language = typeof data.language_code === 'string' ? languageByCode(data.language_code) : undefined;
        if (!language)
            return fail('language_code');
    }
    if (data.language_name !== undefined) {
        const byName = typeof data.language_name === 'string' ? languageByName(data.language_name) : undefined;
        if (!byName)
            return fail('language_name');
        language ??= byName;
    }
    if (!language && fromUrl?.languageCode) {
        language = languageByCode(fromUrl.languageCode);
        if (!language)
            return fail('url');
    }
    if (!language)
        return fail('language_code');
    // device and os; the defaults are echoed in data as the vendor does.
    let device = def.devices[0];
    if (data.device !== undefined) {
        if (typeof data.device !== 'string' || !def.devices.includes(data.device))
            return fail('device');
        device = data.device;
    }
    const osList = def.os[device] ?? [];
    let os = osList[0] ?? '';
    if (data.os !== undefined) {
        if (typeof data.os !== 'string' || !osList.includes(data.os))
            return fail('os');
        os = data.os;
    }
    let seDomain = fromUrl?.seDomain ?? null;
    if (data.se_domain !== undefined) {
        if (typeof data.se_domain !== 'string' || !DOMAIN_RE.test(data.se_domain))
            return fail('se_domain');
        seDomain = data.se_domain.toLowerCase();
    }
    let depth = def.depth.default;
    if (data.depth !== undefined) {
        const d = asInteger(data.depth);
        if (d === null || d < 1 || d > def.depth.max)
            return fail('depth');
        depth = d;
    }
    let maxCrawlPages = null;
    if (data.max_crawl_pages !== undefined) {
        const m = asInteger(data.max_crawl_pages);
        if (!def.maxCrawlPages || m === null || m < 1 || m > 100)
            return fail('max_crawl_pages');
        maxCrawlPages = m;
    }
    let searchParam = null;
    if (data.search_param !== undefined) {
        if (typeof data.search_param !== 'string' || data.search_param.length > MAX_URL_LENGTH)
            return fail('search_param');
        searchParam = data.search_param;
    }
    let tag = null;
    if (data.tag !== undefined) {
        if (typeof data.tag !== 'string' || data.tag.length > MAX_TAG_LENGTH)
            return fail('tag');
        tag = data.tag;
    }
    let priority = 1;
    let postbackUrl = null;
    let postbackData = null;
    let pingbackUrl = null;
    if (mode === 'task_post') {
        if (data.priority !== undefined) {
            const p = asInteger(data.priority);
            if (p !== 1 && p !== 2)
                return fail('priority');
            priority = p;
        }
        if (data.postback_url !== undefined) {
            if (!isWebhookUrl(data.postback_url))
                return fail('postback_url');
            postbackUrl = data.postback_url;
            if (typeof data.postback_data !== 'string' || !def.postbackData.includes(data.postback_data)) {
                return fail('postback_data');
            }
            postbackData = data.postback_data;
        }
        else if (data.postback_data !== undefined) {
            // postback_data without a postback_url is harmless but must still be one of the documented values.
            if (typeof data.postback_data !== 'string' || !def.postbackData.includes(data.postback_data)) {
                return fail('postback_data');
            }
        }
        if (data.pingback_url !== undefined) {
            if (!isWebhookUrl(data.pingback_url))
                return fail('pingback_url');
            pingbackUrl = data.pingback_url;
        }
    }
    if (data.device === undefined)
        data.device = device;
    if (data.os === undefined)
        data.os = os;
    return {
        ok: true,
        data,
        task: {
            keyword,
            locationCode,
            locationName,
            countryIso,
            locationCoordinate: coordinate,
            languageCode: language.language_code,
            languageName: language.language_name,
            device,
            os,
            depth,
            maxCrawlPages,
            priority,
            tag,
            seDomain,
            searchParam,
            postbackUrl,
            postbackData,
            pingbackUrl,
            hasOperators: hasSearchOperators(keyword),
        },
    };
}
