import { hash } from 'node:crypto';
import { MeshConfigError } from '@toskamesh/common';
import {
  DEFAULT_MESH_TOKEN_AUDIENCE,
  MeshTokenService,
  secretProblem,
  type MeshPrincipal,
} from '@toskamesh/security';
import type { ResolvedGatewayOptions } from '../config/resolved-gateway-options.js';
import type { AuthOutcome, RequestIdentity } from './request-identity.js';
import { UNSAFE_CLAIMS, tokenFailure, unauthorized } from './token-failure.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

/** JWT settings of the gateway. */
export type GatewayJwtSettings = ResolvedGatewayOptions['security']['jwt'];

/** Collaborators of {@link JwtVerifier}; tests inject a clock. */
export interface JwtVerifierDeps {
  /** Epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Verified tokens remembered (0 turns the cache off). @default 10000 */
  readonly cacheSize?: number;
}

/** Default number of verified tokens kept; about 3 MB at most. */
export const DEFAULT_TOKEN_CACHE_SIZE = 10_000;

/**
 * Verifies bearer tokens with `MeshTokenService` (signature, algorithm, `iss`, `aud`, `exp`/`nbf`/`iat`
 * with clock skew) and turns them into a {@link RequestIdentity}: `user` is the subject (`sub`, or the
 * .NET `nameidentifier` claim), `roles` the union of `roles`, `role` and the .NET role claim.
 *
 * A blank issuer or audience means the mesh default `ToskaMesh.Services` (what every mesh token
 * carries): `MeshTokenService` always checks both, and skipping the audience check would let a token
 * minted for another service in the same trust domain through.
 *
 * One verification costs ~100 µs of CPU (jose over WebCrypto), more than the whole proxying of a
 * request, so successes are remembered in a {@link VerifiedTokenCache} and concurrent first uses of
 * the same token share one verification. A cache hit answers synchronously.
 */
export class JwtVerifier {
  private readonly tokens: MeshTokenService;
  private readonly now: () => number;
  private readonly skewSec: number;
  private readonly cache: VerifiedTokenCache;
  private readonly inFlight = new Map<string, Promise<AuthOutcome>>();

  constructor(settings: GatewayJwtSettings, deps: JwtVerifierDeps = {}) {
    this.now = deps.now ?? Date.now;
    this.skewSec = Math.ceil(settings.clockSkewMs / 1000);
    this.cache = new VerifiedTokenCache(deps.cacheSize ?? DEFAULT_TOKEN_CACHE_SIZE);
    this.tokens = createTokenService(settings, this.now);
  }

  /** The identity in `token`, or the 401 saying why it is refused. Never throws nor rejects. */
  verify(token: string): AuthOutcome | Promise<AuthOutcome> {
    // One-shot crypto.hash: about a third cheaper than createHash().update().digest().
    const digest = hash('sha256', token, 'base64');
    const cached = this.cache.get(digest);
    if (cached !== undefined) {
      if (this.now() < cached.expiresAtMs) return { ok: true, identity: cached.identity };
      this.cache.delete(digest);
      return unauthorized('token expired');
    }
    let pending = this.inFlight.get(digest);
    if (pending === undefined) {
      pending = this.verifyUncached(token, digest).finally(() => this.inFlight.delete(digest));
      this.inFlight.set(digest, pending);
    }
    return pending;
  }

  /** Verified tokens currently remembered. */
  get cachedTokens(): number {
    return this.cache.size;
  }

  private async verifyUncached(token: string, digest: string): Promise<AuthOutcome> {
    let principal: MeshPrincipal;
    try {
      principal = await this.tokens.verify(token);
    } catch (error) {
      return tokenFailure(error);
    }
    const identity = identityOf(principal);
    if (identity === undefined) return unauthorized(UNSAFE_CLAIMS);
    const exp = Number(principal.claims.exp);
    // MeshTokenService calls a token expired once floor(now / 1000) >= exp + skew (seconds).
    if (Number.isFinite(exp)) this.cache.set(digest, { identity, expiresAtMs: (exp + this.skewSec) * 1000 });
    return { ok: true, identity };
  }
}

function identityOf(principal: MeshPrincipal): RequestIdentity | undefined {
  const { subject, roles } = principal;
  if (hasControlCharacter(subject) || roles.some(hasControlCharacter)) {
    return undefined;
  }
  return Object.freeze({ user: subject, roles: Object.freeze([...roles]), via: 'jwt' as const });
}

function createTokenService(settings: GatewayJwtSettings, now: () => number): MeshTokenService {
  const { secret, publicKey } = settings;
  if (secret !== undefined && publicKey !== undefined) {
    throw new MeshConfigError('security.jwt.secret', 'cannot be combined with security.jwt.publicKey', {
      allowed: 'either an HS256 secret or an RS256/ES256 public key',
    });
  }
  if (publicKey === undefined) {
    const problem = secretProblem(secret);
    if (problem !== undefined) {
      throw new MeshConfigError('security.jwt.secret', problem, {
        allowed:
          'at least 32 random characters (e.g. `openssl rand -base64 48`), or security.jwt.publicKey ' +
          'with a PEM public key for RS256/ES256',
      });
    }
  }
  const common = {
    issuer: settings.issuer || DEFAULT_MESH_TOKEN_AUDIENCE,
    audience: settings.audience || DEFAULT_MESH_TOKEN_AUDIENCE,
    clockSkewMs: settings.clockSkewMs,
    now,
  };
  if (publicKey === undefined) return new MeshTokenService({ ...common, secret });
  try {
    return new MeshTokenService({ ...common, publicKey });
  } catch (cause) {
    throw new MeshConfigError('security.jwt.publicKey', 'is not a usable RS256/ES256 public key', {
      allowed: 'an SPKI PEM ("-----BEGIN PUBLIC KEY-----") of an RSA or EC P-256 key',
      cause,
    });
  }
}

/**
 * True for CR, LF, NUL and the other controls Node refuses in a header value: such a subject or role
 * would make forwarding `x-mesh-user` / `x-mesh-roles` throw, so its token is refused up front.
 */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}
