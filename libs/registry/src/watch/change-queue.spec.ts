import { describe, expect, it, jest } from '@jest/globals';
import { ChangeQueue } from './change-queue.js';

describe(ChangeQueue.name, () => {
  describe('next', () => {
    it('returns buffered items in order, then waits for the next push', async () => {
      const queue = new ChangeQueue<number>();
      queue.push(1);
      queue.push(2);
      expect(await queue.next()).toEqual({ value: 1, done: false });
      expect(await queue.next()).toEqual({ value: 2, done: false });
      const waiting = queue.next();
      queue.push(3);
      expect(await waiting).toEqual({ value: 3, done: false });
    });
  });

  describe('close', () => {
    it('resolves waiting reads with done, drops the buffer and runs clean-ups once', async () => {
      const queue = new ChangeQueue<number>();
      const cleanup = jest.fn();
      queue.onClose(cleanup);
      const waiting = queue.next();
      queue.close();
      queue.close();
      queue.push(4);
      expect(await waiting).toEqual({ value: undefined, done: true });
      expect(await queue.next()).toEqual({ value: undefined, done: true });
      expect(cleanup).toHaveBeenCalledTimes(1);
      const late = jest.fn();
      queue.onClose(late);
      expect(late).toHaveBeenCalledTimes(1);
    });
  });

  describe('closeOn', () => {
    it('ends the queue when the signal aborts and detaches its listener', async () => {
      const controller = new AbortController();
      const queue = new ChangeQueue<number>();
      queue.closeOn(controller.signal);
      const waiting = queue.next();
      controller.abort();
      expect(await waiting).toEqual({ value: undefined, done: true });
      expect(queue.closed).toBe(true);
    });
  });

  describe('return', () => {
    it('ends the queue when a for-await loop breaks', async () => {
      const queue = new ChangeQueue<number>();
      queue.push(1);
      queue.push(2);
      for await (const item of queue) {
        expect(item).toBe(1);
        break;
      }
      expect(queue.closed).toBe(true);
    });
  });

  describe('push', () => {
    it('clears the buffer and calls onOverflow when more than maxBuffered items wait', async () => {
      const onOverflow = jest.fn(() => queue.push(100));
      const queue: ChangeQueue<number> = new ChangeQueue({ maxBuffered: 3, onOverflow });
      for (let i = 1; i <= 4; i += 1) queue.push(i);
      expect(onOverflow).toHaveBeenCalledTimes(1);
      expect(await queue.next()).toEqual({ value: 100, done: false });
    });
  });
});
