import { type BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { MeshConfigError } from '@toskamesh/common';
import type { Registry } from 'prom-client';
import {
  checkCircuitBreakerOptions,
  resolveCircuitBreakerOptions,
  type CircuitBreakerOptions,
  type ResolvedCircuitBreakerOptions,
} from './circuit-breaker-options.js';
import { MeshCircuitBreaker, type CircuitBreakerSnapshot } from './circuit-breaker.js';
import type { CircuitState } from './errors/circuit-open.error.js';
import type { Interceptor } from './interceptor.js';
import { CIRCUIT_STATE_VALUES, ResilienceMetrics } from './resilience.metrics.js';

/** Options of a {@link CircuitBreakerRegistry}. */
export interface CircuitBreakerRegistryOptions {
  /** Defaults of every breaker, over the built-in ones. @default CIRCUIT_BREAKER_DEFAULTS */
  defaults?: CircuitBreakerOptions;
  /** Per-target settings, over `defaults`, applied when that target's breaker is created. @default {} */
  targets?: Record<string, CircuitBreakerOptions>;
  /** Where the breaker metrics are registered. @default prom-client's global `register` */
  metricsRegistry?: Registry;
}

/**
 * One circuit breaker per target key (a service name, an upstream URL), created on first use: the .NET
 * original shared one breaker across all upstreams, so one dead service starved the healthy ones.
 * Transitions are logged and exported as `toskamesh_resilience_circuit_state` / `_transitions_total`.
 */
export class CircuitBreakerRegistry implements BeforeApplicationShutdown {
  private readonly logger = new Logger(CircuitBreakerRegistry.name);
  private readonly breakers = new Map<string, MeshCircuitBreaker>();
  private readonly metrics: ResilienceMetrics;
  private readonly defaults: CircuitBreakerOptions;
  private readonly targets: Record<string, CircuitBreakerOptions>;
  private stopped = false;

  constructor(options: CircuitBreakerRegistryOptions = {}) {
    this.defaults = options.defaults ?? {};
    this.targets = options.targets ?? {};
    checkResolved('circuitBreaker', resolveCircuitBreakerOptions(this.defaults), this.defaults);
    for (const [target, overrides] of Object.entries(this.targets))
      checkResolved(
        `circuitBreakers.${target}`,
        resolveCircuitBreakerOptions(this.defaults, overrides),
        overrides,
      );
    this.metrics = new ResilienceMetrics(options.metricsRegistry);
  }

  /**
   * The breaker of `target`, created on first use from the built-in defaults, the registry's `defaults`,
   * its `targets[target]` entry and then `options`. Later calls return the same breaker and ignore `options`.
   */
  get(target: string, options?: CircuitBreakerOptions): MeshCircuitBreaker {
    const existing = this.breakers.get(target);
    if (existing) return existing;
    const resolved = resolveCircuitBreakerOptions(this.defaults, this.targets[target], options);
    checkResolved(`circuitBreakers.${target}`, resolved, options);
    const breaker = new MeshCircuitBreaker(target, resolved, (t, from, to) => this.onTransition(t, from, to));
    // After shutdown a breaker is still handed out, already stopped, so draining requests pass through.
    if (this.stopped) breaker.shutdown();
    this.breakers.set(target, breaker);
    this.metrics.circuitState.set({ target }, CIRCUIT_STATE_VALUES.closed);
    return breaker;
  }

  /** True when `target` already has a breaker. */
  has(target: string): boolean {
    return this.breakers.has(target);
  }

  /**
   * Interceptor guarding calls to `target`: refuses with `CircuitOpenError` while its breaker is open. The
   * breaker is looked up per call, so a {@link remove}d target gets a fresh one.
   */
  breaker(target: string, options?: CircuitBreakerOptions): Interceptor {
    return (next) => (signal) => this.get(target, options).execute(next, signal);
  }

  /** State of every breaker, sorted by target, for admin APIs. */
  states(): CircuitBreakerSnapshot[] {
    const now = Date.now();
    return [...this.breakers.values()]
      .map((breaker) => breaker.snapshot(now))
      .sort((a, b) => a.target.localeCompare(b.target));
  }

  /** Stops and forgets the breaker of `target` (a service that left the mesh). */
  remove(target: string): boolean {
    const breaker = this.breakers.get(target);
    if (!breaker) return false;
    breaker.shutdown();
    this.breakers.delete(target);
    this.metrics.circuitState.remove({ target });
    return true;
  }

  /** Stops every breaker's timers. Calls made afterwards pass through unguarded. Idempotent. */
  shutdown(): void {
    this.stopped = true;
    for (const breaker of this.breakers.values()) breaker.shutdown();
  }

  /** Nest lifecycle hook: {@link shutdown}. */
  beforeApplicationShutdown(): void {
    this.shutdown();
  }

  private onTransition(target: string, from: CircuitState, to: CircuitState): void {
    this.metrics.circuitState.set({ target }, CIRCUIT_STATE_VALUES[to]);
    this.metrics.circuitTransitions.inc({ target, to });
    const message = `Circuit breaker "${target}": ${from} -> ${to}`;
    if (to === 'open') this.logger.warn(message);
    else this.logger.log(message);
  }
}

function checkResolved(
  key: string,
  resolved: ResolvedCircuitBreakerOptions,
  layer: CircuitBreakerOptions | undefined,
): void {
  checkCircuitBreakerOptions(key, layer);
  // opossum rotates one bucket every window/buckets ms; below 1 ms that becomes a busy timer.
  if (resolved.rollingCountTimeout < resolved.rollingCountBuckets)
    throw new MeshConfigError(`${key}.rollingCountBuckets`, 'leaves buckets shorter than 1 ms', {
      value: resolved.rollingCountBuckets,
      allowed: `at most rollingCountTimeout (${resolved.rollingCountTimeout})`,
    });
}
