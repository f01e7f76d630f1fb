import { MeshError } from '@toskamesh/common';

/** No tracking record exists for the id: it was never seen by this service, or it aged out. */
export class InstanceNotTrackedError extends MeshError {
  constructor(readonly serviceId: string) {
    super(
      'MESH_DISCOVERY_NOT_TRACKED',
      `Service instance "${serviceId}" has never been seen (or its record aged out)`,
      {
        details: { serviceId },
      },
    );
  }
}
