// Where a render happens: the market and city of a task's location, and the market's formats for
// phone numbers, street addresses, prices and language names.

import type { Rng } from './prng.js';
import type { SerpRenderInput } from './render-input.js';
import { CAPITALS, GENERIC_STREETS, INTL_NEWS, LANGUAGE_NAMES, MARKET_LIST, US_STATES, zipN, type City, type Market } from './markets.js';
import { DIGITS, formatCount } from './serp-text.js';

// Countries without a full market entry get one built from their capital: English text, the
// international publishers and generic street names, and a stand-in dialing prefix derived from the
// ISO code (stable, though not the real one). Symbols of more than one character ("kr", "zł") follow
// the amount, except the dollar variants.
const MARKETS = new Map<string, Market>(MARKET_LIST.map((m) => [m.cc, m]));
for (const [cc, country, capital, lat, lng, currency, symbol] of CAPITALS) {
  MARKETS.set(cc, {
    cc,
    country,
    language: 'English',
    currency,
    symbol,
    symbolAfter: symbol.length > 1 && symbol !== 'HK$' && symbol !== 'NT$',
    amazon: 'www.amazon.com',
    tld: '.com',
    news: INTL_NEWS,
    streets: GENERIC_STREETS,
    style: 'eu',
    phone: ['+' + String(10 + ((cc.charCodeAt(0) * 7 + cc.charCodeAt(1)) % 89)), 3, 3, 4],
    zip: zipN(5),
    cities: [{ name: capital, region: capital, lat, lng }],
  });
}
const US = MARKETS.get('US') as Market;

export function languageName(code: string): string {
  return LANGUAGE_NAMES[code.toLowerCase()] ?? LANGUAGE_NAMES[code.slice(0, 2).toLowerCase()] ?? 'English';
}

/** Resolved place of a render: market, city and the display names used in text. */
export interface Place {
  market: Market;
  city: City;
  /** the location as a short display name ("New York, NY" style is not attempted: "New York") */
  locationDisplay: string;
}

/**
 * Finds the market by country ISO (or the engine's home market) and the city by the first part of
 * the location name; unknown cities get the market's main city with coordinates nudged
 * deterministically so different locations do not share one centre.
 */
export function resolvePlace(input: SerpRenderInput, homeCc?: string): Place {
  const cc = (input.countryIso ?? homeCc ?? 'US').toUpperCase();
  const market = MARKETS.get(cc) ?? (homeCc ? MARKETS.get(homeCc) : undefined) ?? US;
  const name = input.locationName ?? '';
  const comma = name.indexOf(',');
  const first = (comma < 0 ? name : name.slice(0, comma)).trim();
  let city = market.cities[0];
  if (first !== '' && first !== market.country) {
    const found = market.cities.find((x) => x.name === first || x.region === first);
    if (found) city = found;
    else if (comma >= 0) {
      // A city or region we do not know: keep the market's centre, shifted by the name's hash.
      let h = 0;
      for (let i = 0; i < first.length; i++) h = (Math.imul(h, 31) + first.charCodeAt(i)) | 0;
      const dLat = (((h >>> 0) % 2000) / 1000 - 1) * 1.5;
      const dLng = ((((h >>> 11) >>> 0) % 2000) / 1000 - 1) * 1.5;
      const second = name
        .slice(comma + 1)
        .split(',')[0]
        .trim();
      city = { name: first, region: second || first, lat: round6(city.lat + dLat), lng: round6(city.lng + dLng) };
    }
  }
  return { market, city, locationDisplay: city.name };
}

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** "+1 212-555-0134" style phone number of the market. */
export function phoneNumber(rng: Rng, market: Market): string {
  const p = market.phone;
  const sep = market.style === 'us' ? '-' : ' ';
  let out = p[0];
  for (let i = 1; i < p.length; i++) {
    const g = p[i] as number;
    // a first group above 9 is a literal area code (20 for London, 30 for Berlin)
    let part = i === 1 && g > 9 ? String(g) : rng.chars(g, DIGITS);
    // area codes and (in North America) exchanges never start with 0 or 1
    if ((i === 1 || (i === 2 && market.style === 'us')) && (part[0] === '0' || part[0] === '1')) {
      part = String(2 + (part.charCodeAt(part.length - 1) % 8)) + part.slice(1);
    }
    out += (i === 1 ? ' ' : sep) + part;
  }
  return out;
}

/** A street address line and the pieces of AddressInfo. */
export interface StreetAddress {
  line: string;
  zip: string;
  full: string;
}

export function streetAddress(rng: Rng, place: Place): StreetAddress {
  const m = place.market;
  const street = rng.pick(m.streets);
  const num = rng.int(1, m.style === 'us' ? 2999 : 180);
  const zip = m.zip(rng);
  let line: string;
  let full: string;
  switch (m.style) {
    case 'us':
      line = num + ' ' + street;
      full = line + ', ' + place.city.name + ', ' + regionAbbrev(place.city.region) + ' ' + zip;
      break;
    case 'uk':
      line = num + ' ' + street;
      full = line + ', ' + place.city.name + ' ' + zip;
      break;
    case 'jp':
      line = street + '-' + rng.int(1, 30) + '-' + rng.int(1, 20);
      full = line + ', ' + place.city.name + ', ' + place.city.region + ' ' + zip;
      break;
    default:
      line = street + ' ' + num;
      full = line + ', ' + zip + ' ' + place.city.name;
  }
  return { line, zip, full };
}

export function regionAbbrev(region: string): string {
  return US_STATES[region] ?? region;
}

/** Formats a price in the market's currency ("$19.99", "19,99 €"). */
export function displayPrice(value: number, market: Market): string {
  const whole = market.currency === 'JPY' || market.currency === 'KRW' || market.currency === 'HUF';
  const text = whole ? formatCount(Math.round(value)) : value.toFixed(2);
  if (market.symbolAfter) return (whole ? text : text.replace('.', ',')) + ' ' + market.symbol;
  return market.symbol + text;
}
