import { MeshError } from '@toskamesh/common';

/** Every watch slot is taken; the client should retry later (HTTP 503, gRPC RESOURCE_EXHAUSTED). */
export class WatchCapacityError extends MeshError {
  constructor(readonly maxClients: number) {
    super('MESH_DISCOVERY_WATCH_CAPACITY', `Too many watch clients (at most ${maxClients}); retry later`, {
      retryable: true,
      details: { maxClients },
    });
  }
}
