import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { ServiceInstance } from '@toskamesh/common';
import type { RegistryChange } from '../../registry-change.js';
import { reconnectingWatch, type WatchOpener } from './discovery-watch.loop.js';

const instance = { serviceId: 'a-1', serviceName: 'a' } as ServiceInstance;
const snapshot = (index: number): RegistryChange => ({ type: 'snapshot', index, instances: [] });
const event = (index: number): RegistryChange => ({ type: 'register', index, instance });

/** An opener that plays one scripted connection per call: its changes, then an error or a clean end. */
function scripted(connections: { changes: RegistryChange[]; fail?: boolean }[]) {
  const calls: (number | undefined)[] = [];
  const open: WatchOpener = (fromIndex) => {
    calls.push(fromIndex);
    const script = connections[calls.length - 1] ?? { changes: [], fail: true };
    return (async function* () {
      yield* script.changes;
      if (script.fail) throw new Error(`connection ${calls.length} dropped`);
    })();
  };
  return { open, calls };
}

describe(reconnectingWatch.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('reconnects after a failure, resuming from the last index, and skips replayed events', async () => {
    const { open, calls } = scripted([
      { changes: [snapshot(3), event(4)], fail: true },
      { changes: [event(4), event(5)], fail: true },
    ]);
    const controller = new AbortController();
    const warn = jest.fn();
    const iterator = reconnectingWatch(open, {
      signal: controller.signal,
      logger: { warn },
      random: () => 1,
    });
    const seen: number[] = [];
    const consume = (async () => {
      for await (const change of iterator) {
        seen.push(change.index);
        if (seen.length === 3) controller.abort();
      }
    })();
    await jest.advanceTimersByTimeAsync(1000);
    await consume;
    expect(seen).toEqual([3, 4, 5]);
    expect(calls).toEqual([undefined, 4]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('connection 1 dropped'));
  });

  it('waits longer after each failure in a row and never throws', async () => {
    const { open, calls } = scripted([]);
    const controller = new AbortController();
    const iterator = reconnectingWatch(open, {
      signal: controller.signal,
      backoff: { initialMs: 100, maxMs: 1000, jitter: 'none' },
    });
    const consume = (async () => {
      for await (const _ of iterator) void _;
    })();
    await jest.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(100);
    expect(calls).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(199);
    expect(calls).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3);
    controller.abort();
    await expect(consume).resolves.toBeUndefined();
  });

  it('lets a snapshot reset the index, so events after a server restart pass', async () => {
    const { open } = scripted([{ changes: [snapshot(50), event(51)] }, { changes: [snapshot(2), event(3)] }]);
    const controller = new AbortController();
    const seen: string[] = [];
    const consume = (async () => {
      for await (const change of reconnectingWatch(open, { signal: controller.signal, random: () => 0 })) {
        seen.push(`${change.type}:${change.index}`);
        if (seen.length === 4) break;
      }
    })();
    await jest.advanceTimersByTimeAsync(10);
    await consume;
    expect(seen).toEqual(['snapshot:50', 'register:51', 'snapshot:2', 'register:3']);
  });

  it('ends while waiting to reconnect when the signal aborts', async () => {
    const { open, calls } = scripted([]);
    const controller = new AbortController();
    const iterator = reconnectingWatch(open, {
      signal: controller.signal,
      backoff: { initialMs: 60_000, jitter: 'none' },
    });
    const next = iterator.next();
    await jest.advanceTimersByTimeAsync(0);
    controller.abort();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
    expect(calls).toHaveLength(1);
  });
});
