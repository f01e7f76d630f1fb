import { MeshConfigError, positiveMs } from '@toskamesh/common';
import type {
  MemoryRegistryOptions,
  RedisRegistryOptions,
  RegistryModuleOptions,
} from './registry-options.js';

/** Memory options with defaults applied and checked. */
export function resolveMemoryOptions(options: MemoryRegistryOptions = {}): Required<MemoryRegistryOptions> {
  return { sweepIntervalMs: positiveMs('registry.memory.sweepIntervalMs', options.sweepIntervalMs, 1_000) };
}

/** Redis options with defaults applied and checked. */
export function resolveRedisOptions(options: RedisRegistryOptions = {}): Required<RedisRegistryOptions> {
  const url = options.url ?? 'redis://127.0.0.1:6379';
  if (typeof url !== 'string' || !/^rediss?:\/\//i.test(url)) {
    throw new MeshConfigError('registry.redis.url', 'must be a Redis URL', {
      value: url,
      allowed: 'redis://host:port[/db] or rediss://...',
    });
  }
  const keyPrefix = options.keyPrefix ?? 'toskamesh:registry';
  if (typeof keyPrefix !== 'string' || keyPrefix.length === 0) {
    throw new MeshConfigError('registry.redis.keyPrefix', 'must be a non-empty string', { value: keyPrefix });
  }
  return {
    url,
    keyPrefix,
    commandTimeoutMs: positiveMs('registry.redis.commandTimeoutMs', options.commandTimeoutMs, 2_000),
    sweepIntervalMs: positiveMs('registry.redis.sweepIntervalMs', options.sweepIntervalMs, 1_000),
  };
}

/**
 * Checks the option groups this module resolves itself (memory, redis), so a bad value stops the app
 * at start-up with a message naming the key. The consul and discovery providers check their own
 * groups when they are constructed.
 */
export function validateRegistryOptions(options: RegistryModuleOptions): void {
  resolveMemoryOptions(options.memory);
  resolveRedisOptions(options.redis);
}
