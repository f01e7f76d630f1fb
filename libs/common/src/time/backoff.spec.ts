import { describe, expect, it } from '@jest/globals';
import { backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  it('grows exponentially up to the cap without jitter', () => {
    const delays = [0, 1, 2, 3, 10].map((attempt) =>
      backoffDelayMs(attempt, { initialMs: 100, maxMs: 1000, jitter: 'none' }),
    );
    expect(delays).toEqual([100, 200, 400, 800, 1000]);
  });

  it('picks uniformly below the ceiling with full jitter', () => {
    expect(backoffDelayMs(2, { initialMs: 100 }, () => 0.5)).toBe(200);
    expect(backoffDelayMs(2, { initialMs: 100 }, () => 0)).toBe(0);
  });
});
