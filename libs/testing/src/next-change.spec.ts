import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { iteratorEnds, nextChange, nextChangeMatching } from './next-change.js';

/** A hand-fed async iterator: `feed` resolves the oldest waiting read, `end` finishes it. */
function channel<T>() {
  const buffered: Array<IteratorResult<T>> = [];
  const waiting: Array<(result: IteratorResult<T>) => void> = [];
  const put = (result: IteratorResult<T>) => {
    const reader = waiting.shift();
    if (reader) reader(result);
    else buffered.push(result);
  };
  const iterator: AsyncIterator<T> = {
    next: () => {
      const result = buffered.shift();
      return result ? Promise.resolve(result) : new Promise((resolve) => waiting.push(resolve));
    },
  };
  return {
    iterator,
    feed: (value: T) => put({ value, done: false }),
    end: () => put({ value: undefined, done: true }),
  };
}

describe('nextChange', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('rejects at the deadline and hands the late item to the next call', async () => {
    const { iterator, feed } = channel<number>();
    const first = nextChange(iterator, 100);
    jest.advanceTimersByTime(100);
    await expect(first).rejects.toThrow(/timed out after 100 ms/);
    feed(7);
    await expect(nextChange(iterator, 100)).resolves.toBe(7);
  });

  it('rejects when the iterator ends', async () => {
    const { iterator, end } = channel<number>();
    end();
    await expect(nextChange(iterator)).rejects.toThrow(/ended/);
  });
});

describe('nextChangeMatching', () => {
  it('skips items until one matches', async () => {
    const { iterator, feed } = channel<number>();
    [1, 3, 4, 5].forEach(feed);
    await expect(nextChangeMatching(iterator, (item) => item % 2 === 0)).resolves.toBe(4);
    await expect(nextChange(iterator)).resolves.toBe(5);
  });

  it('reports what it skipped when nothing matches in time', async () => {
    jest.useFakeTimers();
    const { iterator, feed } = channel<number>();
    feed(1);
    const search = nextChangeMatching(iterator, (item) => item > 10, 50).catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(60);
    expect(String(await search)).toMatch(/no matching watch item within 50 ms; skipped 1 item\(s\), last: 1/);
    jest.useRealTimers();
  });
});

describe('iteratorEnds', () => {
  it('drains buffered items and reports the end', async () => {
    const { iterator, feed, end } = channel<number>();
    feed(1);
    end();
    await expect(iteratorEnds(iterator)).resolves.toBe(true);
  });

  it('reports false for an iterator still open at the deadline', async () => {
    jest.useFakeTimers();
    const { iterator } = channel<number>();
    const ends = iteratorEnds(iterator, 50);
    await jest.advanceTimersByTimeAsync(60);
    await expect(ends).resolves.toBe(false);
    jest.useRealTimers();
  });
});
