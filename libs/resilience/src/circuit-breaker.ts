import OpossumBreaker from 'opossum';
import { CircuitOpenError, type CircuitState } from './errors/circuit-open.error.js';
import type { ResolvedCircuitBreakerOptions } from './circuit-breaker-options.js';
import type { Call, Interceptor } from './interceptor.js';

/** Called on every real state change of a breaker. */
export type CircuitTransitionListener = (target: string, from: CircuitState, to: CircuitState) => void;

/** Point-in-time view of one breaker, for admin APIs and health pages. */
export interface CircuitBreakerSnapshot {
  target: string;
  state: CircuitState;
  /** Time until the breaker lets a probe through; 0 unless open. */
  retryAfterMs: number;
  /** When the breaker last opened (ISO 8601), if it ever did. */
  openedAt?: string;
  /** Counts over the rolling window; `fires` includes calls refused while open. */
  window: { fires: number; successes: number; failures: number; rejects: number };
}

/** Marks a failure caused by the caller giving up, so the error filter leaves it out of the statistics. */
class CallerAborted {
  constructor(readonly error: unknown) {}
}

// opossum opens on `rate > threshold`; the mesh promises `>=`, so the threshold handed over sits just below.
const THRESHOLD_EPSILON = 1e-9;

/**
 * One opossum breaker guarding one target (a service, an upstream URL). Calls of any type go through the
 * same breaker: the action it wraps is `(call, signal) => call(signal)`. Build it with
 * `CircuitBreakerRegistry.get`, which also wires logging and metrics.
 */
export class MeshCircuitBreaker {
  /** This breaker as an interceptor: refuses with {@link CircuitOpenError} while open. */
  readonly interceptor: Interceptor = <T>(next: Call<T>): Call<T> => {
    return (signal) => this.execute(next, signal);
  };

  private readonly breaker: OpossumBreaker<[Call<unknown>, AbortSignal], unknown>;
  private current: CircuitState = 'closed';
  private openedAt: number | undefined;

  constructor(
    readonly target: string,
    readonly options: Readonly<ResolvedCircuitBreakerOptions>,
    onTransition: CircuitTransitionListener = () => undefined,
  ) {
    this.breaker = new OpossumBreaker((call, signal) => this.attempt(call, signal), {
      name: target,
      rollingCountTimeout: options.rollingCountTimeout,
      rollingCountBuckets: options.rollingCountBuckets,
      errorThresholdPercentage: options.errorThresholdPercentage - THRESHOLD_EPSILON,
      volumeThreshold: options.volumeThreshold,
      resetTimeout: options.resetTimeout,
      errorFilter: (error: unknown) => error instanceof CallerAborted || options.errorFilter(error),
      // Deadlines belong to the timeout() interceptor, which also aborts the I/O; opossum's own timer is not
      // unref'd and would only stop the wait.
      timeout: false,
      enableSnapshots: false,
      rollingPercentilesEnabled: false,
    });
    const move = (to: CircuitState) => () => {
      const from = this.current;
      this.current = to;
      if (to === 'open') this.openedAt = Date.now();
      if (from !== to) onTransition(target, from, to);
    };
    this.breaker.on('open', move('open'));
    this.breaker.on('halfOpen', move('half-open'));
    this.breaker.on('close', move('closed'));
  }

  /** Current state. */
  get state(): CircuitState {
    return this.current;
  }

  /** True once {@link shutdown} ran; calls then pass straight through. */
  get isShutdown(): boolean {
    return this.breaker.isShutdown;
  }

  /** Milliseconds until an open breaker lets a probe through; 0 when closed or half-open. */
  retryAfterMs(now = Date.now()): number {
    if (this.current !== 'open' || this.openedAt === undefined) return 0;
    return Math.max(0, this.openedAt + this.options.resetTimeout - now);
  }

  /**
   * Runs `call` under the breaker. Rejects with {@link CircuitOpenError} without calling while open (or while
   * a half-open probe is in flight); otherwise settles as `call` does and records the outcome.
   */
  async execute<T>(call: Call<T>, signal: AbortSignal): Promise<T> {
    signal.throwIfAborted();
    // During a graceful shutdown requests still drain; failing them for want of statistics would hurt more.
    if (this.breaker.isShutdown) return call(signal);
    try {
      return (await this.breaker.fire(call, signal)) as T;
    } catch (error) {
      throw this.translate(error);
    }
  }

  /** Snapshot for admin APIs. */
  snapshot(now = Date.now()): CircuitBreakerSnapshot {
    const { fires, successes, failures, rejects } = this.breaker.stats;
    return {
      target: this.target,
      state: this.current,
      retryAfterMs: this.retryAfterMs(now),
      ...(this.openedAt === undefined ? {} : { openedAt: new Date(this.openedAt).toISOString() }),
      window: { fires, successes, failures, rejects },
    };
  }

  /** Stops the breaker's timers; later calls pass through unguarded. Idempotent. */
  shutdown(): void {
    if (!this.breaker.isShutdown) this.breaker.shutdown();
  }

  private async attempt(call: Call<unknown>, signal: AbortSignal): Promise<unknown> {
    try {
      return await call(signal);
    } catch (error) {
      // A caller that gave up says nothing about the upstream, except that a half-open probe must prove
      // health: an abandoned probe re-opens rather than closing on no evidence.
      if (signal.aborted && this.current !== 'half-open') throw new CallerAborted(error);
      throw error;
    }
  }

  private translate(error: unknown): unknown {
    if (error instanceof CallerAborted) return error.error;
    if (error instanceof Error && OpossumBreaker.isOurError(error)) {
      const { code } = error as Error & { code?: string };
      if (code === 'EOPENBREAKER')
        return new CircuitOpenError(this.target, this.retryAfterMs(), this.current);
    }
    return error;
  }
}
