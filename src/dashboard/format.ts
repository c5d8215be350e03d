/** Display helpers: UTC times (the clock serpq keeps), money and durations as the admin API gives them. */

export function utc(iso: string | number): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? ''
    : d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

/** Dollars with cents, or with four decimals when there is less than a cent in it (task prices are fractions of a cent). */
export function usd(n: number | null): string {
  if (n === null) return '—';
  return `$${n.toFixed(Math.abs(n * 100 - Math.round(n * 100)) > 1e-6 ? 4 : 2)}`;
}

export function duration(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const SHORT = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/** A count with thousands separators: 12,345. */
export function count(n: number): string {
  return WHOLE.format(n);
}

/** A count short enough for a chart's axis: 950, 9,500, 12.5k, 250k, 1.25M. */
export function compact(n: number): string {
  const a = Math.abs(n);
  if (a < 10_000) return WHOLE.format(n);
  // 999,500 and up round to 1,000k: written 1M instead.
  if (a < 999_500) return `${SHORT.format(n / 1000)}k`;
  return `${SHORT.format(n / 1_000_000)}M`;
}
