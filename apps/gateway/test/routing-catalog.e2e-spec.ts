import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import {
  MemoryServiceRegistry,
  RedisServiceRegistry,
  type RegistryChange,
  type ServiceRegistry,
  type WatchOptions,
} from '@toskamesh/registry';
import { deleteKeysUnder, eventually, killConnectionsNamed, REDIS_URL, uniqueName } from '@toskamesh/testing';
import { ServiceCatalog } from '../src/routing/service-catalog.js';

/** The 1 s the issue asks for, plus a 1 s allowance for a stall of the loaded CI machine. */
const WITHIN_MS = 2_000;

/** A memory registry whose open watches the test can cut, as a dropped connection would. */
class InterruptibleMemoryRegistry extends MemoryServiceRegistry {
  private readonly cuts = new Set<AbortController>();

  override watch(serviceName?: string, options: WatchOptions = {}): AsyncIterable<RegistryChange> {
    const cut = new AbortController();
    this.cuts.add(cut);
    const signal = options.signal ? AbortSignal.any([options.signal, cut.signal]) : cut.signal;
    return super.watch(serviceName, { signal });
  }

  interrupt(): void {
    for (const cut of this.cuts) cut.abort();
    this.cuts.clear();
  }
}

interface Backend {
  /** The registry the catalog follows. */
  watched: ServiceRegistry;
  /** Where the test registers (another process's connection for Redis). */
  writer(): ServiceRegistry;
  interrupt(): Promise<void>;
  close(): Promise<void>;
}

function memoryBackend(): Backend {
  const registry = new InterruptibleMemoryRegistry({ sweepIntervalMs: 50 });
  return {
    watched: registry,
    writer: () => registry,
    interrupt: async () => registry.interrupt(),
    close: () => registry.close(),
  };
}

function redisBackend(): Backend {
  const keyPrefix = uniqueName('test:gateway-catalog');
  const open: RedisServiceRegistry[] = [];
  const peer = () => {
    const registry = new RedisServiceRegistry({ url: REDIS_URL, keyPrefix, sweepIntervalMs: 50 });
    open.push(registry);
    return registry;
  };
  const watched = peer();
  let writer: RedisServiceRegistry | undefined;
  return {
    watched,
    writer: () => (writer ??= peer()),
    // Every connection of this mesh drops at once, as when Redis restarts.
    interrupt: async () => {
      expect(await killConnectionsNamed(keyPrefix)).toBeGreaterThan(0);
      writer = undefined;
    },
    close: async () => {
      await Promise.all(open.map((registry) => registry.close()));
      await deleteKeysUnder(keyPrefix);
    },
  };
}

const backends: Array<[string, () => Backend]> = [
  ['MemoryServiceRegistry', memoryBackend],
  ['RedisServiceRegistry', redisBackend],
];

describe.each(backends)(`${ServiceCatalog.name} following %s`, (_name, createBackend) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(): Promise<{ backend: Backend; catalog: ServiceCatalog; logger: SpyLogger }> {
    const backend = createBackend();
    cleanups.push(() => backend.close());
    const logger = spyLogger();
    const catalog = new ServiceCatalog(backend.watched, {
      reconnectDelayMs: 50,
      maxReconnectDelayMs: 500,
      logger,
    });
    cleanups.push(() => catalog.stop());
    await catalog.start();
    expect(catalog.isSynced).toBe(true);
    return { backend, catalog, logger };
  }

  const ids = (catalog: ServiceCatalog, service: string) =>
    catalog.instances(service)?.map((instance) => instance.serviceId);

  it('starts from the current instances, keyed case-insensitively', async () => {
    const backend = createBackend();
    cleanups.push(() => backend.close());
    const service = uniqueName('Orders');
    const existing = await backend
      .writer()
      .register({ serviceName: service, address: '127.0.0.1', port: 9001 });
    const catalog = new ServiceCatalog(backend.watched, { logger: spyLogger() });
    cleanups.push(() => catalog.stop());
    await catalog.start();
    expect(ids(catalog, service.toUpperCase())).toEqual([existing.serviceId]);
    expect(catalog.services()).toContain(service.toLowerCase());
  });

  it('shows a registered instance and forgets a deregistered one promptly', async () => {
    const { backend, catalog } = await setUp();
    const service = uniqueName('orders');
    const changes: string[] = [];
    catalog.onChange((name) => changes.push(name));
    expect(catalog.instances(service)).toBeUndefined();

    const instance = await backend
      .writer()
      .register({ serviceName: service, address: '127.0.0.1', port: 9002 });
    await eventually(() => expect(ids(catalog, service)).toEqual([instance.serviceId]), {
      timeoutMs: WITHIN_MS,
    });
    expect(changes).toContain(service);

    await backend.writer().deregister(instance.serviceId);
    await eventually(() => expect(catalog.instances(service)).toBeUndefined(), { timeoutMs: WITHIN_MS });
  });

  it('forgets an instance whose TTL lapsed', async () => {
    const { backend, catalog } = await setUp();
    const service = uniqueName('lapse');
    const writer = backend.writer();
    const keep = await writer.register({ serviceName: service, address: '127.0.0.1', port: 9003 });
    const lapse = await writer.register({
      serviceName: service,
      address: '127.0.0.1',
      port: 9004,
      ttlMs: 300,
    });
    await eventually(() => expect(ids(catalog, service)).toHaveLength(2), { timeoutMs: WITHIN_MS });
    // TTL + sweep period, then the 1 s bound for the change to reach the catalog.
    await eventually(() => expect(ids(catalog, service)).toEqual([keep.serviceId]), {
      timeoutMs: 350 + WITHIN_MS,
    });
    expect(ids(catalog, service)).not.toContain(lapse.serviceId);
  });

  it('excludes instances that are not Healthy and takes them back when they recover', async () => {
    const { backend, catalog } = await setUp();
    const service = uniqueName('health');
    const writer = backend.writer();
    const a = await writer.register({ serviceName: service, address: '127.0.0.1', port: 9005 });
    const b = await writer.register({ serviceName: service, address: '127.0.0.1', port: 9006 });
    // A registration with a health check starts Unknown: not routable until it reports Healthy.
    await writer.register({
      serviceName: service,
      address: '127.0.0.1',
      port: 9007,
      healthCheck: { endpoint: '/health', intervalMs: 10_000, timeoutMs: 1_000, unhealthyThreshold: 3 },
    });
    await eventually(() => expect(catalog.allInstances(service)).toHaveLength(3), { timeoutMs: WITHIN_MS });
    expect(ids(catalog, service)).toEqual([a.serviceId, b.serviceId].sort());

    await writer.heartbeat(a.serviceId, 'Unhealthy');
    await eventually(() => expect(ids(catalog, service)).toEqual([b.serviceId]), { timeoutMs: WITHIN_MS });
    await writer.heartbeat(b.serviceId, 'Degraded');
    await eventually(() => expect(catalog.instances(service)).toEqual([]), { timeoutMs: WITHIN_MS });
    await writer.heartbeat(a.serviceId, 'Healthy');
    await eventually(() => expect(ids(catalog, service)).toEqual([a.serviceId]), { timeoutMs: WITHIN_MS });
  });

  it('recovers after its watch is cut and catches up with what changed meanwhile', async () => {
    const { backend, catalog, logger } = await setUp();
    const service = uniqueName('resync');
    const before = await backend
      .writer()
      .register({ serviceName: service, address: '127.0.0.1', port: 9008 });
    await eventually(() => expect(ids(catalog, service)).toEqual([before.serviceId]), {
      timeoutMs: WITHIN_MS,
    });

    await backend.interrupt();
    // Registered and removed while the watch may be down: only a resync snapshot can carry these.
    const during = await eventually(
      () => backend.writer().register({ serviceName: service, address: '127.0.0.1', port: 9009 }),
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    await eventually(() => backend.writer().deregister(before.serviceId), {
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    await eventually(() => expect(ids(catalog, service)).toEqual([during.serviceId]), { timeoutMs: 10_000 });

    // And it keeps following live changes afterwards.
    const after = await backend.writer().register({ serviceName: service, address: '127.0.0.1', port: 9010 });
    await eventually(
      () => expect(ids(catalog, service)).toEqual([during.serviceId, after.serviceId].sort()),
      {
        timeoutMs: WITHIN_MS,
      },
    );
    expect(logger.warn.mock.calls.length).toBeLessThanOrEqual(1);
  });
});

type SpyLogger = LoggerService & { [K in 'log' | 'warn' | 'error']: jest.Mock };

function spyLogger(): SpyLogger {
  return { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
}
