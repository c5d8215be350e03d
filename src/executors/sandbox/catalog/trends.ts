// Trends graphs (Google Trends, DataForSEO Trends): one point per week (per day for short ranges, per
// month for long ones) over the requested range, each with one value per requested keyword, on a
// 0..100 scale where the largest value of the graph is 100; each keyword's curve follows its own
// volume and seasonality (subjects.ts), so the keyword searched more sits higher.

import { deriveSeed } from '../prng.js';
import { formatTimestamp, type Gen } from './access.js';
import type { CatCtx } from './context.js';
import { keywordFacts } from './subjects.js';

const DAY = 86_400_000;

/** Days per point and number of points for a `time_range` (or a date range). */
function grid(c: CatCtx): [step: number, count: number, end: number] {
  const p = c.req.params;
  const end = Math.floor(c.nowMs / DAY) * DAY;
  const parse = (v: unknown): number | null =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v.slice(0, 10) + 'T00:00:00Z') : null;
  const from = parse(p.date_from);
  const to = Math.min(parse(p.date_to) ?? end, end);
  if (from !== null && from < to) {
    const days = Math.round((to - from) / DAY);
    const step = days <= 90 ? 1 : days <= 1900 ? 7 : 30;
    return [step, Math.max(1, Math.min(400, Math.floor(days / step))), to];
  }
  switch (p.time_range) {
    case 'past_7_days':
      return [1, 7, end];
    case 'past_30_days':
      return [1, 30, end];
    case 'past_90_days':
      return [1, 90, end];
    case 'past_5_years':
      return [30, 60, end];
    default:
      return [7, 52, end];
  }
}

/** A graph's data points; `keys` are the point object's fields in schema order. */
export function trendsSeries(keys: readonly string[]): Gen {
  return (c) => {
    const kws = c.req.keywords.length > 0 ? c.req.keywords.slice(0, 5) : [c.kw];
    const facts = kws.map((k) => keywordFacts(k, c.req.locationCode, c.req.engine));
    const [step, n, end] = grid(c);
    const raw: number[][] = [];
    let max = 1;
    for (let i = 0; i < n; i++) {
      const t = end - (n - i) * step * DAY;
      const month = new Date(t).getUTCMonth();
      const row = facts.map((f) => {
        const season = 1 + f.amplitude * Math.cos((2 * Math.PI * (month - f.phase)) / 12);
        const noise = 0.85 + (deriveSeed(f.seed, Math.floor(t / DAY)) % 1000) / 3333;
        return f.searchVolume * season * noise;
      });
      for (const v of row) if (v > max) max = v;
      raw.push(row);
    }
    const out: Array<Record<string, unknown>> = new Array(n);
    for (let i = 0; i < n; i++) {
      const t = end - (n - i) * step * DAY;
      const values = raw[i]!.map((v) => Math.round((v / max) * 100));
      const o: Record<string, unknown> = {};
      for (const k of keys) {
        o[k] =
          k === 'date_from'
            ? formatTimestamp(t).slice(0, 10)
            : k === 'date_to'
              ? formatTimestamp(t + (step - 1) * DAY).slice(0, 10)
              : k === 'timestamp'
                ? t / 1000
                : k === 'missing_data'
                  ? false
                  : k === 'values'
                    ? values
                    : null;
      }
      out[i] = o;
    }
    return out;
  };
}
