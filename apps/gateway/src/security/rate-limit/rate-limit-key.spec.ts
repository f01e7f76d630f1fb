import { describe, expect, it } from '@jest/globals';
import type { RequestIdentity } from '../request-identity.js';
import { rateLimitHeaders } from './rate-limit-headers.js';
import { rateLimitKey } from './rate-limit-key.js';

const jwtUser: RequestIdentity = { user: 'alice', roles: [], via: 'jwt' };
const apiKey: RequestIdentity = { user: 'reporting', roles: [], via: 'api-key', apiKey: 'reporting' };

describe('rateLimitKey', () => {
  it.each([
    ['auto', jwtUser, 'user:alice'],
    ['auto', apiKey, 'apikey:reporting'],
    ['auto', undefined, 'ip:203.0.113.7'],
    ['user', jwtUser, 'user:alice'],
    ['user', apiKey, 'user:reporting'],
    ['user', undefined, 'ip:203.0.113.7'],
    ['apiKey', apiKey, 'apikey:reporting'],
    ['apiKey', jwtUser, 'ip:203.0.113.7'],
    ['ip', jwtUser, 'ip:203.0.113.7'],
    ['ip', apiKey, 'ip:203.0.113.7'],
  ] as const)('in mode %s charges %j to %s', (mode, identity, key) => {
    expect(rateLimitKey(mode, '203.0.113.7', identity)).toBe(key);
  });
});

describe('rateLimitHeaders', () => {
  it('sends limit, remaining and reset for an allowed request', () => {
    expect(rateLimitHeaders({ allowed: true, limit: 100, remaining: 42, resetSeconds: 35 })).toEqual({
      'ratelimit-limit': '100',
      'ratelimit-remaining': '42',
      'ratelimit-reset': '35',
    });
  });

  it('adds Retry-After for a refused request', () => {
    const refused = { allowed: false, limit: 100, remaining: 0, resetSeconds: 60, retryAfterSeconds: 1 };
    expect(rateLimitHeaders(refused)).toEqual({
      'ratelimit-limit': '100',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '60',
      'retry-after': '1',
    });
  });

  it('falls back to the reset time, at least one second, without retryAfterSeconds', () => {
    expect(rateLimitHeaders({ allowed: false, limit: 1, remaining: 0, resetSeconds: 7 })['retry-after']).toBe(
      '7',
    );
    expect(rateLimitHeaders({ allowed: false, limit: 1, remaining: 0, resetSeconds: 0 })['retry-after']).toBe(
      '1',
    );
  });
});
