import { MeshError } from '@toskamesh/common';

/**
 * A custom `TokenVerifier` rejected the bearer token with an error that is not one of
 * `@toskamesh/security`'s (HTTP 401, gRPC UNAUTHENTICATED). The cause is kept for logs only.
 */
export class UnauthenticatedError extends MeshError {
  constructor(cause?: unknown) {
    super('MESH_DISCOVERY_UNAUTHENTICATED', 'Invalid token: the bearer token was rejected', { cause });
  }
}
