import { MeshError } from '@toskamesh/common';

/** The registry backend (Redis, Consul, the discovery service) could not be reached or answered an error. */
export class RegistryUnavailableError extends MeshError {
  constructor(
    readonly provider: string,
    detail: string,
    cause?: unknown,
  ) {
    super('MESH_REGISTRY_UNAVAILABLE', `Registry provider "${provider}" is unavailable: ${detail}`, {
      retryable: true,
      cause,
      details: { provider },
    });
  }
}
