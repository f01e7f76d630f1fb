import { MeshError } from '@toskamesh/common';

/**
 * The registry backend refused the caller's credentials: a missing or invalid token (HTTP 401, gRPC
 * `UNAUTHENTICATED`) or a token without the right role or for another service (HTTP 403, gRPC
 * `PERMISSION_DENIED`). Not retryable: the same token will be refused again.
 */
export class RegistryAccessDeniedError extends MeshError {
  constructor(
    readonly provider: string,
    /** `401` (who are you?) or `403` (not allowed), also for the gRPC equivalents. */
    readonly status: 401 | 403,
    /** The server's explanation (problem+json `detail`, gRPC status details). */
    readonly detail: string,
  ) {
    const what = status === 401 ? 'rejected the credentials' : 'denied access';
    super(
      'MESH_REGISTRY_ACCESS_DENIED',
      `Registry provider "${provider}" ${what} (${status}): ${detail}. Check the mesh service token ` +
        '(its secret, issuer, audience, roles and service_name claim)',
      { details: { provider, status, detail } },
    );
  }
}
