import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import type { HealthStatus, ServiceInstance } from '@toskamesh/common';
import type { RegistryChange, ServiceRegistry, WatchOptions } from '@toskamesh/registry';
import { ServiceCatalog } from './service-catalog.js';
import { testInstance } from '../../test/upstream-fixtures.js';

type Item = RegistryChange | Error | 'end';

/** One watch stream whose items the test pushes; ends when its signal aborts, like a real provider. */
class ScriptedWatch {
  private readonly items: Item[] = [];
  private wake?: () => void;
  constructor(private readonly signal?: AbortSignal) {
    signal?.addEventListener('abort', () => this.wake?.());
  }
  push(...items: Item[]): void {
    this.items.push(...items);
    this.wake?.();
  }
  async *iterate(): AsyncGenerator<RegistryChange> {
    while (!this.signal?.aborted) {
      const item = this.items.shift();
      if (item === undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      if (item === 'end') return;
      if (item instanceof Error) throw item;
      yield item;
    }
  }
}

class ScriptedRegistry {
  readonly watches: ScriptedWatch[] = [];
  readonly names: Array<string | undefined> = [];
  watch(serviceName?: string, options?: WatchOptions): AsyncIterable<RegistryChange> {
    const watch = new ScriptedWatch(options?.signal);
    this.watches.push(watch);
    this.names.push(serviceName);
    return watch.iterate();
  }
  get last(): ScriptedWatch {
    return this.watches.at(-1)!;
  }
}

const instance = (
  serviceName: string,
  serviceId: string,
  status: HealthStatus = 'Healthy',
): ServiceInstance => testInstance(serviceId, { serviceName, status });

function fakeLogger(): LoggerService & { [K in 'log' | 'warn' | 'error']: jest.Mock } {
  return { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
}

const flush = () => jest.advanceTimersByTimeAsync(0);

describe(ServiceCatalog.name, () => {
  let registry: ScriptedRegistry;
  let logger: ReturnType<typeof fakeLogger>;
  let catalog: ServiceCatalog;

  beforeEach(() => {
    jest.useFakeTimers();
    registry = new ScriptedRegistry();
    logger = fakeLogger();
    catalog = new ServiceCatalog(registry as unknown as ServiceRegistry, {
      reconnectDelayMs: 100,
      maxReconnectDelayMs: 1_000,
      logger,
    });
  });
  afterEach(async () => {
    await catalog.stop();
    jest.useRealTimers();
  });

  async function started(instances: ServiceInstance[] = []): Promise<void> {
    const starting = catalog.start();
    await flush();
    registry.last.push({ type: 'snapshot', index: 1, instances });
    await starting;
  }

  describe('start', () => {
    it('watches every service and resolves after the first snapshot', async () => {
      await started([instance('Orders', 'o-1')]);
      expect(registry.names).toEqual([undefined]);
      expect(catalog.isSynced).toBe(true);
      expect(catalog.instances('orders')!.map((item) => item.serviceId)).toEqual(['o-1']);
      expect(catalog.services()).toEqual(['orders']);
      expect(logger.warn).not.toHaveBeenCalled();
    });

    it('resolves with a warning when no snapshot comes in time, and fills in later', async () => {
      let done = false;
      const starting = catalog.start().then(() => (done = true));
      await jest.advanceTimersByTimeAsync(4_900);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(200);
      await starting;
      expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('No registry snapshot'));
      expect(catalog.instances('a')).toBeUndefined();
      registry.last.push({ type: 'snapshot', index: 1, instances: [instance('a', 'a-1')] });
      await flush();
      expect(catalog.instances('a')).toHaveLength(1);
    });

    it('opens one watch when called twice', async () => {
      await started();
      await catalog.start();
      expect(registry.watches).toHaveLength(1);
    });
  });

  describe('onChange', () => {
    it('tells listeners which service changed, until they unsubscribe', async () => {
      await started([instance('a', 'a-1')]);
      const seen: string[] = [];
      const off = catalog.onChange((service) => seen.push(service));
      registry.last.push({ type: 'register', index: 2, instance: instance('B', 'b-1') });
      registry.last.push({ type: 'health', index: 3, instance: instance('a', 'a-1', 'Unhealthy') });
      await flush();
      expect(seen).toEqual(['b', 'a']);
      expect(catalog.instances('a')).toEqual([]);
      expect(catalog.lastIndex).toBe(3);
      off();
      registry.last.push({ type: 'deregister', index: 4, instance: instance('b', 'b-1') });
      await flush();
      expect(seen).toEqual(['b', 'a']);
      expect(catalog.instances('b')).toBeUndefined();
    });

    it('logs a failing listener and keeps notifying the others', async () => {
      await started();
      const seen: string[] = [];
      catalog.onChange(() => {
        throw new Error('boom');
      });
      catalog.onChange((service) => seen.push(service));
      registry.last.push({ type: 'register', index: 2, instance: instance('a', 'a-1') });
      await flush();
      expect(seen).toEqual(['a']);
      expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('boom'));
    });
  });

  describe('reconnecting', () => {
    it('re-opens a watch that ended, keeping the last instances meanwhile', async () => {
      await started([instance('a', 'a-1')]);
      registry.last.push('end');
      await flush();
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(catalog.instances('a')).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(100);
      expect(registry.watches).toHaveLength(2);
      registry.last.push({ type: 'snapshot', index: 5, instances: [instance('a', 'a-2')] });
      await flush();
      expect(catalog.instances('a')!.map((item) => item.serviceId)).toEqual(['a-2']);
      expect(logger.log).toHaveBeenCalledWith(expect.stringContaining('restored'));
    });

    it('backs off, capped, and logs the outage once while the watch keeps failing', async () => {
      await started();
      for (let attempt = 0; attempt < 8; attempt += 1) {
        registry.last.push(new Error('connection refused'));
        await flush();
        const before = registry.watches.length;
        await jest.advanceTimersByTimeAsync(1_000);
        expect(registry.watches).toHaveLength(before + 1);
      }
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('connection refused'));
    });

    it('grows the pause between attempts', async () => {
      await started();
      registry.last.push('end');
      await jest.advanceTimersByTimeAsync(100);
      expect(registry.watches).toHaveLength(2);
      registry.last.push('end');
      await jest.advanceTimersByTimeAsync(99);
      // The second pause is at least half of 200 ms.
      expect(registry.watches).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(101);
      expect(registry.watches).toHaveLength(3);
    });

    it('re-opens a watch that threw before its first item', async () => {
      const failing = new ServiceCatalog(
        {
          watch: () => {
            throw new Error('not connected');
          },
        } as unknown as ServiceRegistry,
        { reconnectDelayMs: 100, startTimeoutMs: 1_000, logger },
      );
      const starting = failing.start();
      await jest.advanceTimersByTimeAsync(1_000);
      await starting;
      expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('not connected'));
      expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('No registry snapshot'));
      await failing.stop();
    });
  });

  describe('stop', () => {
    it('aborts the watch, ends the loop and can be called twice', async () => {
      await started();
      await catalog.stop();
      await catalog.stop();
      await jest.advanceTimersByTimeAsync(10_000);
      expect(registry.watches).toHaveLength(1);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('releases a start still waiting for its snapshot', async () => {
      const starting = catalog.start();
      await flush();
      await catalog.stop();
      await starting;
      expect(logger.warn).not.toHaveBeenCalled();
    });

    it('stops during a back-off pause without opening another watch', async () => {
      await started();
      registry.last.push('end');
      await flush();
      await catalog.stop();
      await jest.advanceTimersByTimeAsync(5_000);
      expect(registry.watches).toHaveLength(1);
    });
  });
});
