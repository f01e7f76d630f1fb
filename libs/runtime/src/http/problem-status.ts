import type { MeshError } from '@toskamesh/common';

/** HTTP status for each stable error code the libraries throw; apps may add their own. */
export const PROBLEM_STATUS_BY_CODE: Readonly<Record<string, number>> = {
  MESH_COMMON_VALIDATION_FAILED: 400,
  MESH_COMMON_CONFIG_INVALID: 500,
  MESH_COMMON_TIMEOUT: 504,
  MESH_REGISTRY_NOT_REGISTERED: 404,
  MESH_REGISTRY_UNAVAILABLE: 503,
  MESH_REGISTRY_ACCESS_DENIED: 502,
  MESH_SECURITY_TOKEN_MISSING: 401,
  MESH_SECURITY_TOKEN_INVALID: 401,
  MESH_SECURITY_FORBIDDEN: 403,
  MESH_RESILIENCE_CIRCUIT_OPEN: 503,
  MESH_RESILIENCE_BULKHEAD_FULL: 503,
  MESH_RUNTIME_NO_HEALTHY_INSTANCE: 503,
  MESH_RUNTIME_UPSTREAM_STATUS: 502,
};

/** The status for `error`: from the table, else 503 for a retryable error, else 500. */
export function problemStatusOf(error: MeshError, overrides: Readonly<Record<string, number>> = {}): number {
  return overrides[error.code] ?? PROBLEM_STATUS_BY_CODE[error.code] ?? (error.retryable ? 503 : 500);
}
