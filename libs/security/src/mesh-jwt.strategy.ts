import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy, type SecretOrKeyProvider } from 'passport-jwt';
import type { MeshPrincipal } from './mesh-principal.js';
import { MeshTokenService } from './mesh-token.service.js';

/** Name under which the strategy registers with passport: `AuthGuard('mesh-jwt')`. */
export const MESH_JWT_STRATEGY = 'mesh-jwt';

/** Where the principal verified by `MeshTokenService` waits for `validate` on the request. */
const VERIFIED_PRINCIPAL = Symbol('toskamesh.security.verifiedPrincipal');

type StrategyRequest = Record<PropertyKey, unknown>;

/**
 * passport-jwt strategy `mesh-jwt` for apps that compose passport guards (`AuthGuard('mesh-jwt')`).
 * passport-jwt 4 always verifies with jsonwebtoken, so to keep one set of rules its
 * `secretOrKeyProvider` first verifies the token with {@link MeshTokenService} (signature, issuer,
 * audience, expiry with skew, .NET claims) and only then hands jsonwebtoken the same key; `validate`
 * returns the `MeshPrincipal`, so `req.user` matches what `MeshAuthGuard` attaches.
 *
 * Passport strategies are process-global: the last `SecurityModule` created in a process owns the
 * name. `MeshAuthGuard` does not go through passport and has no such limit.
 */
@Injectable()
export class MeshJwtStrategy extends PassportStrategy(Strategy, MESH_JWT_STRATEGY) {
  constructor(tokens: MeshTokenService) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: meshKeyProvider(tokens),
      passReqToCallback: true,
      issuer: tokens.issuer,
      audience: tokens.audience,
      algorithms: [...tokens.algorithms],
      jsonWebTokenOptions: { clockTolerance: Math.ceil(tokens.clockSkewMs / 1000) },
    });
  }

  /** Returns the principal verified in the key provider; passport stores it on `req.user`. */
  validate(request: StrategyRequest, _payload: unknown): MeshPrincipal | false {
    const principal = request[VERIFIED_PRINCIPAL] as MeshPrincipal | undefined;
    delete request[VERIFIED_PRINCIPAL];
    return principal ?? false;
  }
}

function meshKeyProvider(tokens: MeshTokenService): SecretOrKeyProvider<StrategyRequest> {
  return (request, rawJwtToken: string, done) => {
    const verified = tokens
      .verify(rawJwtToken)
      .then(async (principal) => ({ principal, key: await tokens.verificationKey(rawJwtToken) }));
    // Two-argument then: a throw from passport inside `done` must not call `done` a second time.
    void verified.then(
      ({ principal, key }) => {
        request[VERIFIED_PRINCIPAL] = principal;
        // jsonwebtoken 9 accepts a KeyObject although @types/passport-jwt only lists string | Buffer.
        done(null, key as unknown as Buffer);
      },
      (error: unknown) => done(error),
    );
  };
}
