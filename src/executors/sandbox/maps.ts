// Synthetic Google Maps (task_get/advanced) and Google Local Finder (task_get/advanced and html)
// results. Businesses are generated around the task's city: names from the keyword's category,
// street addresses and phone numbers in the market's format, coordinates scattered near the city
// centre, and opening hours from the category's usual day.

import { FastRng, deriveSeed, hashString, type Rng } from './prng.js';
import type { SerpRenderInput } from './render-input.js';
import { escapeHtml } from './html.js';
import { detectIntent, type Category, type Intent } from './intent.js';
import { phoneNumber, resolvePlace, streetAddress, type Place, type StreetAddress } from './place.js';
import { B64URL, compactName, encode, formatCount, parseDatetime, plusForm, titleCase } from './serp-text.js';
import { ADJECTIVES, FIRST_NAMES, SURNAMES } from './serp-vocab.js';

/* ------------------------------------------------------------------------------------------- */
/* Business generator (shared with the organic local pack)                                      */
/* ------------------------------------------------------------------------------------------- */

export interface Business {
  name: string;
  category: Category;
  domain: string | null;
  url: string | null;
  phone: string;
  address: StreetAddress;
  latitude: number;
  longitude: number;
  rating: number;
  votes: number;
  cid: string;
  featureId: string;
  placeId: string;
  priceLevel: string | null;
  claimed: boolean;
}

const HEX = '0123456789abcdef';
const PRICE_LEVELS = ['inexpensive', 'moderate', 'moderate', 'expensive', 'very_expensive'];
const PRICE_SIGNS: Readonly<Record<string, string>> = { inexpensive: '$', moderate: '$$', expensive: '$$$', very_expensive: '$$$$' };

export function makeBusiness(rng: Rng, place: Place, category: Category): Business {
  const suffix = rng.pick(category.suffixes);
  let name: string;
  switch (rng.int(0, 5)) {
    case 0:
      name = rng.pick(FIRST_NAMES) + "'s " + suffix;
      break;
    case 1:
      name = 'The ' + rng.pick(ADJECTIVES) + ' ' + suffix;
      break;
    case 2:
      name = place.city.name + ' ' + suffix;
      break;
    case 3:
      name = rng.pick(SURNAMES) + (suffix[0] === '&' ? ' ' : ' ') + suffix;
      break;
    case 4:
      name = rng.pick(ADJECTIVES) + ' ' + suffix;
      break;
    default:
      name = suffix + ' ' + (rng.chance(0.5) ? 'on ' + rng.pick(place.market.streets) : place.city.name);
  }
  const hasSite = rng.chance(0.75);
  const host = hasSite ? 'www.' + (compactName(name) || 'local' + rng.int(100, 999)) + (rng.chance(0.7) ? '.com' : place.market.tld) : null;
  // Google ids: feature_id "0x<cell>:0x<cid>", cid is the second half in decimal.
  const cell = rng.chars(16, HEX);
  const cidHex = rng.chars(1, '123456789abcdef') + rng.chars(15, HEX);
  const spread = 0.045;
  const votes = Math.floor(Math.pow(rng.next(), 2.2) * 4000) + rng.int(3, 40);
  return {
    name,
    category,
    domain: host,
    url: host ? 'https://' + host + '/' : null,
    phone: phoneNumber(rng, place.market),
    address: streetAddress(rng, place),
    latitude: round7(place.city.lat + (rng.next() + rng.next() - 1) * spread),
    longitude: round7(place.city.lng + (rng.next() + rng.next() - 1) * spread * 1.3),
    rating: Math.round((3.4 + rng.next() * 1.6) * 10) / 10,
    votes,
    cid: BigInt('0x' + cidHex).toString(),
    featureId: '0x' + cell + ':0x' + cidHex,
    placeId: 'ChIJ' + rng.chars(23, B64URL),
    priceLevel: category.priced ? rng.pick(PRICE_LEVELS) : null,
    claimed: rng.chance(0.8),
  };
}

function round7(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}

/* ------------------------------------------------------------------------------------------- */
/* Types                                                                                        */
/* ------------------------------------------------------------------------------------------- */

export interface RatingInfo {
  rating_type: string;
  value: number;
  votes_count: number;
  rating_max: number | null;
}

export interface AddressInfo {
  borough: string | null;
  address: string;
  city: string;
  zip: string;
  region: string;
  country_code: string;
}

export interface TimeInfo {
  hour: number;
  minute: number;
}
export interface WorkDayInfo {
  open: TimeInfo;
  close: TimeInfo;
}

export interface WorkHours {
  timetable: Record<string, WorkDayInfo[] | null> | null;
  current_status: string | null;
}

export interface MapsSearchItem {
  type: 'maps_search';
  rank_group: number;
  rank_absolute: number;
  domain: string | null;
  title: string;
  url: string | null;
  rating: RatingInfo | null;
  rating_distribution: Record<string, number> | null;
  original_title: string | null;
  contact_url: string | null;
  contributor_url: string | null;
  book_online_url: string | null;
  hotel_rating: number | null;
  price_level: string | null;
  snippet: string | null;
  address: string;
  address_info: AddressInfo;
  place_id: string;
  phone: string | null;
  main_image: string | null;
  total_photos: number | null;
  category: string;
  additional_categories: string[] | null;
  category_ids: string[] | null;
  work_hours: WorkHours | null;
  feature_id: string;
  cid: string;
  latitude: number;
  longitude: number;
  is_claimed: boolean;
  local_justifications: Array<{ type: string; text: string }> | null;
  is_directory_item: boolean;
}

export interface MapsAdvancedResult {
  keyword: string;
  type: 'maps';
  se_domain: string;
  location_code: number | null;
  language_code: string | null;
  check_url: string;
  datetime: string;
  spell: null;
  refinement_chips: null;
  item_types: string[];
  se_results_count: number;
  items_count: number;
  items: MapsSearchItem[];
}

export interface LocalPackItem {
  type: 'local_pack';
  page: number;
  position: 'left';
  xpath: string;
  rectangle: null;
  rank_group: number;
  rank_absolute: number;
  title: string;
  description: string | null;
  domain: string | null;
  phone: string | null;
  url: string | null;
  is_paid: boolean;
  rating: RatingInfo | null;
  cid: string;
}

export interface LocalFinderAdvancedResult {
  keyword: string;
  type: 'local_finder';
  se_domain: string;
  location_code: number | null;
  language_code: string | null;
  check_url: string;
  datetime: string;
  spell: null;
  refinement_chips: null;
  item_types: string[];
  se_results_count: number;
  items_count: number;
  items: LocalPackItem[];
}

export interface HtmlPage {
  page: number;
  date: string;
  html: string;
}

export interface LocalFinderHtmlResult {
  keyword: string;
  type: 'local_finder';
  se_domain: string;
  location_code: number | null;
  language_code: string | null;
  datetime: string;
  items_count: number;
  items: HtmlPage[];
}

/* ------------------------------------------------------------------------------------------- */
/* Rendering                                                                                    */
/* ------------------------------------------------------------------------------------------- */

const DAYS: readonly string[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const JUSTIFICATIONS = [
  'Serves {topic}',
  '"Best {topic} in town, friendly staff and fair prices."',
  'Their website mentions {topic}',
  '"Great {topic}, we will definitely come back."',
  'Sells {topic}',
  '"Highly recommend for {topic}."',
];
const SNIPPET_LEADS = [
  'Cozy spot',
  'Popular place',
  'Local favorite',
  'Family-owned business',
  'Modern venue',
  'Long-standing local business',
  'Casual stop',
];

interface LocalCtx {
  input: SerpRenderInput;
  keyword: string;
  seed: number;
  place: Place;
  intent: Intent;
  category: Category;
  now: number;
}

function localCtx(input: SerpRenderInput, salt: string): LocalCtx {
  const keyword = input.keyword ?? '';
  const intent = detectIntent(keyword);
  const place = resolvePlace(input);
  const category = intent.category ?? {
    label: titleCase(intent.topic),
    id: compactName(intent.topic) || 'point_of_interest',
    extra: ['Store'],
    suffixes: [titleCase(intent.topic), 'Shop', 'Center'],
    priced: true,
    hours: [9, 18] as const,
  };
  return {
    input,
    keyword,
    intent,
    place,
    category,
    now: parseDatetime(input.datetime),
    seed: hashString(
      salt +
        '\u0001' +
        keyword.toLowerCase() +
        '\u0001' +
        (input.locationCode ?? '') +
        '\u0001' +
        (input.locationName ?? '') +
        '\u0001' +
        (input.languageCode ?? '') +
        '\u0001' +
        input.device,
    ),
  };
}

function mapsHost(seDomain: string): string {
  const d = seDomain.trim().toLowerCase() || 'google.com';
  return d.startsWith('www.') ? d : 'www.' + d;
}

function workHours(rng: Rng, category: Category, now: number): WorkHours | null {
  if (rng.chance(0.08)) return null;
  const [open, close] = category.hours;
  const timetable: Record<string, WorkDayInfo[] | null> = {};
  const openMin = rng.chance(0.3) ? 30 : 0;
  const closedDay: number = category.hours[1] - category.hours[0] < 12 && rng.chance(0.5) ? 0 : -1;
  for (let d = 0; d < 7; d++) {
    if (d === closedDay) {
      timetable[DAYS[d]] = null;
      continue;
    }
    const late = d === 5 || d === 6 ? 1 : 0;
    const closeH = Math.min(close + late, 24);
    timetable[DAYS[d]] = [
      {
        open: { hour: open === 0 && close === 24 ? 0 : open, minute: openMin },
        close: { hour: closeH >= 24 ? 23 : closeH, minute: closeH >= 24 ? 59 : 0 },
      },
    ];
  }
  const day = new Date(now).getUTCDay();
  const hour = new Date(now).getUTCHours();
  const today = timetable[DAYS[day]];
  const status = today == null ? 'close' : hour >= today[0].open.hour && hour < today[0].close.hour ? 'open' : 'close';
  return { timetable, current_status: status };
}

function ratingDistribution(rng: Rng, rating: number, votes: number): Record<string, number> {
  // Skewed towards 5 for good places; the counts add up to votes.
  const w5 = Math.max(0.05, (rating - 3) / 2);
  const weights = [0.06 + (1 - w5) * 0.12, 0.03 + (1 - w5) * 0.08, 0.06 + (1 - w5) * 0.12, 0.15 + rng.next() * 0.1, w5 * 1.6];
  const total = weights.reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  let left = votes;
  for (let s = 1; s <= 4; s++) {
    const n = Math.min(left, Math.round((votes * weights[s - 1]) / total));
    out[String(s)] = n;
    left -= n;
  }
  out['5'] = left;
  return out;
}

function buildMapsItem(lc: LocalCtx, index: number): MapsSearchItem {
  const rng = new FastRng(deriveSeed(lc.seed, index));
  const b = makeBusiness(rng, lc.place, lc.category);
  const m = lc.place.market;
  const photos = rng.int(3, 2500);
  const extra = rng.sample(lc.category.extra, rng.int(0, lc.category.extra.length));
  const hotel = lc.category.id === 'hotel';
  const topic = lc.intent.topic;
  return {
    type: 'maps_search',
    rank_group: index + 1,
    rank_absolute: index + 1,
    domain: b.domain,
    title: b.name,
    url: b.url,
    rating: { rating_type: 'Max5', value: b.rating, votes_count: b.votes, rating_max: null },
    rating_distribution: ratingDistribution(rng, b.rating, b.votes),
    original_title: null,
    contact_url: b.url && rng.chance(0.3) ? b.url + 'contact' : null,
    contributor_url: 'https://maps.google.com/maps/contrib/1' + rng.chars(20, '0123456789'),
    book_online_url: b.url && (hotel || lc.category.priced) && rng.chance(0.25) ? b.url + 'book' : null,
    hotel_rating: hotel ? rng.int(2, 5) : null,
    price_level: b.priceLevel,
    snippet: rng.chance(0.6) ? rng.pick(SNIPPET_LEADS) + ' for ' + topic + ' in ' + lc.place.city.name + '.' : b.address.line,
    address: b.address.full,
    address_info: {
      borough: rng.chance(0.4) ? rng.pick(['Downtown', 'Midtown', 'Old Town', 'Riverside', 'Westside', 'Eastside', 'Uptown']) : null,
      address: b.address.line,
      city: lc.place.city.name,
      zip: b.address.zip,
      region: lc.place.city.region,
      country_code: m.cc,
    },
    place_id: b.placeId,
    phone: rng.chance(0.92) ? b.phone : null,
    main_image: 'https://lh5.googleusercontent.com/p/AF1Qip' + rng.chars(37, B64URL) + '=w408-h' + rng.int(240, 544) + '-k-no',
    total_photos: photos,
    category: lc.category.label,
    additional_categories: extra.length > 0 ? extra : null,
    category_ids: [lc.category.id, ...extra.map((e) => e.toLowerCase().split(' ').join('_').split('&').join('and'))],
    work_hours: workHours(rng, lc.category, lc.now),
    feature_id: b.featureId,
    cid: b.cid,
    latitude: b.latitude,
    longitude: b.longitude,
    is_claimed: b.claimed,
    local_justifications: rng.chance(0.35)
      ? [{ type: 'local_justification', text: rng.pick(JUSTIFICATIONS).split('{topic}').join(topic) }]
      : null,
    is_directory_item: false,
  };
}

function mapsCheckUrl(lc: LocalCtx): string {
  const c = lc.place.city;
  return (
    'https://' +
    mapsHost(lc.input.seDomain) +
    '/maps/search/' +
    plusForm(lc.keyword) +
    '/@' +
    c.lat +
    ',' +
    c.lng +
    ',12z?hl=' +
    encode(lc.input.languageCode ?? 'en') +
    (lc.input.countryIso ? '&gl=' + encode(lc.input.countryIso.toUpperCase()) : '')
  );
}

/** google/maps task_get/advanced: `depth` maps_search items around the task's location. */
export function renderMapsAdvanced(input: SerpRenderInput): MapsAdvancedResult {
  const lc = localCtx(input, 'maps');
  const depth = Math.max(0, Math.floor(input.depth));
  const items: MapsSearchItem[] = new Array(depth);
  for (let i = 0; i < depth; i++) items[i] = buildMapsItem(lc, i);
  return {
    keyword: lc.keyword,
    type: 'maps',
    se_domain: input.seDomain,
    location_code: input.locationCode,
    language_code: input.languageCode,
    check_url: mapsCheckUrl(lc),
    datetime: input.datetime,
    spell: null,
    refinement_chips: null,
    item_types: depth > 0 ? ['maps_search'] : [],
    se_results_count: 0,
    items_count: items.length,
    items,
  };
}

const LF_XPATH = '/html[1]/body[1]/div[6]/div[1]/div[9]/div[1]/div[1]/div[2]/div[2]/div[1]/div[1]/div[1]/div[1]/div[1]/div[3]/div[1]/div[';
const LF_PAGE = 20;

function hoursText(rng: Rng, category: Category): string {
  const [open, close] = category.hours;
  if (open === 0 && close >= 24) return 'Open 24 hours';
  const c = close > 24 ? close - 24 : close === 24 ? 0 : close;
  return rng.chance(0.75) ? 'Open ⋅ Closes ' + clock(c) : 'Closed ⋅ Opens ' + clock(open) + (rng.chance(0.5) ? ' Mon' : '');
}

function clock(h: number): string {
  if (h === 0) return '12 AM';
  if (h === 12) return '12 PM';
  return h < 12 ? h + ' AM' : h - 12 + ' PM';
}

/** A local pack element; used by local_finder and by the organic local pack. */
export function buildLocalPackItem(
  rng: Rng,
  place: Place,
  category: Category,
  opts: {
    page: number;
    rankGroup: number;
    rankAbsolute: number;
    xpath: string;
    paid: boolean;
  },
): LocalPackItem {
  const b = makeBusiness(rng, place, category);
  const years = rng.chance(0.3) ? ' · ' + rng.int(3, 40) + '+ years in business' : '';
  const price = b.priceLevel ? ' · ' + PRICE_SIGNS[b.priceLevel] : '';
  return {
    type: 'local_pack',
    page: opts.page,
    position: 'left',
    xpath: opts.xpath,
    rectangle: null,
    rank_group: opts.rankGroup,
    rank_absolute: opts.rankAbsolute,
    title: b.name,
    description: category.label + price + years + ' · ' + b.address.line + '\n' + hoursText(rng, category),
    domain: b.domain,
    phone: rng.chance(0.9) ? b.phone : null,
    url: b.url,
    is_paid: opts.paid,
    rating: { rating_type: 'Max5', value: b.rating, votes_count: b.votes, rating_max: 5 },
    cid: b.cid,
  };
}

/** google/local_finder task_get/advanced: `depth` local_pack items, 20 per page. */
export function renderLocalFinderAdvanced(input: SerpRenderInput): LocalFinderAdvancedResult {
  const lc = localCtx(input, 'local_finder');
  const depth = Math.max(0, Math.floor(input.depth));
  const layout = new FastRng(deriveSeed(lc.seed, 1_000_001));
  const paidCount = lc.intent.local && layout.chance(0.4) ? 1 : 0;
  const items: LocalPackItem[] = [];
  for (let i = 0; i < depth; i++) {
    const page = Math.floor(i / LF_PAGE) + 1;
    items.push(
      buildLocalPackItem(new FastRng(deriveSeed(lc.seed, i)), lc.place, lc.category, {
        page,
        rankGroup: i + 1,
        rankAbsolute: i + 1,
        xpath: LF_XPATH + ((i % LF_PAGE) * 2 + 1) + ']',
        paid: i < paidCount,
      }),
    );
  }
  return {
    keyword: lc.keyword,
    type: 'local_finder',
    se_domain: input.seDomain,
    location_code: input.locationCode,
    language_code: input.languageCode,
    check_url: localFinderCheckUrl(lc),
    datetime: input.datetime,
    spell: null,
    refinement_chips: null,
    item_types: depth > 0 ? ['local_pack'] : [],
    se_results_count: 0,
    items_count: items.length,
    items,
  };
}

function localFinderCheckUrl(lc: LocalCtx): string {
  return (
    'https://' +
    mapsHost(lc.input.seDomain) +
    '/search?q=' +
    encode(lc.keyword) +
    '&hl=' +
    encode(lc.input.languageCode ?? 'en') +
    (lc.input.countryIso ? '&gl=' + encode(lc.input.countryIso.toUpperCase()) : '') +
    '&tbm=lcl&gws_rd=cr&ie=UTF-8&oe=UTF-8'
  );
}

/** google/local_finder task_get/html: one page per 20 businesses, holding the advanced result's items. */
export function renderLocalFinderHtml(input: SerpRenderInput): LocalFinderHtmlResult {
  const adv = renderLocalFinderAdvanced(input);
  const kw = escapeHtml(adv.keyword);
  const pages = Math.max(1, Math.ceil(adv.items.length / LF_PAGE));
  const out: HtmlPage[] = [];
  for (let p = 1; p <= pages; p++) {
    let html =
      '<!doctype html><html lang="' +
      escapeHtml(input.languageCode ?? 'en') +
      '"><head><meta charset="UTF-8"><title>' +
      kw +
      ' - Google Search</title></head><body><div id="rcnt"><div class="rlfl__tls rl_tls" role="list">';
    for (const it of adv.items) {
      if (it.page !== p) continue;
      const r = it.rating;
      html +=
        '<div class="VkpGBb" role="listitem" data-cid="' +
        it.cid +
        '"><a class="rllt__link" href="' +
        (it.url ? escapeHtml(it.url) : '#') +
        '"><div class="dbg0pd" role="heading" aria-level="3"><span class="OSrXXb">' +
        escapeHtml(it.title) +
        '</span></div>' +
        (it.is_paid ? '<span class="rllt__ad">Ad</span>' : '') +
        (r
          ? '<span class="yi40Hd YrbPuc">' +
            r.value.toFixed(1) +
            '</span><span class="RDApEe YrbPuc">(' +
            formatCount(r.votes_count) +
            ')</span>'
          : '') +
        '<div class="rllt__details">' +
        escapeHtml(it.description ?? '')
          .split('\n')
          .join('<br>') +
        (it.phone ? '<div>' + escapeHtml(it.phone) + '</div>' : '') +
        '</div></a></div>';
    }
    html += '</div></div></body></html>';
    out.push({ page: p, date: input.datetime, html });
  }
  return {
    keyword: adv.keyword,
    type: 'local_finder',
    se_domain: input.seDomain,
    location_code: input.locationCode,
    language_code: input.languageCode,
    datetime: input.datetime,
    items_count: out.length,
    items: out,
  };
}
