import { MeshConfigError, positiveMs, wholeNumber } from '@toskamesh/common';
import type {
  KeyValueModuleOptions,
  MemoryKeyValueOptions,
  RedisKeyValueOptions,
} from './key-value-options.js';

/** Memory options with defaults applied and checked. */
export function resolveMemoryOptions(options: MemoryKeyValueOptions = {}): Required<MemoryKeyValueOptions> {
  return { sweepIntervalMs: positiveMs('keyValue.memory.sweepIntervalMs', options.sweepIntervalMs, 1_000) };
}

/** Redis options after the checks every connection mode shares (the URL is checked when it is parsed). */
export interface ResolvedRedisOptions extends RedisKeyValueOptions {
  url: string;
  commandTimeoutMs: number;
  scanCount: number;
  batchSize: number;
}

/** Redis options with defaults applied and checked. */
export function resolveRedisOptions(options: RedisKeyValueOptions = {}): ResolvedRedisOptions {
  const url = options.url ?? 'redis://127.0.0.1:6379';
  if (typeof url !== 'string') {
    throw new MeshConfigError('keyValue.redis.url', 'must be a string', { value: url });
  }
  if (options.database !== undefined) wholeNumber('keyValue.redis.database', options.database, 0, 0);
  return {
    ...options,
    url,
    commandTimeoutMs: positiveMs('keyValue.redis.commandTimeoutMs', options.commandTimeoutMs, 2_000),
    autoPipelining: options.autoPipelining ?? false,
    scanCount: wholeNumber('keyValue.redis.scanCount', options.scanCount, 500, 1),
    batchSize: wholeNumber('keyValue.redis.batchSize', options.batchSize, 500, 1),
  };
}

/**
 * Checks the module-level options and the groups this package resolves itself, so a bad value stops
 * the app at start-up with a message naming the key. The ToskaStore provider checks its own group.
 */
export function validateKeyValueOptions(options: KeyValueModuleOptions): void {
  if (options.keyPrefix !== undefined && typeof options.keyPrefix !== 'string') {
    throw new MeshConfigError('keyValue.keyPrefix', 'must be a string', {
      value: options.keyPrefix,
      allowed: 'any string; empty for no prefix',
    });
  }
  positiveMs('keyValue.healthTimeoutMs', options.healthTimeoutMs, 2_000);
  resolveMemoryOptions(options.memory);
}
