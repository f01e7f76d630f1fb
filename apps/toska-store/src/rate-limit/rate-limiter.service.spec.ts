import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { normalizeToskaStoreOptions } from '../config/resolve-toska-store-options.js';
import { RATE_LIMIT_SWEEP_MS, RateLimiter } from './rate-limiter.service.js';

describe(RateLimiter.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  describe('take', () => {
    it.each([
      [0, 0],
      [5, 0],
      [0, 5],
    ])('is off (always allowed) with per_sec %d and burst %d', (rateLimitPerSec, rateLimitBurst) => {
      const limiter = new RateLimiter(normalizeToskaStoreOptions({ rateLimitPerSec, rateLimitBurst }));
      expect(limiter.enabled).toBe(false);
      expect([...Array(100)].every(() => limiter.take('ip').allowed)).toBe(true);
      limiter.onModuleDestroy();
    });

    it('limits per client and refills with the clock', () => {
      const limiter = new RateLimiter(normalizeToskaStoreOptions({ rateLimitPerSec: 1, rateLimitBurst: 1 }));
      expect(limiter.take('ip').allowed).toBe(true);
      expect(limiter.take('ip')).toEqual({ allowed: false, retryAfterMs: 1000 });
      jest.advanceTimersByTime(1000);
      expect(limiter.take('ip').allowed).toBe(true);
      limiter.onModuleDestroy();
    });
  });

  describe('onModuleDestroy', () => {
    it('stops the sweep timer', () => {
      const limiter = new RateLimiter(normalizeToskaStoreOptions({ rateLimitPerSec: 1, rateLimitBurst: 1 }));
      expect(jest.getTimerCount()).toBe(1);
      jest.advanceTimersByTime(RATE_LIMIT_SWEEP_MS);
      limiter.onModuleDestroy();
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
