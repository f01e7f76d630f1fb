import { MeshError } from '@toskamesh/common';

/** A heartbeat, metadata update or lookup named an id the registry does not hold (never or no longer). */
export class ServiceNotRegisteredError extends MeshError {
  constructor(readonly serviceId: string) {
    super(
      'MESH_REGISTRY_NOT_REGISTERED',
      `Service instance "${serviceId}" is not registered (it may have expired); register it again`,
      {
        details: { serviceId },
      },
    );
  }
}
