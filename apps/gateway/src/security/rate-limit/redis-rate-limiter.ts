import { Logger, type LoggerService } from '@nestjs/common';
import { deferredRequire } from '@toskamesh/common';
import type * as IORedis from 'ioredis';
import type { Redis } from 'ioredis';
import type { RateLimitDecision, RateLimiter } from '../request-identity.js';
import { assertGcraParams, gcraDecision, type GcraParams } from './gcra.js';
import { GCRA_SCRIPT, type GcraReply } from './redis-gcra.script.js';

/** Where and how a {@link RedisRateLimiter} keeps its counters. */
export interface RedisRateLimiterOptions extends GcraParams {
  readonly redisUrl: string;
  /** Prepended to every client key. */
  readonly redisKeyPrefix: string;
}

/** Collaborators and tuning of {@link RedisRateLimiter}. */
export interface RedisRateLimiterDeps {
  readonly logger?: Pick<LoggerService, 'warn' | 'log'>;
  /** Longest wait for one Redis answer before the request is let through. @default 250 */
  readonly commandTimeoutMs?: number;
}

/** ioredis, required when a Redis-backed limiter is built (the memory store needs none of it). */
const ioredis = deferredRequire<typeof IORedis>(import.meta.url, 'ioredis');

/** Default bound on one Redis round trip; the limiter sits on every request's path. */
export const DEFAULT_RATE_LIMIT_COMMAND_TIMEOUT_MS = 250;

type GcraClient = Redis & {
  meshGcra(key: string, intervalMs: string, windowMs: string): Promise<GcraReply>;
};

/**
 * {@link RateLimiter} whose counters live in Redis, so every gateway replica counts the same client
 * together. One round trip per request: an atomic Lua script (GCRA, see redis-gcra.script.ts) sent by
 * SHA with `EVALSHA`, falling back to `EVAL` on `NOSCRIPT` (ioredis `defineCommand`).
 *
 * Fails OPEN: while Redis is unreachable or slower than `commandTimeoutMs`, requests are allowed
 * (counted in {@link failOpenTotal}, a warning logged once per outage and a line when Redis is back).
 * The limiter protects upstreams from abuse; turning a Redis outage into a total outage of the front
 * door would do more harm than a few minutes without limits. Requests are not queued while
 * disconnected (no offline queue), so an outage adds no latency.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: GcraClient;
  private readonly params: GcraParams;
  private readonly prefix: string;
  private readonly intervalArg: string;
  private readonly windowArg: string;
  private readonly logger: Pick<LoggerService, 'warn' | 'log'>;
  private inOutage = false;
  private everReady = false;
  private failOpenCount = 0;

  constructor(options: RedisRateLimiterOptions, deps: RedisRateLimiterDeps = {}) {
    assertGcraParams(options);
    this.params = { permitLimit: options.permitLimit, windowMs: options.windowMs };
    this.prefix = options.redisKeyPrefix;
    this.intervalArg = String(options.windowMs / options.permitLimit);
    this.windowArg = String(options.windowMs);
    this.logger = deps.logger ?? new Logger('GatewayRateLimit');
    const redis = new (ioredis().Redis)(options.redisUrl, {
      commandTimeout: deps.commandTimeoutMs ?? DEFAULT_RATE_LIMIT_COMMAND_TIMEOUT_MS,
      connectTimeout: 2_000,
      // ioredis arms this (un-unref'd) timer on disconnect even for a socket that never opened, which
      // would hold a stopping process for its full length.
      disconnectTimeout: 200,
      connectionName: 'toskamesh-gateway-ratelimit',
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2_000),
    });
    redis.defineCommand('meshGcra', { numberOfKeys: 1, lua: GCRA_SCRIPT });
    redis.on('error', (error: Error) => this.outage(error.message));
    redis.on('ready', () => {
      this.everReady = true;
      this.recovered();
    });
    this.redis = redis as GcraClient;
    // Connect now, in the background: the constructor must not wait, and the first request should
    // not be the one paying for the connection.
    redis
      .connect()
      .catch((error: unknown) => this.outage(error instanceof Error ? error.message : String(error)));
  }

  /** True while Redis is connected and counting (false means requests pass unlimited). */
  get connected(): boolean {
    return this.redis.status === 'ready';
  }

  /** Requests let through because Redis could not answer (for metrics). */
  get failOpenTotal(): number {
    return this.failOpenCount;
  }

  async consume(key: string): Promise<RateLimitDecision> {
    // Without an offline queue a command sent before `ready` fails at once; skip the attempt.
    if (this.redis.status !== 'ready') {
      // A lost connection is an outage now; before the first connection it is only start-up.
      if (this.everReady) this.outage(`connection lost (${this.redis.status})`);
      return this.failOpen();
    }
    let reply: GcraReply;
    try {
      reply = await this.redis.meshGcra(this.prefix + key, this.intervalArg, this.windowArg);
    } catch (error) {
      this.outage(error instanceof Error ? error.message : String(error));
      return this.failOpen();
    }
    // A timeout does not drop the connection, so no `ready` event marks its end; an answer does.
    if (this.inOutage) this.recovered();
    const [allowed, remaining, resetMs, retryAfterMs] = reply;
    return gcraDecision(this.params, allowed === 1, remaining, Number(resetMs), Number(retryAfterMs));
  }

  async close(): Promise<void> {
    this.redis.removeAllListeners('ready');
    if (this.redis.status === 'ready') {
      try {
        await this.redis.quit();
        return;
      } catch {
        // Fall through to a hard disconnect.
      }
    }
    this.redis.disconnect();
  }

  private failOpen(): RateLimitDecision {
    this.failOpenCount += 1;
    return {
      allowed: true,
      limit: this.params.permitLimit,
      remaining: this.params.permitLimit,
      resetSeconds: Math.ceil(this.params.windowMs / 1000),
    };
  }

  private outage(message: string): void {
    if (this.inOutage) return;
    this.inOutage = true;
    this.logger.warn(
      `Rate limiting fails open: Redis is unreachable (${message}); requests are allowed without ` +
        'limits until it answers again',
    );
  }

  private recovered(): void {
    if (!this.inOutage) return;
    this.inOutage = false;
    this.logger.log('Rate limiting uses Redis again');
  }
}
