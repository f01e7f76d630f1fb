import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { createRateLimiter, type GatewayRateLimitSettings } from './create-rate-limiter.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';

function settings(overrides: Partial<GatewayRateLimitSettings> = {}): GatewayRateLimitSettings {
  return {
    enabled: true,
    permitLimit: 2,
    windowMs: 60_000,
    key: 'auto',
    store: 'memory',
    redisUrl: 'redis://127.0.0.1:6379',
    redisKeyPrefix: 'toskamesh:gateway:ratelimit:',
    trustedProxies: [],
    ...overrides,
  };
}

describe('createRateLimiter', () => {
  it('builds the memory limiter with the given clock', async () => {
    const limiter = createRateLimiter(settings(), { now: () => 0 });
    expect(limiter).toBeInstanceOf(MemoryRateLimiter);
    expect(await limiter.consume('k')).toEqual({ allowed: true, limit: 2, remaining: 1, resetSeconds: 30 });
    await limiter.close();
  });

  it('refuses an unknown store, naming the valid ones', () => {
    const store = 'memcached' as GatewayRateLimitSettings['store'];
    expect(() => createRateLimiter(settings({ store }))).toThrow(MeshConfigError);
    expect(() => createRateLimiter(settings({ store }))).toThrow('memory, redis');
  });

  it('refuses a limit below one before opening anything', () => {
    expect(() => createRateLimiter(settings({ store: 'redis', permitLimit: 0 }))).toThrow(
      'rateLimit.permitLimit',
    );
  });
});
