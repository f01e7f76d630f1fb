import { MeshConfigError } from '@toskamesh/common';
import { ConsulServiceRegistry } from './providers/consul/consul.registry.js';
import { DiscoveryServiceRegistry } from './providers/discovery/discovery.registry.js';
import { MemoryServiceRegistry } from './providers/memory/memory.registry.js';
import { RedisServiceRegistry } from './providers/redis/redis.registry.js';
import type { RegistryModuleOptions, RegistryProviderName } from './registry-options.js';
import { validateRegistryOptions } from './registry-options.validation.js';
import { ServiceRegistry } from './service-registry.js';

/** How each provider name becomes a registry. */
const PROVIDERS: Readonly<Record<RegistryProviderName, (options: RegistryModuleOptions) => ServiceRegistry>> =
  {
    memory: (options) => new MemoryServiceRegistry(options.memory),
    redis: (options) => new RedisServiceRegistry(options.redis),
    consul: (options) => new ConsulServiceRegistry(options.consul ?? {}),
    discovery: (options) => {
      const discovery = options.discovery;
      if (!discovery || typeof discovery.url !== 'string' || discovery.url.trim() === '') {
        throw new MeshConfigError('registry.discovery.url', 'is required when the provider is "discovery"', {
          value: discovery?.url,
          allowed: 'the discovery service URL, e.g. http://127.0.0.1:5010 (gRPC: 127.0.0.1:5011)',
        });
      }
      return new DiscoveryServiceRegistry(discovery);
    },
  };

/** Every provider name `RegistryModuleOptions.provider` accepts (any letter case). */
export const REGISTRY_PROVIDER_NAMES: readonly RegistryProviderName[] = Object.keys(
  PROVIDERS,
) as RegistryProviderName[];

/**
 * Builds the registry `RegistryModule` provides: a ready {@link ServiceRegistry} passes through; a
 * provider name (case-insensitive, default `'memory'`) selects the adapter. Unknown names and bad
 * options throw {@link MeshConfigError} naming the key and what is allowed.
 */
export function createServiceRegistry(options: RegistryModuleOptions = {}): ServiceRegistry {
  const provider = options.provider ?? 'memory';
  if (isServiceRegistry(provider)) return provider;
  const name = resolveProviderName(provider);
  validateRegistryOptions(options);
  return PROVIDERS[name](options);
}

/** Canonical provider name for `value`, or {@link MeshConfigError} listing the valid ones. */
export function resolveProviderName(value: unknown): RegistryProviderName {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  const match = REGISTRY_PROVIDER_NAMES.find((name) => name === text);
  if (!match) {
    throw new MeshConfigError('registry.provider', 'is not a known registry provider', {
      value,
      allowed: `${REGISTRY_PROVIDER_NAMES.join(', ')} (any case), or a ServiceRegistry instance`,
    });
  }
  return match;
}

/** True for a {@link ServiceRegistry}, including one from a duplicate install of this package. */
export function isServiceRegistry(value: unknown): value is ServiceRegistry {
  if (value instanceof ServiceRegistry) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ['register', 'deregister', 'heartbeat', 'instances', 'watch', 'close'].every(
    (method) => typeof candidate[method] === 'function',
  );
}
