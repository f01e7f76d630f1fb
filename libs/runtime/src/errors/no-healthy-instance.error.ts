import { MeshError } from '@toskamesh/common';

/** `MeshClient` found no Healthy instance of the service it was asked to call. */
export class NoHealthyInstanceError extends MeshError {
  constructor(readonly serviceName: string) {
    super(
      'MESH_RUNTIME_NO_HEALTHY_INSTANCE',
      `No healthy instance of service "${serviceName}" is registered`,
      {
        retryable: true,
        details: { serviceName },
      },
    );
  }
}
