import type { RateLimitDecision, RateLimiter } from '../request-identity.js';
import { assertGcraParams, gcraStep, type GcraParams } from './gcra.js';

/** Collaborators of {@link MemoryRateLimiter}; tests inject a clock. */
export interface MemoryRateLimiterDeps {
  /** Epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Most clients tracked at once. @default 100000 */
  readonly maxKeys?: number;
}

/** Default bound on tracked clients (~10 MB). */
export const DEFAULT_MAX_RATE_LIMIT_KEYS = 100_000;

/**
 * {@link RateLimiter} for a single gateway: GCRA (see gcra.ts) over a `Map` of client key -> TAT.
 *
 * Memory stays bounded without a timer: at most once per window every entry whose TAT has passed
 * (a client back to its full quota, the same as no entry) is dropped. If more than `maxKeys` clients
 * are still active, the oldest entry is dropped to make room, which resets that client's count: under
 * a flood of distinct clients the limiter loses precision instead of the process its memory.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly tats = new Map<string, number>();
  private readonly params: GcraParams;
  private readonly now: () => number;
  private readonly maxKeys: number;
  private lastSweep: number;

  constructor(params: GcraParams, deps: MemoryRateLimiterDeps = {}) {
    assertGcraParams(params);
    this.params = { permitLimit: params.permitLimit, windowMs: params.windowMs };
    this.now = deps.now ?? Date.now;
    this.maxKeys = Math.max(1, deps.maxKeys ?? DEFAULT_MAX_RATE_LIMIT_KEYS);
    this.lastSweep = this.now();
  }

  consume(key: string): Promise<RateLimitDecision> {
    return Promise.resolve(this.take(key));
  }

  /** {@link consume} without the promise, for callers on the hot path. */
  take(key: string): RateLimitDecision {
    const now = this.now();
    if (now - this.lastSweep >= this.params.windowMs) this.sweep(now);
    const stored = this.tats.get(key);
    const step = gcraStep(this.params, stored, now);
    if (step.decision.allowed) {
      if (stored === undefined && this.tats.size >= this.maxKeys) this.makeRoom(now);
      this.tats.set(key, step.tat);
    }
    return step.decision;
  }

  /** Clients currently tracked. */
  get size(): number {
    return this.tats.size;
  }

  close(): Promise<void> {
    this.tats.clear();
    return Promise.resolve();
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, tat] of this.tats) if (tat <= now) this.tats.delete(key);
  }

  private makeRoom(now: number): void {
    this.sweep(now);
    if (this.tats.size < this.maxKeys) return;
    const oldest = this.tats.keys().next();
    if (oldest.done !== true) this.tats.delete(oldest.value);
  }
}
