export { ServiceRegistry, type InstanceQuery, type WatchOptions } from './service-registry.js';
export type { RegistryChange, RegistryEvent, RegistrySnapshot } from './registry-change.js';
export type {
  ConsulRegistryOptions,
  DiscoveryRegistryOptions,
  MemoryRegistryOptions,
  RedisRegistryOptions,
  RegistryModuleOptions,
  RegistryProviderName,
} from './registry-options.js';
export { RegistryModule } from './registry.module.js';
export {
  MESH_REGISTRY_MODULE_OPTIONS,
  type RegistryModuleAsyncOptions,
  type RegistryModuleForRootOptions,
} from './registry.module-definition.js';
export {
  REGISTRY_PROVIDER_NAMES,
  createServiceRegistry,
  isServiceRegistry,
} from './service-registry.factory.js';
export { ServiceNotRegisteredError } from './errors/service-not-registered.error.js';
export { RegistryUnavailableError } from './errors/registry-unavailable.error.js';
export { MemoryServiceRegistry } from './providers/memory/memory.registry.js';
export { RedisServiceRegistry } from './providers/redis/redis.registry.js';
export { ConsulServiceRegistry } from './providers/consul/consul.registry.js';
export { DiscoveryServiceRegistry } from './providers/discovery/discovery.registry.js';
export { DISCOVERY_PROTO_PATH } from './discovery-proto.js';
export { RegistryAccessDeniedError } from './errors/registry-access-denied.error.js';
