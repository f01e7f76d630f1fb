export { compose, execute, type Call, type Interceptor } from './interceptor.js';

export {
  CIRCUIT_BREAKER_DEFAULTS,
  defaultErrorFilter,
  httpStatusOf,
  type CircuitBreakerOptions,
  type ResolvedCircuitBreakerOptions,
} from './circuit-breaker-options.js';
export {
  MeshCircuitBreaker,
  type CircuitBreakerSnapshot,
  type CircuitTransitionListener,
} from './circuit-breaker.js';
export { CircuitBreakerRegistry, type CircuitBreakerRegistryOptions } from './circuit-breaker.registry.js';

export {
  CONNECTION_ERROR_CODES,
  defaultRetryOn,
  isConnectionError,
  retry,
  type RetryOptions,
  type RetryPredicate,
} from './retry.interceptor.js';
export { RetryBudget, type RetryBudgetOptions } from './retry-budget.js';
export {
  RetryBudgetRegistry,
  type RetryBudgetRegistryOptions,
  type RetryDefaults,
  type RetryOverrides,
} from './retry-budget.registry.js';

export { timeout } from './timeout.interceptor.js';
export { Bulkhead, bulkhead, type BulkheadOptions } from './bulkhead.js';

export { CIRCUIT_STATE_VALUES, ResilienceMetrics, type RetryOutcome } from './resilience.metrics.js';

export { CircuitOpenError, type CircuitState } from './errors/circuit-open.error.js';
export { BulkheadRejectedError, type BulkheadRejection } from './errors/bulkhead-rejected.error.js';

export { ResilienceModule } from './resilience.module.js';
export {
  MESH_RESILIENCE_MODULE_OPTIONS,
  RESILIENCE_ASYNC_OPTIONS_TYPE,
  RESILIENCE_OPTIONS_TYPE,
} from './resilience.module-definition.js';
export type { ResilienceModuleOptions } from './resilience-options.js';
