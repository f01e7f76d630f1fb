import type { LoggerService } from '@nestjs/common';
import { MeshConfigError } from '@toskamesh/common';
import type { ResolvedGatewayOptions } from '../../config/resolved-gateway-options.js';
import type { RateLimiter } from '../request-identity.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

/** Rate-limit settings of the gateway. */
export type GatewayRateLimitSettings = ResolvedGatewayOptions['rateLimit'];

/** Optional collaborators of {@link createRateLimiter}. */
export interface RateLimiterDeps {
  readonly logger?: Pick<LoggerService, 'warn' | 'log'>;
  /** Clock of the memory limiter (Redis uses its own). @default Date.now */
  readonly now?: () => number;
  /** Longest wait for Redis per request before failing open. @default 250 */
  readonly redisCommandTimeoutMs?: number;
}

/**
 * The limiter for `options.store`: `memory` counts per gateway process, `redis` shares counts between
 * replicas (and fails open when Redis is down). Both use GCRA: `permitLimit` requests per `windowMs`,
 * refilling continuously. Does not look at `options.enabled`; the caller skips limiting when it is off.
 */
export function createRateLimiter(
  options: GatewayRateLimitSettings,
  deps: RateLimiterDeps = {},
): RateLimiter {
  const params = { permitLimit: options.permitLimit, windowMs: options.windowMs };
  switch (options.store) {
    case 'memory':
      return new MemoryRateLimiter(params, { now: deps.now });
    case 'redis':
      return new RedisRateLimiter(
        { ...params, redisUrl: options.redisUrl, redisKeyPrefix: options.redisKeyPrefix },
        { logger: deps.logger, commandTimeoutMs: deps.redisCommandTimeoutMs },
      );
    default:
      throw new MeshConfigError('rateLimit.store', 'is not a known store', {
        value: options.store as unknown,
        allowed: 'memory, redis',
      });
  }
}
