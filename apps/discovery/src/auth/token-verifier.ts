import type { MeshPrincipal } from '@toskamesh/security';

/**
 * Turns a bearer token into the caller; rejects when the token is invalid, expired, or from another
 * issuer or audience. `MeshTokenService` of `@toskamesh/security` is one (the default).
 */
export interface TokenVerifier {
  verify(token: string): Promise<MeshPrincipal>;
}
