import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { followBlocking, nextBlockingIndex, TokenBucket } from './blocking-query.follower.js';

describe('nextBlockingIndex', () => {
  it('follows a growing index, restarts at 0 when it goes backwards and never returns 0 otherwise', () => {
    expect(nextBlockingIndex(10, 12)).toBe(12);
    expect(nextBlockingIndex(10, 10)).toBe(10);
    expect(nextBlockingIndex(10, 3)).toBe(0);
    expect(nextBlockingIndex(0, 0)).toBe(1);
  });
});

describe(TokenBucket.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('lets a burst through at once, then one query per refill period', async () => {
    const bucket = new TokenBucket(2, 100);
    const signal = new AbortController().signal;
    await bucket.take(signal);
    await bucket.take(signal);
    let third = false;
    void bucket.take(signal).then(() => (third = true));
    await jest.advanceTimersByTimeAsync(99);
    expect(third).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(third).toBe(true);
  });
});

describe('followBlocking', () => {
  it('passes each answer on and sends the index back, resetting it when it went backwards', async () => {
    const controller = new AbortController();
    const answers = [
      { body: 'a', index: 5 },
      { body: 'b', index: 9 },
      { body: 'c', index: 2 },
      { body: 'd', index: 4 },
    ];
    const sent: number[] = [];
    const seen: string[] = [];
    await followBlocking(
      async (index) => {
        sent.push(index);
        return answers.shift()!;
      },
      1,
      (body) => {
        seen.push(body);
        if (answers.length === 0) controller.abort();
      },
      controller.signal,
    );
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    expect(sent).toEqual([1, 5, 9, 0]);
  });

  it('throws the first failure', async () => {
    const failing = () => Promise.reject(new Error('agent down'));
    await expect(followBlocking(failing, 1, () => undefined, new AbortController().signal)).rejects.toThrow(
      'agent down',
    );
  });
});
