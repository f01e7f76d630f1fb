import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { gcraStep } from './gcra.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';

/** A limiter of `permitLimit` per `windowMs` on a fake clock. */
function limiter(permitLimit: number, windowMs: number, maxKeys?: number) {
  const clock = { now: 1_000_000 };
  return {
    clock,
    limiter: new MemoryRateLimiter({ permitLimit, windowMs }, { now: () => clock.now, maxKeys }),
  };
}

function drain(subject: MemoryRateLimiter, key: string, count: number): boolean[] {
  return Array.from({ length: count }, () => subject.take(key).allowed);
}

describe(MemoryRateLimiter.name, () => {
  describe('take', () => {
    it('allows a burst of permitLimit, counting remaining down, then refuses', () => {
      const { limiter: subject } = limiter(3, 60_000);
      expect(subject.take('ip:a')).toEqual({ allowed: true, limit: 3, remaining: 2, resetSeconds: 20 });
      expect(subject.take('ip:a')).toEqual({ allowed: true, limit: 3, remaining: 1, resetSeconds: 40 });
      expect(subject.take('ip:a')).toEqual({ allowed: true, limit: 3, remaining: 0, resetSeconds: 60 });
      expect(subject.take('ip:a')).toEqual({
        allowed: false,
        limit: 3,
        remaining: 0,
        resetSeconds: 60,
        retryAfterSeconds: 20,
      });
    });

    it('counts every key on its own', () => {
      const { limiter: subject } = limiter(1, 1_000);
      expect(subject.take('ip:a').allowed).toBe(true);
      expect(subject.take('ip:b').allowed).toBe(true);
      expect(subject.take('ip:a').allowed).toBe(false);
    });

    it('gives one permit back per interval (window / limit)', () => {
      const { clock, limiter: subject } = limiter(4, 1_000);
      expect(drain(subject, 'k', 5)).toEqual([true, true, true, true, false]);
      clock.now += 249;
      expect(subject.take('k').allowed).toBe(false);
      clock.now += 1;
      expect(subject.take('k')).toMatchObject({ allowed: true, remaining: 0 });
      expect(subject.take('k').allowed).toBe(false);
    });

    it('has the whole burst back one window after the last accepted request', () => {
      const { clock, limiter: subject } = limiter(5, 1_000);
      drain(subject, 'k', 7);
      clock.now += 1_000;
      expect(subject.take('k')).toMatchObject({ allowed: true, remaining: 4 });
      expect(drain(subject, 'k', 5)).toEqual([true, true, true, true, false]);
    });

    it('never allows more than the limit across a window edge (unlike a fixed window)', () => {
      const { clock, limiter: subject } = limiter(10, 1_000);
      clock.now += 990;
      const allowed = drain(subject, 'k', 10).filter(Boolean).length;
      clock.now += 20;
      const afterEdge = drain(subject, 'k', 10).filter(Boolean).length;
      expect(allowed).toBe(10);
      expect(afterEdge).toBe(0);
    });

    it('does not charge refused requests', () => {
      const { clock, limiter: subject } = limiter(2, 1_000);
      drain(subject, 'k', 2);
      drain(subject, 'k', 50);
      clock.now += 500;
      expect(subject.take('k').allowed).toBe(true);
    });

    it('tells a refused client to retry after at least one second', () => {
      const { limiter: subject } = limiter(1_000, 1_000);
      drain(subject, 'k', 1_000);
      expect(subject.take('k')).toMatchObject({ allowed: false, retryAfterSeconds: 1, resetSeconds: 1 });
    });

    it('keeps the last permit of a burst whose interval does not divide the window', () => {
      const { limiter: subject } = limiter(7, 60_000);
      expect(drain(subject, 'k', 8)).toEqual([true, true, true, true, true, true, true, false]);
    });
  });

  describe('memory', () => {
    it('forgets clients whose quota is full again, at most once per window', () => {
      const { clock, limiter: subject } = limiter(2, 1_000);
      subject.take('a');
      subject.take('b');
      clock.now += 999;
      subject.take('c');
      expect(subject.size).toBe(3);
      clock.now += 1;
      subject.take('c');
      expect(subject.size).toBe(1);
    });

    it('drops the oldest client beyond maxKeys', () => {
      const { limiter: subject } = limiter(1, 60_000, 2);
      subject.take('a');
      subject.take('b');
      subject.take('c');
      expect(subject.size).toBe(2);
      expect(subject.take('a').allowed).toBe(true);
      expect(subject.take('c').allowed).toBe(false);
    });

    it('clears everything on close', async () => {
      const { limiter: subject } = limiter(1, 60_000);
      await subject.consume('a');
      await subject.close();
      expect(subject.size).toBe(0);
    });
  });

  describe('constructor', () => {
    it.each([
      [0, 1_000, 'rateLimit.permitLimit'],
      [1.5, 1_000, 'rateLimit.permitLimit'],
      [10, 0, 'rateLimit.windowMs'],
    ])('refuses permitLimit %p with windowMs %p', (permitLimit, windowMs, key) => {
      expect(() => new MemoryRateLimiter({ permitLimit, windowMs })).toThrow(MeshConfigError);
      expect(() => new MemoryRateLimiter({ permitLimit, windowMs })).toThrow(key);
    });
  });
});

describe('gcraStep', () => {
  it('keeps the stored TAT when it refuses', () => {
    const params = { permitLimit: 1, windowMs: 1_000 };
    const first = gcraStep(params, undefined, 0);
    const refused = gcraStep(params, first.tat, 10);
    expect(refused.decision.allowed).toBe(false);
    expect(refused.tat).toBe(first.tat);
  });
});
