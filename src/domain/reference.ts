import { LANGUAGE_ROWS } from './reference-languages.js';
import { LOCATION_ROWS } from './reference-locations.js';

/** A location of the vendor's reference list (`/v3/serp/google/locations`). */
export interface Location {
  readonly location_code: number;
  readonly location_name: string;
  readonly location_code_parent: number | null;
  readonly country_iso_code: string;
  readonly location_type: string;
}

export interface Language {
  readonly language_name: string;
  readonly language_code: string;
}

export const LOCATIONS: readonly Location[] = Object.freeze(
  LOCATION_ROWS.map(([location_code, location_name, location_code_parent, country_iso_code, location_type]) =>
    Object.freeze({ location_code, location_name, location_code_parent, country_iso_code, location_type }),
  ),
);
export const LANGUAGES: readonly Language[] = Object.freeze(
  LANGUAGE_ROWS.map(([language_name, language_code]) => Object.freeze({ language_name, language_code })),
);

const locByCode = new Map(LOCATIONS.map((l) => [l.location_code, l]));
// Names match case-insensitively: clients copy them from many sources with varying case.
const locByName = new Map(LOCATIONS.map((l) => [l.location_name.toLowerCase(), l]));
const langByCode = new Map(LANGUAGES.map((l) => [l.language_code.toLowerCase(), l]));
const langByName = new Map(LANGUAGES.map((l) => [l.language_name.toLowerCase(), l]));
const countryByIso = new Map(LOCATIONS.filter((l) => l.location_code_parent === null).map((l) => [l.country_iso_code, l]));

export function locationByCode(code: number): Location | undefined {
  return locByCode.get(code);
}
export function locationByName(name: string): Location | undefined {
  return locByName.get(name.trim().toLowerCase());
}
export function languageByCode(code: string): Language | undefined {
  return langByCode.get(code.trim().toLowerCase());
}
export function languageByName(name: string): Language | undefined {
  return langByName.get(name.trim().toLowerCase());
}
export function countryByIsoCode(iso: string): Location | undefined {
  return countryByIso.get(iso.toUpperCase());
}
