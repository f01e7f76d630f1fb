import { MeshError } from '@toskamesh/common';

/**
 * The key/value backend refused the credentials: ToskaStore answered 401 (missing or wrong token) or 403.
 * Not retryable: the same token is refused again. Fix `toskaStore.authToken`
 * (`Mesh__KeyValue__ToskaStore__AuthToken`) to match the server's `auth_token` / `TOSKA_AUTH_TOKEN`.
 */
export class KeyValueAccessDeniedError extends MeshError {
  constructor(
    readonly provider: string,
    /** `401` (no or wrong token) or `403` (not allowed). */
    readonly status: number,
    /** What the store was doing, e.g. `PUT "orders:42"`. */
    operation: string,
    tokenSent: boolean,
  ) {
    const hint = tokenSent
      ? 'the auth token was refused; check that authToken matches the server token'
      : 'the server requires a token; set authToken';
    super(
      'MESH_KV_ACCESS_DENIED',
      `Key/value provider "${provider}" denied ${operation} (HTTP ${status}): ${hint}`,
      { details: { provider, status, operation } },
    );
  }
}
