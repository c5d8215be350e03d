import { LANGUAGE_ROWS, LOCATION_ROWS } from './reference-data.js';
export const LOCATIONS = Object.freeze(LOCATION_ROWS.map(([location_code, location_name, location_code_parent, country_iso_code, location_type]) => Object.freeze({ location_code, location_name, location_code_parent, country_iso_code, location_type })));
export const LANGUAGES = Object.freeze(LANGUAGE_ROWS.map(([language_name, language_code]) => Object.freeze({ language_name, language_code })));
const locByCode = new Map(LOCATIONS.map((l) => [l.location_code, l]));
// Names match case-insensitively: clients copy them from many sources with varying case.
const locByName = new Map(LOCATIONS.map((l) => [l.location_name.toLowerCase(), l]));
const langByCode = new Map(LANGUAGES.map((l) => [l.language_code.toLowerCase(), l]));
const langByName = new Map(LANGUAGES.map((l) => [l.language_name.toLowerCase(), l]));
const countryByIso = new Map(LOCATIONS.filter((l) => l.location_code_parent === null).map((l) => [l.country_iso_code, l]));
export function locationByCode(code) {
    return locByCode.get(code);
}
export function locationByName(name) {
    return locByName.get(name.trim().toLowerCase());
}
export function languageByCode(code) {
    return langByCode.get(code.trim().toLowerCase());
}
export function languageByName(name) {
    return langByName.get(name.trim().toLowerCase());
}
export function countryByIsoCode(iso) {
    return countryByIso.get(iso.toUpperCase());
}
