import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { Bulkhead, bulkhead } from './bulkhead.js';
import { BulkheadRejectedError } from './errors/bulkhead-rejected.error.js';
import { execute } from './interceptor.js';

/** A call that ends when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const started = jest.fn();
  const call = async (_signal: AbortSignal) => {
    started();
    await opened;
    return 'done';
  };
  return { call, open, started };
}

describe(Bulkhead.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  describe('run', () => {
    it('runs at most maxConcurrent calls and refuses when the queue is full', async () => {
      const b = new Bulkhead({ name: 'orders', maxConcurrent: 2, maxQueue: 1 });
      const gates = [gate(), gate(), gate()];
      const running = gates.map((g) => execute(g.call, [bulkhead(b)]));
      await jest.advanceTimersByTimeAsync(0);
      expect(gates.map((g) => g.started.mock.calls.length)).toEqual([1, 1, 0]);
      expect([b.running, b.queued]).toEqual([2, 1]);
      const refused = await execute(async () => 'x', [bulkhead(b)]).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(BulkheadRejectedError);
      expect(refused).toMatchObject({
        code: 'MESH_RESILIENCE_BULKHEAD_FULL',
        retryable: true,
        reason: 'full',
      });
      gates[0]!.open();
      await jest.advanceTimersByTimeAsync(0);
      expect(gates[2]!.started).toHaveBeenCalled();
      gates[1]!.open();
      gates[2]!.open();
      await expect(Promise.all(running)).resolves.toEqual(['done', 'done', 'done']);
      expect([b.running, b.queued]).toEqual([0, 0]);
    });

    it('releases queued calls in arrival order', async () => {
      const b = new Bulkhead({ maxConcurrent: 1, maxQueue: 3 });
      const order: number[] = [];
      const first = gate();
      const running = [b.run(first.call, new AbortController().signal)];
      for (const n of [1, 2, 3])
        running.push(b.run(async () => (order.push(n), 'done'), new AbortController().signal));
      first.open();
      await Promise.all(running);
      expect(order).toEqual([1, 2, 3]);
    });

    it('refuses a queued call after queueTimeoutMs', async () => {
      const b = new Bulkhead({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 250 });
      const busy = gate();
      const running = b.run(busy.call, new AbortController().signal);
      const waiting = b.run(async () => 'late', new AbortController().signal).catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(249);
      expect(b.queued).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(await waiting).toMatchObject({ reason: 'queue-timeout' });
      expect(b.queued).toBe(0);
      busy.open();
      await running;
      expect(b.running).toBe(0);
    });

    it('takes an aborted waiter out of the queue and rejects it with the reason', async () => {
      const b = new Bulkhead({ maxConcurrent: 1, maxQueue: 2 });
      const busy = gate();
      const controller = new AbortController();
      const running = b.run(busy.call, new AbortController().signal);
      const leaving = b.run(async () => 'never', controller.signal).catch((e: unknown) => e);
      const staying = b.run(async () => 'stayed', new AbortController().signal);
      controller.abort(new Error('caller left'));
      expect(((await leaving) as Error).message).toBe('caller left');
      expect(b.queued).toBe(1);
      busy.open();
      await expect(staying).resolves.toBe('stayed');
      await running;
      expect([b.running, b.queued, jest.getTimerCount()]).toEqual([0, 0, 0]);
    });

    it('frees the slot when the call fails', async () => {
      const b = new Bulkhead({ maxConcurrent: 1 });
      await expect(
        b.run(async () => Promise.reject(new Error('x')), new AbortController().signal),
      ).rejects.toThrow('x');
      expect(b.running).toBe(0);
    });
  });

  it('rejects bad options with a MeshConfigError naming the key', () => {
    expect(() => new Bulkhead({ maxConcurrent: 0 })).toThrow(MeshConfigError);
    expect(() => new Bulkhead({ maxQueue: 1.5 })).toThrow(/bulkhead\.maxQueue/);
  });
});
