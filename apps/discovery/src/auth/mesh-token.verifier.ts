import type { FactoryProvider } from '@nestjs/common';
import { MeshTokenService } from '@toskamesh/security';
import type { ResolvedDiscoveryOptions } from '../config/discovery-options.js';
import { DISCOVERY_OPTIONS, TOKEN_VERIFIER } from '../discovery-app.tokens.js';
import type { TokenVerifier } from './token-verifier.js';

/**
 * The verifier of bearer tokens: `auth.verifier` when given, else `MeshTokenService` of
 * `@toskamesh/security` with the configured secret or public key, issuer and audience (HS256/RS256,
 * roles also from `role` and the .NET role claim URI). `undefined` when auth is off.
 */
export function createTokenVerifier(auth: ResolvedDiscoveryOptions['auth']): TokenVerifier | undefined {
  if (!auth.enabled) return undefined;
  if (auth.verifier) return auth.verifier;
  return new MeshTokenService({
    ...(auth.secret !== undefined ? { secret: auth.secret } : {}),
    ...(auth.publicKey !== undefined ? { publicKey: auth.publicKey } : {}),
    ...(auth.jwksUrl !== undefined ? { jwksUrl: auth.jwksUrl } : {}),
    issuer: auth.issuer,
    audience: auth.audience,
  });
}

/** Provides {@link TOKEN_VERIFIER} from the resolved options. */
export const tokenVerifierProvider: FactoryProvider<TokenVerifier | undefined> = {
  provide: TOKEN_VERIFIER,
  useFactory: (options: ResolvedDiscoveryOptions) => createTokenVerifier(options.auth),
  inject: [DISCOVERY_OPTIONS],
};
