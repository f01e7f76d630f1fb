import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ToskaStoreOptions } from '../config/toska-store-options.js';
import { TOSKA_STORE_OPTIONS } from '../toska-store.tokens.js';
import { TokenBuckets, type TakeResult } from './token-bucket.js';

/** Most client buckets held at once; past it idle ones, then the oldest, are dropped. */
export const RATE_LIMIT_MAX_CLIENTS = 100_000;

/** How often full (idle) buckets are dropped. */
export const RATE_LIMIT_SWEEP_MS = 60_000;

const ALLOWED: TakeResult = { allowed: true };

/**
 * The per-client-IP rate limit of protected paths (contract §6), on only when both
 * `rateLimitPerSec` and `rateLimitBurst` are > 0. Idle buckets are swept on an unref'd timer.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly buckets: TokenBuckets | undefined;
  private readonly sweeper: NodeJS.Timeout | undefined;

  constructor(@Inject(TOSKA_STORE_OPTIONS) options: ToskaStoreOptions) {
    if (options.rateLimitPerSec > 0 && options.rateLimitBurst > 0) {
      this.buckets = new TokenBuckets({
        perSec: options.rateLimitPerSec,
        burst: options.rateLimitBurst,
        maxBuckets: RATE_LIMIT_MAX_CLIENTS,
        now: () => performance.now(),
      });
      this.sweeper = setInterval(() => this.buckets?.sweep(), RATE_LIMIT_SWEEP_MS).unref();
    }
  }

  /** Whether limiting is on. */
  get enabled(): boolean {
    return this.buckets !== undefined;
  }

  /** Takes a token for `clientIp`; always allowed when limiting is off. */
  take(clientIp: string): TakeResult {
    return this.buckets === undefined ? ALLOWED : this.buckets.take(clientIp);
  }

  onModuleDestroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }
}
