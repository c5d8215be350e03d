import { type Language, languageByCode } from './reference.js';

/**
 * The official language of each country and territory of the reference list, for the types whose
 * language defaults to "one of the local official languages of the specified location" (Google
 * Events). The vendor publishes no such table, so this one is serpq's: the main official language
 * among the vendor's SERP languages (reference-languages.ts); English where English is official and is
 * what the country's web mostly uses, and where no official language is a SERP language (Bhutan,
 * Maldives, Samoa…). Countries not listed here default to English.
 *
 * Rows: language code → the ISO 3166-1 alpha-2 codes of the countries whose official language it is.
 */
const BY_LANGUAGE: Readonly<Record<string, string>> = {
  am: 'ET',
  ar: 'AE BH DZ EG EH IQ JO KW LB LY MA MR OM PS QA SA TN YE',
  az: 'AZ',
  bg: 'BG',
  bn: 'BD',
  bs: 'BA',
  ca: 'AD',
  cs: 'CZ',
  da: 'DK GL',
  de: 'AT CH DE LI',
  el: 'CY GR',
  es: 'AR BO CL CO CR DO EC ES GQ GT HN MX NI PA PE PR PY SV UY VE',
  et: 'EE',
  fi: 'FI',
  fo: 'FO',
  fr: 'BF BJ CD CF CG CI CM DJ FR GA GF GN GP HT KM LU MC MF ML MQ NC NE PF PM RE SN TD TF TG WF YT',
  he: 'IL',
  hr: 'HR',
  hu: 'HU',
  hy: 'AM',
  id: 'ID',
  is: 'IS',
  it: 'IT SM VA',
  ja: 'JP',
  ka: 'GE',
  kk: 'KZ',
  km: 'KH',
  ko: 'KR',
  ky: 'KG',
  lo: 'LA',
  lt: 'LT',
  lv: 'LV',
  mg: 'MG',
  mk: 'MK',
  mn: 'MN',
  ms: 'BN MY',
  my: 'MM',
  ne: 'NP',
  nl: 'AW BE BQ CW NL SR SX',
  no: 'BV NO SJ',
  pl: 'PL',
  ps: 'AF',
  pt: 'AO BR CV GW MZ PT ST TL',
  rn: 'BI',
  ro: 'MD RO',
  rw: 'RW',
  si: 'LK',
  sk: 'SK',
  sl: 'SI',
  so: 'SO',
  sq: 'AL XK',
  sr: 'RS',
  'sr-ME': 'ME',
  sv: 'SE',
  sw: 'TZ',
  tg: 'TJ',
  th: 'TH',
  ti: 'ER',
  tk: 'TM',
  to: 'TO',
  tr: 'TR',
  uk: 'UA',
  uz: 'UZ',
  vi: 'VN',
  'zh-CN': 'CN',
  'zh-TW': 'HK MO TW',
};

export const FALLBACK_LANGUAGE_CODE = 'en';

/** Language code by ISO 3166-1 alpha-2 country code; exported for the table's own tests. */
export const OFFICIAL_LANGUAGE_CODES: ReadonlyMap<string, string> = new Map(
  Object.entries(BY_LANGUAGE).flatMap(([code, countries]) => countries.split(' ').map((iso) => [iso, code] as const)),
);

/** The official language of a country (upper-case ISO code): English for countries the table lacks. */
export function officialLanguage(countryIso: string): Language {
  const code = OFFICIAL_LANGUAGE_CODES.get(countryIso.toUpperCase()) ?? FALLBACK_LANGUAGE_CODE;
  const language = languageByCode(code);
  // The table only names languages of the reference list (tested); English is always there.
  return language ?? (languageByCode(FALLBACK_LANGUAGE_CODE) as Language);
}
