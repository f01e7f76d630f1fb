import { describe, expect, it } from '@jest/globals';
import { ConcurrencyLimit } from './concurrency-limit.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe(ConcurrencyLimit.name, () => {
  describe('run', () => {
    it('runs at most `limit` tasks at once, the rest in arrival order', async () => {
      const limit = new ConcurrencyLimit(2);
      const gates = [deferred(), deferred(), deferred()];
      const order: number[] = [];
      const runs = gates.map((gate, i) =>
        limit.run(async () => {
          order.push(i);
          await gate.promise;
        }),
      );
      await Promise.resolve();
      expect([limit.active, limit.queued]).toEqual([2, 1]);
      gates[0]!.resolve();
      await runs[0];
      await Promise.resolve();
      expect(order).toEqual([0, 1, 2]);
      gates[1]!.resolve();
      gates[2]!.resolve();
      await Promise.all(runs);
      expect([limit.active, limit.queued]).toEqual([0, 0]);
    });

    it('drops a waiting task when its signal aborts', async () => {
      const limit = new ConcurrencyLimit(1);
      const gate = deferred();
      const running = limit.run(() => gate.promise);
      const controller = new AbortController();
      const waiting = limit.run(() => Promise.resolve('never'), controller.signal);
      controller.abort(new Error('shutdown'));
      await expect(waiting).rejects.toThrow('shutdown');
      expect(limit.queued).toBe(0);
      gate.resolve();
      await running;
      expect(limit.active).toBe(0);
    });
  });
});
