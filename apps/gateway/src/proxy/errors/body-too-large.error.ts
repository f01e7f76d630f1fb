import { MeshError } from '@toskamesh/common';

/**
 * A request body grew past `limits.maxBodyBytes` while it was streamed (a chunked body has no
 * Content-Length to check up front). The gateway answers 413 when nothing was sent to the client yet and
 * calls off the upstream request. Not retryable: the same body is too large again.
 */
export class BodyTooLargeError extends MeshError {
  constructor(readonly maxBodyBytes: number) {
    super(
      'MESH_GATEWAY_BODY_TOO_LARGE',
      `Request body is larger than the gateway's limit of ${maxBodyBytes} bytes (limits.maxBodyBytes)`,
      { details: { maxBodyBytes } },
    );
  }
}
