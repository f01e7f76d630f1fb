import type { Logger } from '@nestjs/common';
import { deferredRequire } from '@toskamesh/common';
import type * as IORedis from 'ioredis';
import type { Redis } from 'ioredis';
import { RegistryUnavailableError } from '../../errors/registry-unavailable.error.js';
import type { RedisRegistryOptions } from '../../registry-options.js';

/** ioredis, required when the first connection opens rather than when the registry package is imported. */
const ioredis = deferredRequire<typeof IORedis>(import.meta.url, 'ioredis');

/**
 * Opens an ioredis connection with the registry's command timeout. Connection errors are logged
 * once per outage (ioredis reconnects on its own); calls fail with {@link RegistryUnavailableError}.
 */
export function createRedisClient(
  options: Required<RedisRegistryOptions>,
  role: 'commands' | 'events',
  logger: Logger,
): Redis {
  const client = new (ioredis().Redis)(options.url, {
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: Math.max(options.commandTimeoutMs, 1_000),
    connectionName: `toskamesh-registry-${role}:${options.keyPrefix}`.replace(/[^\w:.-]/g, '_'),
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 3_000),
  });
  let reported = false;
  client.on('error', (error: Error) => {
    if (reported) return;
    reported = true;
    logger.warn(`Redis registry ${role} connection failed: ${error.message} (retrying)`);
  });
  client.on('ready', () => {
    if (reported) logger.log(`Redis registry ${role} connection restored`);
    reported = false;
  });
  return client;
}

/** Runs one Redis call, turning any failure into {@link RegistryUnavailableError}. */
export async function redisCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new RegistryUnavailableError('redis', `${what} failed: ${message}`, error);
  }
}

/** Closes a connection: a polite QUIT, or a hard disconnect when that fails or hangs. */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
