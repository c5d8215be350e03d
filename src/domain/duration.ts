/**
 * Durations as people write them on a command line: `0`, `500ms`, `10s`, `5m`, `24h`, `7d` (a bare
 * number is milliseconds). Returns milliseconds; throws a RangeError naming the text otherwise.
 */
const UNITS: Readonly<Record<string, number>> = Object.freeze({ ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 });

export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new RangeError(`invalid duration '${text}': use e.g. 0, 500ms, 10s, 5m, 24h, 7d`);
  return Math.round(Number(m[1]) * (UNITS[m[2] ?? 'ms'] ?? 1));
}
