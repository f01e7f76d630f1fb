import type { ServiceInstance } from '@toskamesh/common';
import type { CircuitBreakerSnapshot } from '@toskamesh/resilience';
import type { ResolvedUpstreamPolicy } from '../config/resolved-gateway-options.js';

/** One place a request can be sent: a mesh instance or a static upstream URL. */
export interface UpstreamTarget {
  /** Service id, or the URL for a static upstream. */
  readonly id: string;
  /** `protocol//host:port`. */
  readonly origin: URL;
  /** Path prepended to the upstream path (static upstreams with a base path); `''` otherwise. */
  readonly basePath: string;
  /** The registry entry, for mesh targets. */
  readonly instance?: ServiceInstance;
}

/** How one attempt on a target ended, reported back so the pool can count in-flight and failures. */
export type AttemptResult =
  | { readonly outcome: 'success'; readonly status: number }
  | {
      readonly outcome: 'failure';
      readonly kind: 'connect' | 'reset' | 'timeout' | 'status';
      readonly status?: number;
    }
  /** The client went away: neither success nor the upstream's fault. */
  | { readonly outcome: 'aborted' };

/** A target chosen for one attempt; `finish` must be called exactly once (later calls are ignored). */
export interface PickedTarget {
  readonly target: UpstreamTarget;
  finish(result: AttemptResult): void;
}

/** Where a request's affinity and retry exclusions come from. */
export interface PickRequest {
  /** Consistent-hash key (header value or client IP). */
  readonly hashKey?: string;
  /** Target ids already tried by this request. */
  readonly exclude?: ReadonlySet<string>;
}

/** State of one target for the admin API. */
export interface TargetSnapshot {
  readonly id: string;
  readonly url: string;
  readonly status: 'healthy' | 'ejected';
  readonly inFlight: number;
  readonly consecutiveFailures: number;
  readonly ejectedUntil?: string;
  readonly ejections: number;
  /** Metadata `weight` of a mesh target (1 when absent or invalid; static targets: 1). */
  readonly weight?: number;
}

/** State of one pool for the admin API. */
export interface PoolSnapshot {
  readonly name: string;
  readonly kind: 'service' | 'static';
  readonly strategy: string;
  readonly targets: readonly TargetSnapshot[];
  readonly breaker?: CircuitBreakerSnapshot;
}

/**
 * The live set of targets of one service or static route, with balancing, in-flight counts, passive
 * ejection, a retry budget and the service's breaker.
 */
export interface UpstreamPool {
  readonly name: string;
  readonly kind: 'service' | 'static';
  readonly policy: ResolvedUpstreamPolicy;
  /** Targets that may get traffic now (known and not ejected). */
  availableCount(): number;
  /** Known targets, ejected or not. */
  targetCount(): number;
  /** A target for one attempt, or `undefined` when none is known. Never picks an excluded one while another is available. */
  pick(request: PickRequest): PickedTarget | undefined;
  /** Consumes one retry from the budget; false when the budget is spent. */
  tryRetry(): boolean;
  /** Records a first attempt (earns retry budget). */
  recordFirstAttempt(): void;
  /**
   * Runs `attempt` through the service's breaker: rejects with `CircuitOpenError` while open. The attempt
   * counts as failed when it rejects or when `isFailure(result)` says so (5xx answers).
   */
  throughBreaker<T>(attempt: () => Promise<T>, isFailure: (result: T) => boolean): Promise<T>;
  snapshot(): PoolSnapshot;
}
