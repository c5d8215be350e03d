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
