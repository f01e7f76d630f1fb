import type { Registry } from 'prom-client';
import type { CircuitBreakerOptions } from './circuit-breaker-options.js';
import type { RetryDefaults } from './retry-budget.registry.js';
import type { RetryBudgetOptions } from './retry-budget.js';

/** Options of `ResilienceModule.forRoot`. Every field is optional; the defaults suit the gateway. */
export interface ResilienceModuleOptions {
  /**
   * Defaults of every circuit breaker.
   * @default { rollingCountTimeout: 10000, rollingCountBuckets: 10, errorThresholdPercentage: 50, volumeThreshold: 20, resetTimeout: 10000, errorFilter: defaultErrorFilter }
   */
  circuitBreaker?: CircuitBreakerOptions;
  /** Per-target breaker settings over `circuitBreaker` (e.g. a slow batch service). @default {} */
  circuitBreakers?: Record<string, CircuitBreakerOptions>;
  /** Retry settings of `RetryBudgetRegistry.retry(target)`. @default { maxAttempts: 3, backoff: { initialMs: 100, maxMs: 30000, multiplier: 2, jitter: 'full' } } */
  retry?: RetryDefaults;
  /** Settings of each target's retry budget. @default { ratio: 0.2, minRetriesPerSecond: 10, windowMs: 10000 } */
  retryBudget?: RetryBudgetOptions;
  /** Where the metrics are registered; the telemetry package's `/metrics` serves the global one. @default prom-client's global `register` */
  metricsRegistry?: Registry;
}
