import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  RedisServiceRegistry,
  RegistryModule,
  RegistryUnavailableError,
  ServiceRegistry,
  type RegistryChange,
  type RegistryEvent,
} from '@toskamesh/registry';
import { eventually, nextChange, uniqueName } from '@toskamesh/testing';
import { Redis } from 'ioredis';
import { REDIS_URL, deleteKeysUnder } from '@toskamesh/testing';

const keyPrefix = uniqueName('test:shared');
const open: Array<{ close(): Promise<void> }> = [];
const watches: AbortController[] = [];

/** A registry with its own connections, as a separate process would have. */
function peer(sweepIntervalMs = 1_000): RedisServiceRegistry {
  const registry = new RedisServiceRegistry({ url: REDIS_URL, keyPrefix, sweepIntervalMs });
  open.push(registry);
  return registry;
}

function watch(registry: ServiceRegistry, serviceName?: string): AsyncIterator<RegistryChange> {
  const controller = new AbortController();
  watches.push(controller);
  return registry.watch(serviceName, { signal: controller.signal })[Symbol.asyncIterator]();
}

async function event(iterator: AsyncIterator<RegistryChange>): Promise<RegistryEvent> {
  const change = await nextChange(iterator, 5_000);
  if (change.type === 'snapshot') throw new Error('expected an event, got a snapshot');
  return change;
}

afterEach(() => {
  for (const controller of watches.splice(0)) controller.abort();
});
afterAll(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
  await deleteKeysUnder(keyPrefix);
});

describe(RedisServiceRegistry.name, () => {
  describe('watch', () => {
    it('sees changes made through another connection, in both directions', async () => {
      const [a, b] = [peer(), peer()];
      const name = uniqueName('orders');
      const seenByB = watch(b, name);
      const seenByA = watch(a, name);
      expect((await nextChange(seenByB)).type).toBe('snapshot');
      expect((await nextChange(seenByA)).type).toBe('snapshot');

      const instance = await a.register({ serviceName: name, address: '10.0.0.7', port: 9000, tags: [] });
      expect(await event(seenByB)).toMatchObject({
        type: 'register',
        instance: { serviceId: instance.serviceId },
      });
      expect((await b.instances(name)).map((item) => item.serviceId)).toEqual([instance.serviceId]);

      await b.heartbeat(instance.serviceId, 'Degraded');
      expect(await event(seenByB)).toMatchObject({ type: 'health', instance: { status: 'Degraded' } });
      await b.deregister(instance.serviceId);
      const seen = [await event(seenByA), await event(seenByA), await event(seenByA)];
      expect(seen.map((item) => item.type)).toEqual(['register', 'health', 'deregister']);
      expect(seen[0]!.instance.tags).toEqual([]);
    });

    it('emits a fresh snapshot after its subscriber connection is dropped', async () => {
      const [watcher, writer] = [peer(), peer()];
      const name = uniqueName('resync');
      const iterator = watch(watcher, name);
      expect(await nextChange(iterator)).toMatchObject({ type: 'snapshot', instances: [] });
      await killConnection(`toskamesh-registry-events:${keyPrefix}`);
      const instance = await writer.register({ serviceName: name, address: '10.0.0.8', port: 9001 });
      // The event was published while the subscriber was down, so only the resync snapshot can carry it.
      const resynced = await nextChange(iterator, 10_000);
      expect(resynced.type).toBe('snapshot');
      if (resynced.type !== 'snapshot') return;
      expect(resynced.instances.map((item) => item.serviceId)).toEqual([instance.serviceId]);
    });
  });

  describe('sweep', () => {
    it('announces each expiry exactly once while two processes sweep', async () => {
      const [a, b] = [peer(20), peer(20)];
      const name = uniqueName('lapse');
      const counts = await countEvents(async () => {
        for (let i = 0; i < 20; i += 1) {
          await (i % 2 ? a : b).register({
            serviceName: name,
            serviceId: `${name}-${i}`,
            address: '10.0.0.9',
            port: 9100 + i,
            ttlMs: 300,
          });
        }
        await eventually(async () => expect(await a.services()).not.toContain(name), { timeoutMs: 5_000 });
      }, name);
      await eventually(() => expect(counts.get('deregister:expired')).toBe(20), { timeoutMs: 5_000 });
      // Ten more sweep periods of both processes must not announce anything again.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(Object.fromEntries(counts)).toEqual({ register: 20, 'deregister:expired': 20 });
      await counts.stop();
    });
  });

  describe('errors', () => {
    it('fails calls with RegistryUnavailableError when Redis cannot be reached', async () => {
      const down = new RedisServiceRegistry({ url: 'redis://127.0.0.1:1', keyPrefix, commandTimeoutMs: 300 });
      open.push(down);
      await expect(down.services()).rejects.toBeInstanceOf(RegistryUnavailableError);
      const controller = new AbortController();
      const iterator = down.watch(undefined, { signal: controller.signal })[Symbol.asyncIterator]();
      const waiting = iterator.next();
      controller.abort();
      expect(await waiting).toEqual({ done: true, value: undefined });
    });
  });
});

describe(RegistryModule.name, () => {
  it('builds a Redis registry from forRootAsync and closes its connections on shutdown', async () => {
    @Module({ providers: [{ provide: 'REDIS_URL', useValue: REDIS_URL }], exports: ['REDIS_URL'] })
    class ConfigModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        RegistryModule.forRootAsync({
          imports: [ConfigModule],
          inject: ['REDIS_URL'],
          useFactory: (url: string) => ({ provider: 'Redis' as 'redis', redis: { url, keyPrefix } }),
        }),
      ],
    }).compile();
    const registry = moduleRef.get(ServiceRegistry);
    expect(registry).toBeInstanceOf(RedisServiceRegistry);
    expect(await registry.services()).toEqual(expect.any(Array));
    await moduleRef.close();
    await expect(registry.services()).rejects.toBeInstanceOf(RegistryUnavailableError);
  });
});

async function killConnection(name: string): Promise<void> {
  const admin = new Redis(REDIS_URL, { commandTimeout: 2_000 });
  try {
    const list = (await admin.client('LIST')) as string;
    const ids = list
      .split('\n')
      .filter((line) => line.includes(` name=${name} `))
      .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) await admin.client('KILL', 'ID', id);
  } finally {
    await admin.quit();
  }
}

/** Counts raw `<prefix>:events` messages about `serviceName` by type (and reason) while `work` runs and after. */
async function countEvents(
  work: () => Promise<void>,
  serviceName: string,
): Promise<Map<string, number> & { stop(): Promise<unknown> }> {
  const subscriber = new Redis(REDIS_URL, { commandTimeout: 2_000 });
  const counts = new Map<string, number>() as Map<string, number> & { stop(): Promise<unknown> };
  subscriber.on('message', (_channel: string, message: string) => {
    const wire = JSON.parse(message) as { type: string; reason: string; base: string };
    if ((JSON.parse(wire.base) as { serviceName: string }).serviceName !== serviceName) return;
    const key = wire.reason ? `${wire.type}:${wire.reason}` : wire.type;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  await subscriber.subscribe(`${keyPrefix}:events`);
  let stopped: Promise<unknown> | undefined;
  counts.stop = () => (stopped ??= subscriber.quit());
  open.push({ close: async () => void (await counts.stop()) });
  await work();
  return counts;
}
