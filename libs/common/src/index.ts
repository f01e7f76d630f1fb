export { MeshError, isMeshError, type MeshErrorOptions } from './errors/mesh-error.js';
export { MeshConfigError } from './errors/mesh-config.error.js';
export { MeshTimeoutError } from './errors/mesh-timeout.error.js';
export { MeshValidationError } from './errors/mesh-validation.error.js';

export {
  HEALTH_STATUSES,
  HEALTH_STATUS_CODES,
  healthStatusToCode,
  parseHealthStatus,
  type HealthStatus,
} from './registry-types/health-status.js';
export type { ServiceInstance } from './registry-types/service-instance.js';
export {
  DEFAULT_HEALTH_INTERVAL_MS,
  registrationTtlMs,
  type HealthCheckConfig,
  type ServiceRegistration,
} from './registry-types/service-registration.js';
export {
  REGISTRATION_LIMITS,
  isValidAddress,
  metadataProblems,
  normalizeRegistration,
  registrationProblems,
} from './registry-types/registration-rules.js';
export {
  LOAD_BALANCING_STRATEGIES,
  MESH_METADATA,
  type LoadBalancingStrategyName,
} from './registry-types/load-balancing-strategy.js';

export { readEnvTree, treeSection, treeValue, type ConfigTree } from './config/env-tree.js';
export {
  configBool,
  configChoice,
  configDurationMs,
  configInt,
  configList,
  definedFields,
} from './config/config-values.js';
export { meshOptionsFromEnv } from './config/mesh-options-from-env.js';
export type {
  MeshEnvOptions,
  MeshRegistryEnvOptions,
  MeshServiceAuthEnvOptions,
  MeshServiceEnvOptions,
  MeshTelemetryEnvOptions,
} from './config/mesh-env-options.js';

export { formatTimeSpan, parseDurationMs } from './time/duration.js';
export { sleep, withTimeout } from './time/timeout.js';
export { backoffDelayMs, type BackoffOptions } from './time/backoff.js';
export { MAX_TIMER_MS, positiveMs, wholeNumber } from './config/option-checks.js';

export { MESH_SERVICE_NAME } from './identity/service-name.token.js';

export { deferredRequire } from './modules/deferred-require.js';
