import { MeshError } from '@toskamesh/common';

/**
 * A protected route or RPC was called without a bearer token (no `Authorization: Bearer <token>`
 * header or `authorization` metadata entry).
 */
export class MissingTokenError extends MeshError {
  constructor(
    /** Where the token was looked for, e.g. `Authorization header` or `authorization metadata`. */
    readonly source = 'Authorization header',
  ) {
    super('MESH_SECURITY_TOKEN_MISSING', `No bearer token: expected "Bearer <token>" in the ${source}`, {
      details: { source },
    });
  }
}
