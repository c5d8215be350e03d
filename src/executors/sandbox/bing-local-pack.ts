import { escapeHtml } from './google-images.js';
import { createRng } from './prng.js';
import type { SerpRenderInput } from './render-input.js';
import { encode } from './serp-text.js';

/**
 * Bing local pack (regular and html). The vendor documents this type but its OpenAPI file has no
 * schema for it, so the shape follows the organic regular result with `local_pack` items.
 */
const KINDS = ['Cafe', 'Bakery', 'Restaurant', 'Pharmacy', 'Dentist', 'Hardware Store', 'Bookstore', 'Gym', 'Florist', 'Barber'];
const STREETS = ['Main St', 'Oak Ave', 'Park Rd', 'Market St', 'High St', 'Elm St', 'Church Rd', 'Station Rd'];

interface LocalItem {
  type: 'local_pack';
  rank_group: number;
  rank_absolute: number;
  position: 'left';
  xpath: string;
  title: string;
  description: string;
  domain: string;
  phone: string;
  url: string;
  is_paid: boolean;
  rating: { rating_type: string; value: number; votes_count: number; rating_max: number };
}

function items(input: SerpRenderInput): LocalItem[] {
  const keyword = input.keyword ?? 'local business';
  const rng = createRng(`bing/local_pack|${keyword}|${input.locationCode}|${input.languageCode}`);
  const city = (input.locationName ?? 'Springfield').split(',')[0];
  const n = Math.max(1, Math.min(input.depth, 100));
  return Array.from({ length: n }, (_, i) => {
    const kind = rng.pick(KINDS);
    const name = `${keyword.replace(/\b\w/g, (c) => c.toUpperCase())} ${kind} ${city}`.slice(0, 80);
    const slug = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    return {
      type: 'local_pack',
      rank_group: i + 1,
      rank_absolute: i + 1,
      position: 'left',
      xpath: `/html[1]/body[1]/div[1]/main[1]/ol[1]/li[1]/div[1]/div[${i + 1}]`,
      title: name,
      description: `${rng.int(1, 999)} ${rng.pick(STREETS)}, ${city} · ${kind}`,
      domain: `${slug.slice(0, 30)}.com`,
      phone: `+1 ${rng.int(200, 989)}-${rng.int(200, 989)}-${String(rng.int(0, 9999)).padStart(4, '0')}`,
      url: `https://${slug.slice(0, 30)}.com/`,
      is_paid: false,
      rating: { rating_type: 'Max5', value: Math.round((3 + rng.next() * 2) * 10) / 10, votes_count: rng.int(3, 2400), rating_max: 5 },
    };
  });
}

function base(input: SerpRenderInput) {
  return {
    keyword: input.keyword,
    type: 'local_pack',
    se_domain: input.seDomain,
    location_code: input.locationCode,
    language_code: input.languageCode,
    datetime: input.datetime,
  };
}

export function renderBingLocalPackRegular(input: SerpRenderInput) {
  const list = items(input);
  return {
    ...base(input),
    check_url: `https://www.bing.com/search?q=${encode(input.keyword ?? '')}&count=50`,
    spell: null,
    item_types: ['local_pack'],
    se_results_count: list.length,
    items_count: list.length,
    items: list,
  };
}

export function renderBingLocalPackHtml(input: SerpRenderInput) {
  const rows = items(input)
    .map(
      (i) =>
        `<li class="b_algo"><h2><a href="${escapeHtml(i.url)}">${escapeHtml(i.title)}</a></h2><p>${escapeHtml(i.description)} · ${escapeHtml(i.phone)} · ${i.rating.value}/5</p></li>`,
    )
    .join('');
  const html = `<!DOCTYPE html><html lang="${escapeHtml(input.languageCode ?? 'en')}"><head><meta charset="utf-8"><title>${escapeHtml(input.keyword ?? '')} - Bing</title></head><body><form action="/search"><input name="q" value="${escapeHtml(input.keyword ?? '')}"></form><ol id="b_results">${rows}</ol></body></html>`;
  return { ...base(input), items_count: 1, items: [{ page: 1, date: input.datetime, html }] };
}
