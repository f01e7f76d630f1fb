import type { RateLimitDecision } from '../request-identity.js';

/**
 * Response headers of a decision (draft-ietf-httpapi-ratelimit-headers, the widely deployed
 * `RateLimit-*` form): `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds until the
 * full quota is back) and, when refused, `Retry-After` (seconds until one request is allowed again).
 *
 * Names are lower-case, the form `writeProblem` uses, so spreading these next to its own
 * `retry-after` never sends the header twice.
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(Math.max(0, decision.remaining)),
    'ratelimit-reset': String(decision.resetSeconds),
  };
  if (!decision.allowed) {
    headers['retry-after'] = String(Math.max(1, decision.retryAfterSeconds ?? decision.resetSeconds));
  }
  return headers;
}
