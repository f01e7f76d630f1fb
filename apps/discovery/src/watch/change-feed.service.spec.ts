import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { HealthStatus, ServiceInstance } from '@toskamesh/common';
import { ServiceRegistry, type RegistryChange } from '@toskamesh/registry';
import { resolveDiscoveryOptions } from '../config/resolve-discovery-options.js';
import { ChangeFeed } from './change-feed.service.js';

/** A registry whose watch streams are fed by the test; each `watch()` call opens a new one. */
class ScriptedRegistry extends ServiceRegistry {
  readonly streams: Array<{ push(change: RegistryChange): void; fail(error: Error): void }> = [];

  override watch(): AsyncIterable<RegistryChange> {
    const items: Array<RegistryChange | Error> = [];
    let wake: (() => void) | undefined;
    const enqueue = (item: RegistryChange | Error) => {
      items.push(item);
      wake?.();
    };
    this.streams.push({ push: enqueue, fail: enqueue });
    return {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          while (items.length) {
            const item = items.shift()!;
            if (item instanceof Error) throw item;
            yield item;
          }
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    };
  }
  register = unused;
  deregister = unused;
  heartbeat = unused;
  updateMetadata = unused;
  instance = unused;
  services = unused;
  instances = unused;
}

function unused(): never {
  throw new Error('not used by ChangeFeed');
}

function instance(
  serviceId: string,
  serviceName = 'orders',
  status: HealthStatus = 'Healthy',
): ServiceInstance {
  return {
    serviceName,
    serviceId,
    address: '10.0.0.1',
    port: 80,
    scheme: 'http',
    status,
    metadata: {},
    tags: [],
    registeredAt: new Date(0),
    lastHeartbeatAt: null,
  };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe(ChangeFeed.name, () => {
  let registry: ScriptedRegistry;
  let feed: ChangeFeed;

  beforeEach(() => {
    registry = new ScriptedRegistry();
    feed = new ChangeFeed(registry, resolveDiscoveryOptions({ watch: { retainEvents: 2 } }));
  });

  afterEach(() => feed.onModuleDestroy());

  describe('onModuleInit', () => {
    it('follows the registry: ready after the first snapshot, then keeps the current instances', async () => {
      feed.onModuleInit();
      let ready = false;
      void feed.ready().then(() => (ready = true));
      await flush();
      expect(ready).toBe(false);
      registry.streams[0]!.push({ type: 'snapshot', index: 4, instances: [instance('a')] });
      registry.streams[0]!.push({ type: 'register', index: 5, instance: instance('b', 'billing') });
      await flush();
      expect(ready).toBe(true);
      expect(feed.index).toBe(5);
      expect(feed.snapshot().instances.map((i) => i.serviceId)).toEqual(['a', 'b']);
      expect(feed.snapshot('billing').instances.map((i) => i.serviceId)).toEqual(['b']);
    });

    it('re-opens a failed watch after a back-off and resyncs from its snapshot', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate'] });
      try {
        feed.onModuleInit();
        registry.streams[0]!.push({ type: 'snapshot', index: 1, instances: [instance('a')] });
        await flush();
        registry.streams[0]!.fail(new Error('connection reset'));
        await flush();
        expect(registry.streams).toHaveLength(1);
        await jest.advanceTimersByTimeAsync(5000);
        expect(registry.streams).toHaveLength(2);
        registry.streams[1]!.push({ type: 'snapshot', index: 9, instances: [instance('c')] });
        await flush();
        expect(feed.snapshot().instances.map((i) => i.serviceId)).toEqual(['c']);
        expect(feed.startFrom(1)).toMatchObject({ kind: 'snapshot' });
      } finally {
        jest.useRealTimers();
      }
    });
  });

  describe('startFrom', () => {
    it('replays retained events of the service after the index, else gives a snapshot', () => {
      feed.apply({ type: 'snapshot', index: 0, instances: [] });
      feed.apply({ type: 'register', index: 1, instance: instance('a') });
      feed.apply({ type: 'register', index: 2, instance: instance('x', 'billing') });
      feed.apply({ type: 'health', index: 3, instance: instance('a', 'orders', 'Unhealthy') });
      expect(feed.startFrom(1, 'orders')).toEqual({
        kind: 'replay',
        events: [expect.objectContaining({ index: 3, type: 'health' })],
      });
      expect(feed.startFrom(0)).toMatchObject({ kind: 'snapshot', snapshot: { index: 3 } });
      expect(feed.startFrom(undefined, 'orders')).toMatchObject({
        kind: 'snapshot',
        snapshot: { index: 3, instances: [expect.objectContaining({ serviceId: 'a', status: 'Unhealthy' })] },
      });
      expect(feed.startFrom(99)).toMatchObject({ kind: 'snapshot' });
    });
  });

  describe('apply', () => {
    it('gives a repeated or lower index the next number so indexes keep growing', () => {
      const seen: number[] = [];
      feed.subscribe((change) => seen.push(change.index));
      feed.apply({ type: 'snapshot', index: 5, instances: [] });
      feed.apply({ type: 'register', index: 5, instance: instance('a') });
      feed.apply({ type: 'register', index: 2, instance: instance('b') });
      feed.apply({ type: 'snapshot', index: 1, instances: [] });
      expect(seen).toEqual([5, 6, 7, 7]);
    });

    it('keeps delivering to the other listeners when one throws', () => {
      const good = jest.fn();
      feed.subscribe(() => {
        throw new Error('bad listener');
      });
      feed.subscribe(good);
      feed.apply({ type: 'snapshot', index: 0, instances: [] });
      expect(good).toHaveBeenCalledTimes(1);
    });
  });
});
