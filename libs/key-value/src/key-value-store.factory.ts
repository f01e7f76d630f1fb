import { MeshConfigError } from '@toskamesh/common';
import type { KeyValueModuleOptions, KeyValueProviderName } from './key-value-options.js';
import { validateKeyValueOptions } from './key-value-options.validation.js';
import { KeyValueStore } from './key-value-store.js';
import { instrumentStore } from './metrics/instrumented.store.js';
import { MemoryKeyValueStore } from './providers/memory/memory.store.js';
import { RedisKeyValueStore } from './providers/redis/redis.store.js';
import { ToskaStoreKeyValueStore } from './providers/toskastore/toskastore.store.js';

/** How each provider name becomes a store (the key prefix is shared by all). */
const PROVIDERS: Readonly<Record<KeyValueProviderName, (options: KeyValueModuleOptions) => KeyValueStore>> = {
  memory: (options) => new MemoryKeyValueStore({ ...options.memory, keyPrefix: options.keyPrefix }),
  redis: (options) => new RedisKeyValueStore({ ...options.redis, keyPrefix: options.keyPrefix }),
  toskastore: (options) =>
    new ToskaStoreKeyValueStore({ ...options.toskaStore, keyPrefix: options.keyPrefix }),
};

/** Every provider name `KeyValueModuleOptions.provider` accepts (any letter case). */
export const KEY_VALUE_PROVIDER_NAMES: readonly KeyValueProviderName[] = Object.keys(
  PROVIDERS,
) as KeyValueProviderName[];

/**
 * Builds the store `KeyValueModule` provides. A ready {@link KeyValueStore} passes through untouched
 * (not instrumented, not closed by the module). A provider name (case-insensitive, default `'memory'`)
 * selects the adapter, wrapped by `instrumentStore` so it reports metrics. Unknown names and bad
 * options throw {@link MeshConfigError} naming the key and what is allowed.
 */
export function createKeyValueStore(options: KeyValueModuleOptions = {}): KeyValueStore {
  const provider = options.provider ?? 'memory';
  if (isKeyValueStore(provider)) return provider;
  const name = resolveKeyValueProviderName(provider);
  validateKeyValueOptions(options);
  return instrumentStore(PROVIDERS[name](options), name);
}

/** Canonical provider name for `value` (`'Redis'` -> `'redis'`), or {@link MeshConfigError} listing the valid ones. */
export function resolveKeyValueProviderName(value: unknown): KeyValueProviderName {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  const match = KEY_VALUE_PROVIDER_NAMES.find((name) => name === text);
  if (!match) {
    throw new MeshConfigError('keyValue.provider', 'is not a known key/value provider', {
      value,
      allowed: 'Redis, ToskaStore, Memory (any case), or a KeyValueStore instance',
    });
  }
  return match;
}

/** True for a {@link KeyValueStore}, including one from a duplicate install of this package. */
export function isKeyValueStore(value: unknown): value is KeyValueStore {
  if (value instanceof KeyValueStore) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ['get', 'set', 'delete', 'getMany', 'keys', 'entries', 'close'].every(
    (method) => typeof candidate[method] === 'function',
  );
}
