import type { Logger } from '@nestjs/common';
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { ioredis } from './ioredis-module.js';
import type { ResolvedRedisOptions } from '../../key-value-options.validation.js';
import type { RedisConnectionPlan } from './redis-connection.plan.js';

/** Either kind of ioredis client the store talks to. */
export type RedisClient = Redis | Cluster;

const CONNECTION_NAME = 'toskamesh-kv';

/**
 * Creates the ioredis client of `plan` (connecting lazily, on the first command). Commands are retried at
 * most once across a reconnect; connection errors are logged once per outage (ioredis reconnects on its
 * own) and calls fail with `KeyValueUnavailableError` meanwhile.
 */
export function createRedisClient(
  plan: RedisConnectionPlan,
  options: ResolvedRedisOptions,
  logger: Logger,
): RedisClient {
  const common: RedisOptions = {
    // Deadlines are enforced by the store (CommandDeadlines): ioredis's commandTimeout costs a timer per command.
    connectTimeout: Math.max(options.commandTimeoutMs, 1_000),
    connectionName: CONNECTION_NAME,
    maxRetriesPerRequest: 1,
    // No socket until the first command: building the module (or a unit test) opens nothing.
    lazyConnect: true,
    enableAutoPipelining: options.autoPipelining,
  };
  const client = newClient(plan, common);
  reportOutages(client, plan.mode, logger);
  return client;
}

function newClient(plan: RedisConnectionPlan, common: RedisOptions): RedisClient {
  const retryStrategy = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 5), 3_000);
  switch (plan.mode) {
    case 'standalone':
      return new (ioredis().Redis)(plan.url, { ...common, retryStrategy });
    case 'sentinel':
      return new (ioredis().Redis)({
        ...common,
        retryStrategy,
        sentinels: plan.sentinels,
        name: plan.name,
        db: plan.database,
        username: plan.username,
        password: plan.password,
        sentinelPassword: plan.sentinelPassword,
      });
    case 'cluster':
      return new (ioredis().Cluster)(plan.nodes, {
        // Keys of one getMany() live on many nodes; auto-pipelining batches the GETs per node.
        enableAutoPipelining: true,
        lazyConnect: true,
        clusterRetryStrategy: retryStrategy,
        redisOptions: { ...common, username: plan.username, password: plan.password },
      });
  }
}

function reportOutages(client: RedisClient, mode: string, logger: Logger): void {
  let reported = false;
  client.on('error', (error: Error) => {
    if (reported) return;
    reported = true;
    logger.warn(`Redis (${mode}) key/value connection failed: ${error.message} (retrying)`);
  });
  client.on('ready', () => {
    if (reported) logger.log(`Redis (${mode}) key/value connection restored`);
    reported = false;
  });
}

/**
 * Closes a client: a polite QUIT when connected (resolving once the socket has ended, bounded), else a
 * hard disconnect, which also cancels a pending reconnect.
 */
export async function closeRedisClient(client: RedisClient): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready' && client.status !== 'connect') {
    client.disconnect();
    return;
  }
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
  // QUIT resolves on the reply; the socket closes a moment later.
  let timer: NodeJS.Timeout | undefined;
  const forced = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      client.disconnect();
      resolve();
    }, 1_000);
    timer.unref();
  });
  await Promise.race([ended, forced]);
  clearTimeout(timer);
}

/** `SCAN MATCH` treats `* ? [ ] \` as glob syntax; escaped, a key prefix matches only itself. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
