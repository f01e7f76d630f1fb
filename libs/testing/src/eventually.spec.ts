import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { eventually } from './eventually.js';

describe('eventually', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('retries until the check passes and returns its result', async () => {
    let calls = 0;
    const result = eventually(
      () => {
        calls += 1;
        if (calls < 3) throw new Error('not yet');
        return 'ready';
      },
      { intervalMs: 10 },
    );
    await jest.advanceTimersByTimeAsync(30);
    await expect(result).resolves.toBe('ready');
    expect(calls).toBe(3);
  });

  it('rethrows the last failure at the deadline', async () => {
    let calls = 0;
    const result = eventually(
      () => {
        calls += 1;
        throw new Error(`failure ${calls}`);
      },
      { timeoutMs: 100, intervalMs: 25 },
    );
    const settled = result.catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(200);
    expect(String(await settled)).toMatch(/failure \d/);
    expect(calls).toBeGreaterThanOrEqual(4);
  });
});
