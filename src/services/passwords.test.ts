import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_PASSWORD_HASH } from '../app.js';
import { hashPassword, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('verifies what it hashed, and nothing else', async () => {
    const hash = await hashPassword('s3cret');
    expect(await verifyPassword('s3cret', hash)).toBe(true);
    expect(await verifyPassword('s3cre', hash)).toBe(false);
  });
  it('the demo account is created with a precomputed hash of its password', async () => {
    expect(await verifyPassword(DEMO_PASSWORD, DEMO_PASSWORD_HASH)).toBe(true);
    expect(await verifyPassword('demo2', DEMO_PASSWORD_HASH)).toBe(false);
  });
});
