import { describe, expect, it } from 'vitest';
import { ID_PATTERN, accountShard, isTaskId, kyivOffsetMs, newId } from './ids.js';

describe('ids', () => {
  it('mints 8-4-4-4-12 lowercase hex ids led by the Kyiv-time minute', () => {
    // 2019-11-15 12:06 UTC = 14:06 in Kyiv (UTC+2): the vendor's own example id starts 11151406.
    const id = newId(Date.UTC(2019, 10, 15, 12, 6, 9), 0x0696, '0066');
    expect(id).toMatch(/^11151406-0696-0066-0000-[0-9a-f]{12}$/);
    // Summer time: 2020-09-29 13:44 UTC = 16:44 Kyiv (UTC+3), as in 09291644-... .
    expect(newId(Date.UTC(2020, 8, 29, 13, 44, 4), 1, '0087').slice(0, 8)).toBe('09291644');
  });
  it('computes the Kyiv offset as the time-zone data does, hour by hour from 1997 to 2037 and around every switch', () => {
    const kyiv = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Kyiv',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const offsetByIntl = (ms: number) => {
      const p = Object.fromEntries(kyiv.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
      return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - Math.floor(ms / 60_000) * 60_000;
    };
    const wrong: string[] = [];
    const check = (ms: number) => {
      if (kyivOffsetMs(ms) !== offsetByIntl(ms)) wrong.push(new Date(ms).toISOString());
    };
    for (let ms = Date.UTC(1997, 0, 1); ms < Date.UTC(2038, 0, 1); ms += 3_600_000) check(ms);
    for (let year = 1997; year < 2038; year++) {
      for (const month of [2, 9]) {
        const last = new Date(Date.UTC(year, month + 1, 0));
        const switchAt = Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
        for (const d of [-60_001, -60_000, -1, 0, 1, 59_999, 60_000]) check(switchAt + d);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
  it('never repeats within a large batch', () => {
    const ids = new Set(Array.from({ length: 50_000 }, () => newId(Date.now(), 7, '0066')));
    expect(ids.size).toBe(50_000);
    for (const id of [...ids].slice(0, 100)) expect(ID_PATTERN.test(id)).toBe(true);
  });
  it('validates ids and maps accounts to a 4-hex shard', () => {
    expect(isTaskId('00000000-0000-0000-0000-000000000000')).toBe(true);
    expect(isTaskId('0000000-0000-0000-0000-000000000000')).toBe(false);
    expect(isTaskId('ABCDEF00-0000-0000-0000-000000000000')).toBe(false);
    expect(accountShard(1)).toBe('0001');
    expect(accountShard(0x1_0002)).toBe('0002');
  });
});
