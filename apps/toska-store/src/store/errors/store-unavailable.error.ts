import { MeshError } from '@toskamesh/common';

/**
 * The engine cannot take writes: it is not started, it is closed, or the AOF failed (a failed fsync
 * leaves the kernel's copy of the file in doubt, so the engine stops writing until a restart recovers
 * from disk). Reads from memory keep working.
 */
export class StoreUnavailableError extends MeshError {
  constructor(reason: string, cause?: unknown) {
    super('MESH_TOSKASTORE_STORE_UNAVAILABLE', `KV store unavailable: ${reason}`, {
      retryable: true,
      cause,
      details: { reason },
    });
  }
}
