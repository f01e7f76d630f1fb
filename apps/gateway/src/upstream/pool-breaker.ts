import {
  defaultErrorFilter,
  type CircuitBreakerOptions,
  type CircuitBreakerRegistry,
  type CircuitBreakerSnapshot,
} from '@toskamesh/resilience';
import type { ResolvedUpstreamPolicy } from '../config/resolved-gateway-options.js';
import { UpstreamFailure } from '../proxy/forwarding-engine.js';

/** The gateway's breakers never see a cancelled caller signal: the client leaving is an `aborted` result. */
const NEVER_ABORTED = new AbortController().signal;

/** Carries a result the caller called a failure through opossum, which only counts rejections. */
class FailedResult {
  constructor(readonly value: unknown) {}
}

/** Errors that say nothing about the upstream: the default ones plus a client that went away. */
function notAnUpstreamFailure(error: unknown): boolean {
  return (error instanceof UpstreamFailure && error.kind === 'aborted') || defaultErrorFilter(error);
}

/**
 * The opossum options for a pool's breaker policy: `failureThreshold` (0..1) -> `errorThresholdPercentage`,
 * `minimumRequests` -> `volumeThreshold`, `windowMs` -> `rollingCountTimeout`, `openMs` -> `resetTimeout`.
 */
export function breakerOptions(policy: ResolvedUpstreamPolicy['breaker']): CircuitBreakerOptions {
  return {
    errorThresholdPercentage: policy.failureThreshold * 100,
    volumeThreshold: policy.minimumRequests,
    rollingCountTimeout: policy.windowMs,
    // Ten buckets unless the window is shorter than 10 ms (the registry refuses sub-millisecond buckets).
    rollingCountBuckets: Math.max(1, Math.min(10, Math.floor(policy.windowMs))),
    resetTimeout: policy.openMs,
    errorFilter: notAnUpstreamFailure,
  };
}

/**
 * A pool's view of its circuit breaker in the shared {@link CircuitBreakerRegistry}, keyed `gateway:<name>`.
 * The breaker is looked up per call (one map read), so a breaker removed from the registry is replaced
 * rather than left shut down and unguarded.
 */
export class PoolBreaker {
  private readonly options: CircuitBreakerOptions;

  constructor(
    private readonly registry: CircuitBreakerRegistry,
    /** Registry key, e.g. `gateway:orders`. */
    readonly key: string,
    policy: ResolvedUpstreamPolicy['breaker'],
  ) {
    this.options = breakerOptions(policy);
    // Created up front so a bad breaker setting fails when the pool is built, not on a request.
    registry.get(key, this.options);
  }

  /**
   * Runs `attempt` under the breaker: rejects with `CircuitOpenError` (carrying `retryAfterMs`) while
   * open; a result for which `isFailure` holds is recorded as a failure and still returned.
   */
  run<T>(attempt: () => Promise<T>, isFailure: (result: T) => boolean): Promise<T> {
    const guarded = () =>
      attempt().then((result) => {
        if (isFailure(result)) throw new FailedResult(result);
        return result;
      });
    return this.registry
      .get(this.key, this.options)
      .execute(guarded, NEVER_ABORTED)
      .catch((error: unknown) => {
        if (error instanceof FailedResult) return error.value as T;
        throw error;
      });
  }

  /** The breaker's state for the admin API. */
  snapshot(): CircuitBreakerSnapshot | undefined {
    return this.registry.has(this.key) ? this.registry.get(this.key).snapshot() : undefined;
  }
}
