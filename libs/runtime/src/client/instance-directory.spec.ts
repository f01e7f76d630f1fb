import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { ServiceRegistration } from '@toskamesh/common';
import { MemoryServiceRegistry, type RegistryChange, type WatchOptions } from '@toskamesh/registry';
import { InstanceDirectory } from './instance-directory.js';

/** A memory registry that remembers each watch's signal, and can be told to never answer a watch. */
class WatchSpyRegistry extends MemoryServiceRegistry {
  readonly signals: AbortSignal[] = [];
  silentWatch = false;

  override watch(serviceName?: string, options: WatchOptions = {}): AsyncIterable<RegistryChange> {
    if (options.signal) this.signals.push(options.signal);
    if (!this.silentWatch) return super.watch(serviceName, options);
    return { [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => undefined) }) };
  }
}

function registration(serviceId: string, healthCheck = false): ServiceRegistration {
  return {
    serviceName: 'orders',
    serviceId,
    address: '127.0.0.1',
    port: 8080,
    ...(healthCheck
      ? { healthCheck: { endpoint: '/h', intervalMs: 1000, timeoutMs: 500, unhealthyThreshold: 3 } }
      : {}),
  };
}

/** Resolves once queued watch deliveries ran. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe(InstanceDirectory.name, () => {
  let registry: WatchSpyRegistry;

  beforeEach(() => {
    registry = new WatchSpyRegistry();
  });

  afterEach(async () => {
    jest.useRealTimers();
    await registry.close();
  });

  describe('healthy', () => {
    it('returns the Healthy instances sorted by id and follows changes pushed by the watch', async () => {
      const directory = new InstanceDirectory(registry);
      await registry.register(registration('orders-b'));
      await registry.register(registration('orders-a'));
      await registry.register(registration('orders-c', true)); // Unknown until a heartbeat
      const ids = async () => (await directory.healthy('orders', 1000)).map((instance) => instance.serviceId);
      expect(await ids()).toEqual(['orders-a', 'orders-b']);

      await registry.heartbeat('orders-c', 'Healthy');
      await registry.deregister('orders-a');
      await flush();
      expect(directory.cached('orders')?.map((instance) => instance.serviceId)).toEqual([
        'orders-b',
        'orders-c',
      ]);

      await registry.heartbeat('orders-b', 'Unhealthy');
      await flush();
      expect(await ids()).toEqual(['orders-c']);
      directory.onApplicationShutdown();
    });

    it('falls back to a one-off query when the watch sends nothing in time', async () => {
      jest.useFakeTimers();
      registry.silentWatch = true;
      await registry.register(registration('orders-a'));
      const directory = new InstanceDirectory(registry);
      const pending = directory.healthy('orders', 500);
      await jest.advanceTimersByTimeAsync(500);
      expect((await pending).map((instance) => instance.serviceId)).toEqual(['orders-a']);
      expect(directory.cached('orders')).toHaveLength(1);
      directory.onApplicationShutdown();
    });
  });

  describe('cached', () => {
    it('is undefined until the first snapshot of that service', async () => {
      const directory = new InstanceDirectory(registry);
      expect(directory.cached('orders')).toBeUndefined();
      await directory.healthy('orders', 1000);
      expect(directory.cached('orders')).toEqual([]);
      directory.onApplicationShutdown();
    });
  });

  describe('onApplicationShutdown', () => {
    it('stops every watch and forgets the cache', async () => {
      const directory = new InstanceDirectory(registry);
      await directory.healthy('orders', 1000);
      await directory.healthy('billing', 1000);
      directory.onApplicationShutdown();
      expect(registry.signals.slice(-2).every((signal) => signal.aborted)).toBe(true);
      expect(directory.cached('orders')).toBeUndefined();
    });
  });
});
