// Google's country search domains, keyed by ISO 3166-1 alpha-2 code. Used to default se_domain
// when a task gives none. Countries without a dedicated Google domain fall back to google.com,
// which is also what Google itself serves there.
const GOOGLE_DOMAINS = {
    AD: "google.ad", AE: "google.ae", AF: "google.com.af", AG: "google.com.ag", AI: "google.com.ai",
    AL: "google.al", AM: "google.am", AO: "google.co.ao", AR: "google.com.ar", AS: "google.as",
    AT: "google.at", AU: "google.com.au", AZ: "google.az", BA: "google.ba", BD: "google.com.bd",
    BE: "google.be", BF: "google.bf", BG: "google.bg", BH: "google.com.bh", BI: "google.bi",
    BJ: "google.bj", BN: "google.com.bn", BO: "google.com.bo", BR: "google.com.br", BS: "google.bs",
    BT: "google.bt", BW: "google.co.bw", BY: "google.by", BZ: "google.com.bz", CA: "google.ca",
    CD: "google.cd", CF: "google.cf", CG: "google.cg", CH: "google.ch", CI: "google.ci",
    CK: "google.co.ck", CL: "google.cl", CM: "google.cm",
    // google.cn has redirected to the Hong Kong domain since 2010; results are served from there.
    CN: "google.com.hk",
    CO: "google.com.co", CR: "google.co.cr", CU: "google.com.cu", CV: "google.cv", CY: "google.com.cy",
    CZ: "google.cz", DE: "google.de", DJ: "google.dj", DK: "google.dk", DM: "google.dm",
    DO: "google.com.do", DZ: "google.dz", EC: "google.com.ec", EE: "google.ee", EG: "google.com.eg",
    ES: "google.es", ET: "google.com.et", FI: "google.fi", FJ: "google.com.fj", FM: "google.fm",
    FR: "google.fr", GA: "google.ga", GB: "google.co.uk", GE: "google.ge", GF: "google.gf",
    GG: "google.gg", GH: "google.com.gh", GI: "google.com.gi", GL: "google.gl", GM: "google.gm",
    GP: "google.gp", GR: "google.gr", GT: "google.com.gt", GY: "google.gy", HK: "google.com.hk",
    HN: "google.hn", HR: "google.hr", HT: "google.ht", HU: "google.hu", ID: "google.co.id",
    IE: "google.ie", IL: "google.co.il", IM: "google.im", IN: "google.co.in", IQ: "google.iq",
    IS: "google.is", IT: "google.it", JE: "google.je", JM: "google.com.jm", JO: "google.jo",
    JP: "google.co.jp", KE: "google.co.ke", KG: "google.kg", KH: "google.com.kh", KI: "google.ki",
    KR: "google.co.kr", KW: "google.com.kw", KZ: "google.kz", LA: "google.la", LB: "google.com.lb",
    LC: "google.com.lc", LI: "google.li", LK: "google.lk", LS: "google.co.ls", LT: "google.lt",
    LU: "google.lu", LV: "google.lv", LY: "google.com.ly", MA: "google.co.ma", MD: "google.md",
    ME: "google.me", MG: "google.mg", MK: "google.mk", ML: "google.ml", MM: "google.com.mm",
    MN: "google.mn", MS: "google.ms", MT: "google.com.mt", MU: "google.mu", MV: "google.mv",
    MW: "google.mw", MX: "google.com.mx", MY: "google.com.my", MZ: "google.co.mz", NA: "google.com.na",
    NE: "google.ne", NF: "google.com.nf", NG: "google.com.ng", NI: "google.com.ni", NL: "google.nl",
    NO: "google.no", NP: "google.com.np", NR: "google.nr", NU: "google.nu", NZ: "google.co.nz",
    OM: "google.com.om", PA: "google.com.pa", PE: "google.com.pe", PG: "google.com.pg", PH: "google.com.ph",
    PK: "google.com.pk", PL: "google.pl", PN: "google.pn", PR: "google.com.pr", PS: "google.ps",
    PT: "google.pt", PY: "google.com.py", QA: "google.com.qa", RO: "google.ro", RS: "google.rs",
    RU: "google.ru", RW: "google.rw", SA: "google.com.sa", SB: "google.com.sb", SC: "google.sc",
    SE: "google.se", SG: "google.com.sg", SH: "google.sh", SI: "google.si", SK: "google.sk",
    SL: "google.com.sl", SM: "google.sm", SN: "google.sn", SO: "google.so", SR: "google.sr",
    ST: "google.st", SV: "google.com.sv", TD: "google.td", TG: "google.tg", TH: "google.co.th",
    TJ: "google.com.tj", TK: "google.tk", TL: "google.tl", TM: "google.tm", TN: "google.tn",
    TO: "google.to", TR: "google.com.tr", TT: "google.tt", TW: "google.com.tw", TZ: "google.co.tz",
    UA: "google.com.ua", UG: "google.co.ug", US: "google.com", UY: "google.com.uy", UZ: "google.co.uz",
    VC: "google.com.vc", VE: "google.co.ve", VG: "google.vg", VI: "google.co.vi", VN: "google.com.vn",
    VU: "google.vu", WS: "google.ws", ZA: "google.co.za", ZM: "google.co.zm", ZW: "google.co.zw",
};
/** The fallback search domain for unknown, missing or domain-less countries. */
export const DEFAULT_GOOGLE_DOMAIN = "google.com";
/**
 * Google search domain (without "www.") for an ISO 3166-1 alpha-2 country code, case-insensitive;
 * google.com when the code is null or has no dedicated domain.
 */
export function googleDomainForCountry(countryIso) {
    if (countryIso === null)
        return DEFAULT_GOOGLE_DOMAIN;
    const code = countryIso.trim().toUpperCase();
    // hasOwn guards against inherited keys such as "constructor" slipping through as domains.
    return Object.hasOwn(GOOGLE_DOMAINS, code) ? GOOGLE_DOMAINS[code] : DEFAULT_GOOGLE_DOMAIN;
}
const KNOWN_DOMAINS = new Set([
    DEFAULT_GOOGLE_DOMAIN,
    ...Object.values(GOOGLE_DOMAINS),
    "google.cn",
]);
/** True when `domain` is one of the known Google search domains (for validating se_domain). */
export function isKnownGoogleDomain(domain) {
    const d = domain.trim().toLowerCase();
    const bare = d.startsWith("www.") ? d.slice(4) : d;
    return KNOWN_DOMAINS.has(bare);
}
