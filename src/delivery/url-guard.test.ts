import { describe, expect, it } from 'vitest';
import { checkLiteralHost, guardedLookup, isBlockedAddress } from './url-guard.js';

describe('webhook address guard', () => {
  it('blocks loopback, private, link-local, CGNAT, multicast, reserved and metadata addresses', () => {
    for (const a of [
      '127.0.0.1',
      '127.1.2.3',
      '10.0.0.8',
      '172.16.5.4',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '100.127.255.254',
      '0.0.0.0',
      '224.0.0.1',
      '239.255.255.250',
      '255.255.255.255',
      '198.18.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00:ec2::254',
      'fc00::5',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.1.2.3',
      '64:ff9b::a9fe:a9fe',
      'not-an-ip',
    ]) {
      expect({ a, blocked: isBlockedAddress(a) }).toEqual({ a, blocked: true });
    }
  });

  it('allows public addresses', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect({ a, blocked: isBlockedAddress(a) }).toEqual({ a, blocked: false });
    }
  });

  it('refuses literal hosts and names that resolve to blocked addresses', async () => {
    expect(() => checkLiteralHost(new URL('http://127.0.0.1:8080/x'))).toThrow(/not allowed/);
    expect(() => checkLiteralHost(new URL('http://[::1]/x'))).toThrow(/not allowed/);
    expect(() => checkLiteralHost(new URL('http://8.8.8.8/x'))).not.toThrow();
    const err = await new Promise<Error | null>((resolve) => guardedLookup('localhost', {}, (e) => resolve(e)));
    expect(err?.message).toMatch(/not allowed/);
  });
});
