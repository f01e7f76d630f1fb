import { MeshError } from '@toskamesh/common';

/**
 * A `Service` token tried to change a registration of another service (its `service_name` claim does
 * not match the registration's `serviceName`); only `Admin` may (HTTP 403, gRPC PERMISSION_DENIED).
 */
export class NotOwnerError extends MeshError {
  constructor(
    readonly callerService: string | undefined,
    readonly serviceName: string,
  ) {
    super(
      'MESH_DISCOVERY_NOT_OWNER',
      `A token for service "${callerService ?? '(none)'}" may not change registrations of "${serviceName}"; ` +
        'use a token whose service_name matches, or one with role "Admin"',
      { details: { callerService: callerService ?? null, serviceName } },
    );
  }
}
