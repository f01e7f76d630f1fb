import { describe, expect, it, jest } from '@jest/globals';
import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MESH_SERVICE_NAME, MeshConfigError } from '@toskamesh/common';
import { KeyValueHealthIndicator } from './health/key-value.health.js';
import { KeyValueModule, storeForService } from './key-value.module.js';
import type { KeyValueModuleOptions } from './key-value-options.js';
import { keyValueOptionsFromEnv } from './key-value-options.from-env.js';
import { KeyValueStore } from './key-value-store.js';
import { InstrumentedKeyValueStore } from './metrics/instrumented.store.js';
import { MemoryKeyValueStore } from './providers/memory/memory.store.js';
import { RedisKeyValueStore } from './providers/redis/redis.store.js';

const ENV = Symbol('ENV');

@Module({
  providers: [
    { provide: ENV, useValue: { Mesh__KeyValue__Provider: 'MEMORY', Mesh__Service__Name: 'orders' } },
  ],
  exports: [ENV],
})
class FakeConfigModule {}

@Injectable()
class Consumer {
  constructor(@Inject(KeyValueStore) readonly store: KeyValueStore) {}
}

@Module({ providers: [Consumer], exports: [Consumer] })
class FeatureModule {}

/** The adapter behind the module's metrics wrapper. */
function innerOf(store: KeyValueStore): KeyValueStore {
  return store instanceof InstrumentedKeyValueStore ? store.inner : store;
}

describe(KeyValueModule.name, () => {
  describe('forRoot', () => {
    it('provides an instrumented memory store by default, injectable anywhere when global', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [KeyValueModule.forRoot({}), FeatureModule],
      }).compile();
      const store = moduleRef.get(KeyValueStore);
      expect(store).toBeInstanceOf(InstrumentedKeyValueStore);
      expect(innerOf(store)).toBeInstanceOf(MemoryKeyValueStore);
      expect(moduleRef.get(Consumer).store).toBe(store);
      await store.set('k', { n: 1 });
      expect(await store.get('k')).toEqual({ n: 1 });
      await moduleRef.close();
    });

    it.each(['Redis', 'REDIS', ' redis '])(
      'reads the provider name %j case-insensitively',
      async (provider) => {
        const moduleRef = await Test.createTestingModule({
          imports: [KeyValueModule.forRoot({ provider: provider as KeyValueModuleOptions['provider'] })],
        }).compile();
        expect(innerOf(moduleRef.get(KeyValueStore))).toBeInstanceOf(RedisKeyValueStore);
        await moduleRef.close();
      },
    );

    it('defaults the key prefix to the service name provided by MeshRuntimeModule', async () => {
      // MeshRuntimeModule provides MESH_SERVICE_NAME from a global module; this stands in for it.
      @Global()
      @Module({
        providers: [{ provide: MESH_SERVICE_NAME, useValue: 'orders' }],
        exports: [MESH_SERVICE_NAME],
      })
      class ServiceNameModule {}
      const moduleRef = await Test.createTestingModule({
        imports: [ServiceNameModule, KeyValueModule.forRoot({})],
      }).compile();
      const store = moduleRef.get(KeyValueStore);
      await store.set('k', 1);
      const inner = innerOf(store) as unknown as { entriesByKey: Map<string, unknown> };
      expect([...inner.entriesByKey.keys()]).toEqual(['orders:k']);
      await moduleRef.close();
    });

    it('keeps an explicit key prefix over the service name', () => {
      const store = storeForService({ keyPrefix: 'mine' }, 'orders');
      expect((innerOf(store) as unknown as { prefix: { head: string } }).prefix.head).toBe('mine:');
    });

    it('applies the key prefix to the provider it builds', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [KeyValueModule.forRoot({ keyPrefix: 'svc' })],
      }).compile();
      const store = moduleRef.get(KeyValueStore);
      await store.set('k', 1);
      const inner = innerOf(store) as unknown as { entriesByKey: Map<string, unknown> };
      expect([...inner.entriesByKey.keys()]).toEqual(['svc:k']);
      await moduleRef.close();
    });

    it('closes the store it created when the app shuts down', async () => {
      const moduleRef = await Test.createTestingModule({ imports: [KeyValueModule.forRoot({})] }).compile();
      const close = jest.spyOn(innerOf(moduleRef.get(KeyValueStore)), 'close');
      await moduleRef.close();
      expect(close).toHaveBeenCalledTimes(1);
    });

    it('passes a KeyValueStore instance through and leaves closing it to its owner', async () => {
      const own = new MemoryKeyValueStore();
      const close = jest.spyOn(own, 'close');
      const moduleRef = await Test.createTestingModule({
        imports: [KeyValueModule.forRoot({ provider: own })],
      }).compile();
      expect(moduleRef.get(KeyValueStore)).toBe(own);
      await moduleRef.close();
      expect(close).not.toHaveBeenCalled();
      await own.close();
    });

    it('fails to start with a MeshConfigError listing the valid names for an unknown provider', async () => {
      const compile = Test.createTestingModule({
        imports: [KeyValueModule.forRoot({ provider: 'etcd' as KeyValueModuleOptions['provider'] })],
      }).compile();
      const error = await compile.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MeshConfigError);
      expect((error as MeshConfigError).key).toBe('keyValue.provider');
      expect((error as MeshConfigError).message).toMatch(/"etcd".*Redis, ToskaStore, Memory/);
    });

    it('fails to start when an option is out of range', async () => {
      const compile = Test.createTestingModule({
        imports: [KeyValueModule.forRoot({ memory: { sweepIntervalMs: -1 } })],
      }).compile();
      await expect(compile).rejects.toMatchObject({ key: 'keyValue.memory.sweepIntervalMs' });
    });

    it('is not global with isGlobal: false', async () => {
      const compile = Test.createTestingModule({
        imports: [KeyValueModule.forRoot({ isGlobal: false }), FeatureModule],
      }).compile();
      await expect(compile).rejects.toThrow(/KeyValueStore/);
    });
  });

  describe('forRootAsync', () => {
    it('builds the store from injected configuration mapped by keyValueOptionsFromEnv', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          KeyValueModule.forRootAsync({
            imports: [FakeConfigModule],
            inject: [ENV],
            useFactory: (env: Record<string, string>) => keyValueOptionsFromEnv(env),
          }),
          FeatureModule,
        ],
      }).compile();
      const store = moduleRef.get(KeyValueStore);
      expect(moduleRef.get(Consumer).store).toBe(store);
      await store.set('item', 'x');
      const inner = innerOf(store) as unknown as { entriesByKey: Map<string, unknown> };
      expect([...inner.entriesByKey.keys()]).toEqual(['orders:item']);
      await moduleRef.close();
    });

    it('exports the health indicator', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [KeyValueModule.forRootAsync({ useFactory: () => ({ provider: 'memory' as const }) })],
      }).compile();
      const health = moduleRef.get(KeyValueHealthIndicator);
      expect(await health.check()).toMatchObject({ 'key-value': { status: 'up', provider: 'memory' } });
      await moduleRef.close();
    });
  });
});
