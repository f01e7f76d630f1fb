import { describe, expect, it, jest } from '@jest/globals';
import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MeshConfigError } from '@toskamesh/common';
import { MemoryServiceRegistry } from './providers/memory/memory.registry.js';
import { RegistryModule } from './registry.module.js';
import type { RegistryModuleOptions } from './registry-options.js';
import { ServiceRegistry } from './service-registry.js';

const SWEEP_MS = Symbol('SWEEP_MS');

@Module({ providers: [{ provide: SWEEP_MS, useValue: 250 }], exports: [SWEEP_MS] })
class FakeConfigModule {}

@Injectable()
class Consumer {
  constructor(@Inject(ServiceRegistry) readonly registry: ServiceRegistry) {}
}

@Module({ providers: [Consumer], exports: [Consumer] })
class FeatureModule {}

describe(RegistryModule.name, () => {
  describe('forRoot', () => {
    it('provides a memory registry by default, injectable anywhere when global', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [RegistryModule.forRoot({}), FeatureModule],
      }).compile();
      const registry = moduleRef.get(ServiceRegistry);
      expect(registry).toBeInstanceOf(MemoryServiceRegistry);
      expect(moduleRef.get(Consumer).registry).toBe(registry);
      await registry.register({ serviceName: 'orders', address: '10.0.0.1', port: 80 });
      expect(await registry.services()).toEqual(['orders']);
      await moduleRef.close();
    });

    it('reads the provider name case-insensitively', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [RegistryModule.forRoot({ provider: 'MEMORY' as RegistryModuleOptions['provider'] })],
      }).compile();
      expect(moduleRef.get(ServiceRegistry)).toBeInstanceOf(MemoryServiceRegistry);
      await moduleRef.close();
    });

    it('closes the registry it created when the app shuts down', async () => {
      const moduleRef = await Test.createTestingModule({ imports: [RegistryModule.forRoot({})] }).compile();
      const close = jest.spyOn(moduleRef.get(ServiceRegistry), 'close');
      await moduleRef.close();
      expect(close).toHaveBeenCalledTimes(1);
    });

    it('passes a ServiceRegistry instance through and leaves closing it to its owner', async () => {
      const own = new MemoryServiceRegistry();
      const close = jest.spyOn(own, 'close');
      const moduleRef = await Test.createTestingModule({
        imports: [RegistryModule.forRoot({ provider: own })],
      }).compile();
      expect(moduleRef.get(ServiceRegistry)).toBe(own);
      await moduleRef.close();
      expect(close).not.toHaveBeenCalled();
      await own.close();
    });

    it('fails to start with a MeshConfigError listing the valid names for an unknown provider', async () => {
      const compile = Test.createTestingModule({
        imports: [RegistryModule.forRoot({ provider: 'zookeeper' as RegistryModuleOptions['provider'] })],
      }).compile();
      const error = await compile.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MeshConfigError);
      expect((error as MeshConfigError).message).toMatch(/"zookeeper".*memory, redis, consul, discovery/);
      expect((error as MeshConfigError).key).toBe('registry.provider');
    });

    it('fails to start when an interval is not positive', async () => {
      const compile = Test.createTestingModule({
        imports: [RegistryModule.forRoot({ memory: { sweepIntervalMs: 0 } })],
      }).compile();
      await expect(compile).rejects.toMatchObject({ key: 'registry.memory.sweepIntervalMs' });
    });
  });

  describe('forRootAsync', () => {
    it('builds the options from an injected config value', async () => {
      const useFactory = jest.fn((sweepIntervalMs: number) => ({
        provider: 'memory' as const,
        memory: { sweepIntervalMs },
      }));
      const moduleRef = await Test.createTestingModule({
        imports: [
          RegistryModule.forRootAsync({ imports: [FakeConfigModule], inject: [SWEEP_MS], useFactory }),
          FeatureModule,
        ],
      }).compile();
      expect(useFactory).toHaveBeenCalledWith(250);
      expect(moduleRef.get(Consumer).registry).toBeInstanceOf(MemoryServiceRegistry);
      await moduleRef.close();
    });

    it('keeps the registry private to the importing module when isGlobal is false', async () => {
      const compile = Test.createTestingModule({
        imports: [RegistryModule.forRootAsync({ isGlobal: false, useFactory: () => ({}) }), FeatureModule],
      }).compile();
      await expect(compile).rejects.toThrow(/ServiceRegistry/);
    });
  });
});
