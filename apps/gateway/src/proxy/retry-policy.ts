import type { IncomingMessage } from 'node:http';
import type { ResolvedUpstreamPolicy } from '../config/resolved-gateway-options.js';
import type { UpstreamFailureKind } from './forwarding-engine.js';

/** Methods RFC 9110 §9.2.2 calls idempotent and the gateway retries. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * True when sending `req` twice has the effect of sending it once: an idempotent method, or any request
 * carrying an `Idempotency-Key` (the client promises the upstream deduplicates it).
 */
export function isIdempotentRequest(req: IncomingMessage): boolean {
  return IDEMPOTENT_METHODS.has(req.method ?? '') || req.headers['idempotency-key'] !== undefined;
}

/**
 * True for attempt failures worth trying on another instance: `connect` (the request never left) and
 * `reset` before response headers (typically a stale keep-alive connection or an instance dying).
 *
 * `timeout` is deliberately not retried: the upstream received the request and may still be working on it
 * (or have done it), so a retry doubles the load on a service that is already slow — the classic retry
 * storm — and can run a side effect twice. `aborted` is the client's doing.
 */
export function isRetriableFailure(kind: UpstreamFailureKind): boolean {
  return kind === 'connect' || kind === 'reset';
}

/**
 * True when an upstream's answer with `status` may be retried. Only ever asked before the first byte of
 * that answer is written to the client: afterwards the answer is the client's, whatever it says.
 */
export function isRetriableStatus(status: number, policy: ResolvedUpstreamPolicy): boolean {
  return policy.retry.retryOnStatuses.includes(status);
}
