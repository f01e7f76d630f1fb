import { MeshError } from '@toskamesh/common';

/** The store's backend (Redis, a ToskaStore server) could not be reached, timed out or answered an error. */
export class KeyValueUnavailableError extends MeshError {
  constructor(
    readonly provider: string,
    detail: string,
    options: { cause?: unknown; status?: number } = {},
  ) {
    super('MESH_KV_UNAVAILABLE', `Key/value provider "${provider}" is unavailable: ${detail}`, {
      retryable: true,
      cause: options.cause,
      details: { provider, ...(options.status !== undefined ? { status: options.status } : {}) },
    });
  }
}
