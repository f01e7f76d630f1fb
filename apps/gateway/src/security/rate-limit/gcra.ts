import { MeshConfigError } from '@toskamesh/common';
import type { RateLimitDecision } from '../request-identity.js';

/**
 * The rate-limit algorithm: GCRA (generic cell rate algorithm, the "virtual scheduling" form of a
 * token bucket). Chosen over a fixed window, which lets a client send twice the limit across a window
 * edge, and over a sliding-window counter, which needs two counters and is still approximate: GCRA
 * keeps one number per client (its theoretical arrival time, TAT), is exact, and needs no cleanup
 * beyond a TTL.
 *
 * `permitLimit` requests per `windowMs` means one permit returns every `windowMs / permitLimit`
 * (the emission interval), and up to `permitLimit` may be spent at once (the burst). A client that
 * spent its whole burst gets one more request per interval, and its full burst back `windowMs` after
 * its last accepted request.
 *
 * Times are milliseconds and may be fractional; the Redis script (redis-gcra.script.ts) does the same
 * arithmetic on Redis's clock.
 */
export interface GcraParams {
  readonly permitLimit: number;
  readonly windowMs: number;
}

/** Result of one step: the decision and the TAT to store (unchanged when refused). */
export interface GcraStep {
  readonly decision: RateLimitDecision;
  readonly tat: number;
}

// `permitLimit * (windowMs / permitLimit)` may exceed `windowMs` by a rounding error; without this
// slack the last permit of a burst would be refused.
const EPSILON_MS = 1e-6;

/** One request at `now` for a client whose stored TAT is `tat` (undefined when none is stored). */
export function gcraStep(params: GcraParams, tat: number | undefined, now: number): GcraStep {
  const interval = params.windowMs / params.permitLimit;
  const base = tat === undefined || tat < now ? now : tat;
  const next = base + interval;
  if (next - now > params.windowMs + EPSILON_MS) {
    return {
      tat: base,
      decision: gcraDecision(params, false, 0, base - now, next - params.windowMs - now),
    };
  }
  const remaining = Math.floor((params.windowMs - (next - now)) / interval + EPSILON_MS);
  return { tat: next, decision: gcraDecision(params, true, remaining, next - now, 0) };
}

/** Builds a decision from millisecond figures (whole seconds in the headers, rounded up). */
export function gcraDecision(
  params: GcraParams,
  allowed: boolean,
  remaining: number,
  resetMs: number,
  retryAfterMs: number,
): RateLimitDecision {
  const resetSeconds = Math.max(0, Math.ceil(resetMs / 1000));
  if (allowed) return { allowed, limit: params.permitLimit, remaining, resetSeconds };
  return {
    allowed,
    limit: params.permitLimit,
    remaining: 0,
    resetSeconds,
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  };
}

/** Checks the numbers a limiter is built from. */
export function assertGcraParams(params: GcraParams): void {
  if (!Number.isInteger(params.permitLimit) || params.permitLimit < 1) {
    throw new MeshConfigError('rateLimit.permitLimit', 'must be an integer >= 1', {
      value: params.permitLimit,
    });
  }
  if (!Number.isInteger(params.windowMs) || params.windowMs < 1) {
    throw new MeshConfigError('rateLimit.windowMs', 'must be an integer >= 1 (milliseconds)', {
      value: params.windowMs,
    });
  }
}
