import { describe, it, expect } from 'vitest';
import { DEFAULT_GOOGLE_DOMAIN, googleDomainForCountry, isKnownGoogleDomain } from './google-domains.js';

describe('googleDomainForCountry', () => {
  it.each([
    ['US', 'google.com'],
    ['GB', 'google.co.uk'],
    ['DE', 'google.de'],
    ['FR', 'google.fr'],
    ['AU', 'google.com.au'],
    ['CA', 'google.ca'],
    ['IN', 'google.co.in'],
    ['JP', 'google.co.jp'],
    ['BR', 'google.com.br'],
    ['ES', 'google.es'],
    ['IT', 'google.it'],
    ['NL', 'google.nl'],
    ['ZA', 'google.co.za'],
    ['KR', 'google.co.kr'],
  ])('%s -> %s', (iso, domain) => {
    expect(googleDomainForCountry(iso)).toBe(domain);
  });

  it('is case-insensitive', () => {
    expect(googleDomainForCountry('gb')).toBe('google.co.uk');
  });

  it('falls back to google.com for null, unknown and prototype keys', () => {
    expect(googleDomainForCountry(null)).toBe(DEFAULT_GOOGLE_DOMAIN);
    expect(googleDomainForCountry('XX')).toBe('google.com');
    expect(googleDomainForCountry('')).toBe('google.com');
    expect(googleDomainForCountry('constructor')).toBe('google.com');
  });
});

describe('isKnownGoogleDomain', () => {
  it('accepts known domains with or without www.', () => {
    expect(isKnownGoogleDomain('google.co.uk')).toBe(true);
    expect(isKnownGoogleDomain('www.google.de')).toBe(true);
    expect(isKnownGoogleDomain('example.com')).toBe(false);
  });
});
