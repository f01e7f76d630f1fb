export { KeyValueStore, type KeysOptions, type SetOptions } from './key-value-store.js';
export type {
  KeyValueModuleOptions,
  KeyValueProviderName,
  MemoryKeyValueOptions,
  RedisClusterOptions,
  RedisKeyValueOptions,
  RedisNodeAddress,
  RedisSentinelOptions,
  ToskaStoreKeyValueOptions,
} from './key-value-options.js';
export { KeyValueModule } from './key-value.module.js';
export {
  MESH_KEY_VALUE_MODULE_OPTIONS,
  type KeyValueModuleAsyncOptions,
  type KeyValueModuleForRootOptions,
} from './key-value.module-definition.js';
export {
  KEY_VALUE_PROVIDER_NAMES,
  createKeyValueStore,
  isKeyValueStore,
  resolveKeyValueProviderName,
} from './key-value-store.factory.js';
export { keyValueOptionsFromEnv } from './key-value-options.from-env.js';
export { KeyPrefix, DEFAULT_KEYS_LIMIT } from './keys/key-prefix.js';
export { decodeValue, encodeValue } from './codec/json.codec.js';
export { KeyValueHealthIndicator } from './health/key-value.health.js';
export { HEALTH_PROBE_KEY, isPingable, pingStore, type PingableStore } from './health/pingable-store.js';
export { InstrumentedKeyValueStore, instrumentStore } from './metrics/instrumented.store.js';
export {
  KV_OPERATIONS_TOTAL,
  KV_OPERATION_DURATION_SECONDS,
  type KeyValueOperation,
  type KeyValueOutcome,
} from './metrics/key-value.metrics.js';
export { MemoryKeyValueStore } from './providers/memory/memory.store.js';
export { RedisKeyValueStore } from './providers/redis/redis.store.js';
export { KeyValueSerializationError } from './errors/key-value-serialization.error.js';
export { KeyValueUnavailableError } from './errors/key-value-unavailable.error.js';
export {
  TOSKASTORE_ENTRIES_BOUND,
  ToskaStoreKeyValueStore,
} from './providers/toskastore/toskastore.store.js';
export type { ToskaStoreStoreOptions } from './providers/toskastore/toskastore.options.js';
export type { ToskaStoreResilienceOptions } from './providers/toskastore/toskastore-http.client.js';
export { KeyValueAccessDeniedError } from './providers/toskastore/key-value-access-denied.error.js';
