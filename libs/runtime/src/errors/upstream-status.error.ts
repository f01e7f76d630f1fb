import { MeshError } from '@toskamesh/common';

/** A called service answered with a non-2xx status; `body` is its parsed answer. */
export class UpstreamStatusError extends MeshError {
  constructor(
    readonly serviceName: string,
    readonly status: number,
    readonly body: unknown,
    method: string,
    path: string,
  ) {
    super('MESH_RUNTIME_UPSTREAM_STATUS', `${method} ${serviceName}${path} answered ${status}`, {
      retryable: status === 502 || status === 503 || status === 504,
      details: { serviceName, status, method, path },
    });
  }
}
