import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { ConsulServiceRegistry } from './providers/consul/consul.registry.js';
import { DiscoveryServiceRegistry } from './providers/discovery/discovery.registry.js';
import { MemoryServiceRegistry } from './providers/memory/memory.registry.js';
import type { RegistryModuleOptions } from './registry-options.js';
import {
  REGISTRY_PROVIDER_NAMES,
  createServiceRegistry,
  isServiceRegistry,
  resolveProviderName,
} from './service-registry.factory.js';

describe('createServiceRegistry', () => {
  it('builds a memory registry by default', async () => {
    const registry = createServiceRegistry();
    expect(registry).toBeInstanceOf(MemoryServiceRegistry);
    await registry.close();
  });

  it.each([
    ['Consul', ConsulServiceRegistry],
    ['DISCOVERY', DiscoveryServiceRegistry],
  ])('maps %s to its provider class', async (provider, type) => {
    const options = { provider, discovery: { url: 'http://127.0.0.1:5010' } } as RegistryModuleOptions;
    const registry = createServiceRegistry(options);
    expect(registry).toBeInstanceOf(type);
    await registry.close();
  });

  it('passes a ServiceRegistry instance through untouched', async () => {
    const own = new MemoryServiceRegistry();
    expect(createServiceRegistry({ provider: own, memory: { sweepIntervalMs: -1 } })).toBe(own);
    await own.close();
  });

  it('requires a discovery URL for the discovery provider', () => {
    expect(() => createServiceRegistry({ provider: 'discovery' })).toThrow(/registry\.discovery\.url/);
    const blank = { provider: 'discovery', discovery: { url: ' ' } } as const;
    expect(() => createServiceRegistry(blank)).toThrow(MeshConfigError);
  });
});

describe('resolveProviderName', () => {
  it('accepts every provider name in any case', () => {
    expect(REGISTRY_PROVIDER_NAMES).toEqual(['memory', 'redis', 'consul', 'discovery']);
    expect(resolveProviderName(' Redis ')).toBe('redis');
  });

  it('throws a MeshConfigError listing the valid names for an unknown one', () => {
    expect(() => resolveProviderName('etcd')).toThrow(
      'Configuration "registry.provider" is not a known registry provider (got "etcd").',
    );
    expect(() => resolveProviderName(42)).toThrow(/memory, redis, consul, discovery/);
  });
});

describe('isServiceRegistry', () => {
  it('recognises a registry from a duplicate install by its methods', () => {
    const lookalike = Object.fromEntries(
      ['register', 'deregister', 'heartbeat', 'instances', 'watch', 'close'].map((name) => [
        name,
        () => undefined,
      ]),
    );
    expect(isServiceRegistry(lookalike)).toBe(true);
    expect(isServiceRegistry({ register: () => undefined })).toBe(false);
    expect(isServiceRegistry('memory')).toBe(false);
  });
});
