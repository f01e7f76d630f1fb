export { MeshRuntimeModule } from './mesh-runtime.module.js';
export {
  MESH_RUNTIME_MODULE_OPTIONS,
  type MeshRuntimeModuleAsyncOptions,
} from './mesh-runtime.module-definition.js';
export type {
  MeshAuthOptions,
  MeshRegistrationOptions,
  MeshRuntimeModuleOptions,
  MeshServiceOptions,
} from './options/mesh-runtime-options.js';
export type { ResolvedMeshRuntimeOptions } from './options/resolved-runtime-options.js';
export { resolveRuntimeOptions } from './options/resolve-runtime-options.js';
export { RESOLVED_RUNTIME_OPTIONS } from './options/runtime-options.token.js';

export {
  MeshServiceHost,
  type MeshServiceHandle,
  type MeshServiceHostOptions,
} from './host/mesh-service-host.js';

export { MeshRegistrationService, type RegistrationPhase } from './registration/mesh-registration.service.js';
export { advertisedAddressFor } from './registration/listen-address.js';
export { DrainState } from './lifecycle/drain-state.js';

export { MeshHealthService, type HealthScope } from './health/mesh-health.service.js';
export type {
  MeshHealthIndicator,
  MeshHealthSession,
  MeshHealthTag,
} from './health/mesh-health-indicator.js';
export {
  httpStatusOf,
  overallStatus,
  type HealthReport,
  type HealthReportEntry,
  type HealthReportStatus,
} from './health/health-report.js';
export { runHealthChecks } from './health/health-check-runner.js';
export { HealthEndpointsController } from './health/health-endpoints.controller.js';

export { MeshClient } from './client/mesh-client.js';
export { MeshServiceClient } from './client/mesh-service-client.js';
export { IDEMPOTENT_METHODS, type MeshRequest, type MeshResponse } from './client/mesh-request.js';

export { ProblemDetailsFilter, toProblem, type ProblemDetails } from './http/problem-details.filter.js';
export { PROBLEM_STATUS_BY_CODE, problemStatusOf } from './http/problem-status.js';

export { NoHealthyInstanceError } from './errors/no-healthy-instance.error.js';
export { UpstreamStatusError } from './errors/upstream-status.error.js';

// The decorators a runtime-hosted app needs, so `@toskamesh/runtime` is its only mesh import.
export { CurrentPrincipal, Public, Roles, Scopes, type MeshPrincipal } from '@toskamesh/security';
