import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STATUS, invalidFieldMessage, statusByCode } from './status-codes.js';

describe('status-code catalog', () => {
  it('holds exactly the vendor appendix codes (fixture from the official list)', () => {
    const vendor = JSON.parse(readFileSync(new URL('../../test/fixtures/appendix-error-codes.json', import.meta.url), 'utf8')) as number[];
    const ours = Object.values(STATUS).map((s) => s.code);
    expect(new Set(ours).size).toBe(ours.length);
    expect([...ours].sort()).toEqual([...vendor].sort());
  });

  it('uses HTTP 200 for everything except 401, 402, 404 and 500', () => {
    for (const s of Object.values(STATUS)) expect([200, 401, 402, 404, 500]).toContain(s.http);
    expect(STATUS.UNAUTHORIZED.http).toBe(401);
    expect(STATUS.PAYMENT_REQUIRED.http).toBe(402);
    expect(STATUS.NOT_FOUND.http).toBe(404);
    expect(STATUS.RATE_LIMIT.http).toBe(200);
  });

  it('looks codes up and expands 40501 with the field name', () => {
    expect(statusByCode(40602)?.message).toBe('Task In Queue.');
    expect(statusByCode(12345)).toBeUndefined();
    expect(invalidFieldMessage('location_code')).toBe("Invalid Field: 'location_code'.");
  });
});
