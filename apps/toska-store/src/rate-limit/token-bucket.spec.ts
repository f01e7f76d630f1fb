import { describe, expect, it } from '@jest/globals';
import { TokenBuckets } from './token-bucket.js';

function buckets(perSec: number, burst: number, maxBuckets = 1000) {
  let now = 0;
  const limiter = new TokenBuckets({ perSec, burst, maxBuckets, now: () => now });
  return { limiter, advance: (ms: number) => (now += ms) };
}

describe(TokenBuckets.name, () => {
  describe('take', () => {
    it('lets a new client spend its whole burst, then refuses with the time until a token is back', () => {
      const { limiter } = buckets(2, 3);
      expect([1, 2, 3].map(() => limiter.take('ip').allowed)).toEqual([true, true, true]);
      expect(limiter.take('ip')).toEqual({ allowed: false, retryAfterMs: 500 });
    });

    it('refills continuously, fractions included, up to the burst', () => {
      const { limiter, advance } = buckets(4, 2);
      limiter.take('ip');
      limiter.take('ip');
      advance(125);
      expect(limiter.take('ip')).toEqual({ allowed: false, retryAfterMs: 125 });
      advance(125);
      expect(limiter.take('ip').allowed).toBe(true);
      advance(60_000);
      expect([1, 2, 3].map(() => limiter.take('ip').allowed)).toEqual([true, true, false]);
    });

    it('keeps one bucket per client', () => {
      const { limiter } = buckets(1, 1);
      expect(limiter.take('a').allowed).toBe(true);
      expect(limiter.take('a').allowed).toBe(false);
      expect(limiter.take('b').allowed).toBe(true);
    });

    it('never holds more than maxBuckets, dropping the oldest when all are busy', () => {
      const { limiter } = buckets(1, 5, 3);
      for (const ip of ['a', 'b', 'c', 'd']) limiter.take(ip);
      expect(limiter.size).toBe(3);
      // "a" was dropped, so it starts again with a full bucket.
      expect([1, 2, 3, 4, 5].every(() => limiter.take('a').allowed)).toBe(true);
    });
  });

  describe('sweep', () => {
    it('drops buckets that have refilled completely, and only those', () => {
      const { limiter, advance } = buckets(10, 10);
      limiter.take('idle');
      advance(900);
      limiter.take('busy');
      advance(100);
      limiter.sweep();
      expect(limiter.size).toBe(1);
      expect([...Array(10)].every(() => limiter.take('idle').allowed)).toBe(true);
    });
  });
});
