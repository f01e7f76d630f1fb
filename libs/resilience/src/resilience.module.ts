import { Module } from '@nestjs/common';
import { CircuitBreakerRegistry } from './circuit-breaker.registry.js';
import {
  MESH_RESILIENCE_MODULE_OPTIONS,
  ResilienceConfigurableModule,
} from './resilience.module-definition.js';
import type { ResilienceModuleOptions } from './resilience-options.js';
import { RetryBudgetRegistry } from './retry-budget.registry.js';

/** Builds the breaker registry from module options; bad options fail the app at start-up. */
export function createCircuitBreakerRegistry(options: ResilienceModuleOptions): CircuitBreakerRegistry {
  return new CircuitBreakerRegistry({
    defaults: options.circuitBreaker,
    targets: options.circuitBreakers,
    metricsRegistry: options.metricsRegistry,
  });
}

/** Builds the retry-budget registry from module options; bad options fail the app at start-up. */
export function createRetryBudgetRegistry(options: ResilienceModuleOptions): RetryBudgetRegistry {
  return new RetryBudgetRegistry({
    budget: options.retryBudget,
    retry: options.retry,
    metricsRegistry: options.metricsRegistry,
  });
}

/**
 * Provides {@link CircuitBreakerRegistry} (stopped in `beforeApplicationShutdown`) and
 * {@link RetryBudgetRegistry}. `ResilienceModule.forRoot({ ... })` or `forRootAsync({ useFactory })`;
 * `isGlobal: true` makes both injectable everywhere.
 */
@Module({
  providers: [
    {
      provide: CircuitBreakerRegistry,
      useFactory: createCircuitBreakerRegistry,
      inject: [MESH_RESILIENCE_MODULE_OPTIONS],
    },
    {
      provide: RetryBudgetRegistry,
      useFactory: createRetryBudgetRegistry,
      inject: [MESH_RESILIENCE_MODULE_OPTIONS],
    },
  ],
  exports: [CircuitBreakerRegistry, RetryBudgetRegistry],
})
export class ResilienceModule extends ResilienceConfigurableModule {}
