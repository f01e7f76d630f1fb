/** The outcome of taking one token: allowed, or how long until a token is back. */
export type TakeResult = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Settings of {@link TokenBuckets}. */
export interface TokenBucketSettings {
  /** Tokens added per second, continuously (fractions accumulate). */
  perSec: number;
  /** Bucket size, and the tokens a new client starts with. */
  burst: number;
  /** Most buckets kept; past it, full (idle) buckets and then the oldest are dropped. */
  maxBuckets: number;
  /** Monotonic clock in ms. */
  now: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per client key (contract §6): a new client starts with `burst` tokens, the bucket refills
 * continuously at `perSec` up to `burst`, each allowed request costs one token. Memory stays bounded: a
 * bucket that has refilled completely is the same as no bucket, so {@link sweep} drops it, and the
 * number of buckets never exceeds `maxBuckets`.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillMs: number;

  constructor(private readonly settings: TokenBucketSettings) {
    this.refillMs = (settings.burst / settings.perSec) * 1000;
  }

  /** Number of buckets held (for tests and stats). */
  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token from `key`'s bucket. */
  take(key: string): TakeResult {
    const now = this.settings.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.settings.maxBuckets) this.makeRoom();
      bucket = { tokens: this.settings.burst, at: now };
      this.buckets.set(key, bucket);
    } else {
      const refilled = ((now - bucket.at) / 1000) * this.settings.perSec;
      bucket.tokens = Math.min(this.settings.burst, bucket.tokens + refilled);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / this.settings.perSec) * 1000) };
  }

  /** Drops every bucket that is full again by now (idle for at least the full refill time). */
  sweep(): void {
    const now = this.settings.now();
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.at >= this.refillMs) this.buckets.delete(key);
    }
  }

  private makeRoom(): void {
    this.sweep();
    // Still full of active clients: forget the least recently created one (it restarts with a full
    // bucket, a small leniency that keeps memory bounded under an address-spraying client).
    const excess = this.buckets.size - this.settings.maxBuckets + 1;
    let dropped = 0;
    for (const key of this.buckets.keys()) {
      if (dropped++ >= excess) break;
      this.buckets.delete(key);
    }
  }
}
