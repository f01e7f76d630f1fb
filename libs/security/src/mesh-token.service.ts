import { type KeyObject, randomUUID } from 'node:crypto';
import { MeshConfigError, MeshValidationError } from '@toskamesh/common';
import { SignJWT, compactVerify, decodeProtectedHeader, errors, type JWTPayload } from 'jose';
import { InvalidTokenError, type InvalidTokenReason } from './errors/invalid-token.error.js';
import { principalFromClaims, type MeshPrincipal } from './mesh-principal.js';
import type { MeshTokenAlgorithm, ServiceAuthOptions } from './security-options.js';
import { applyServiceAuthDefaults } from './service-auth.options.js';
import { validateClaims } from './token-claims.js';
import { createTokenKeys, verificationKeyObject, type TokenKeys } from './token-keys.js';

/** Largest token accepted before parsing; real mesh tokens are well under 2 KiB. */
const MAX_TOKEN_LENGTH = 16 * 1024;

/** What a token says about its holder; everything but `subject` is optional. */
export interface MeshTokenClaims {
  /** `sub`: the service id for service tokens, the user id for user tokens. */
  subject: string;
  /** `service_name` claim. */
  serviceName?: string;
  /** `service_id` claim. */
  serviceId?: string;
  /** `roles` claim (array). */
  roles?: string[];
  /** `scope` claim (space-separated). */
  scopes?: string[];
  /** Further claims; registered claims (`sub`, `iss`, `aud`, `iat`, `exp`, `jti`) always win over these. */
  extra?: Record<string, unknown>;
}

/** Per-token overrides of {@link MeshTokenService.issue}. */
export interface IssueTokenOptions {
  /** Lifetime of this token in milliseconds. @default the service's tokenLifetimeMs */
  expiresInMs?: number;
}

/** Constructor options: {@link ServiceAuthOptions} plus a clock for tests. */
export interface MeshTokenServiceOptions extends ServiceAuthOptions {
  /** Current time in epoch milliseconds; inject a fake in tests instead of sleeping. @default Date.now */
  now?: () => number;
}

/**
 * Issues and verifies mesh JWTs (HS256 with a shared secret, or RS256/ES256 with a key pair or JWKS).
 * Issued tokens carry numeric `iat`/`exp` (the .NET original wrote `iat` as a string), `iss`/`aud`,
 * `sub`, `jti` and the mesh claims `service_name`, `service_id`, `roles`, `scope`. Verification reads
 * roles from `roles`, `role` and the .NET role URI so tokens of the original still work.
 *
 * Construction validates the key material and throws `MeshConfigError` for blank, placeholder or
 * short secrets; it does not read the environment (see `resolveServiceAuthOptions`).
 */
export class MeshTokenService {
  /** Expected and issued `iss`. */
  readonly issuer: string;
  /** Expected and issued `aud`. */
  readonly audience: string;
  /** Default lifetime of issued tokens in milliseconds. */
  readonly tokenLifetimeMs: number;
  /** Tolerance for time comparisons in milliseconds. */
  readonly clockSkewMs: number;
  /** Algorithms a verified token may be signed with. */
  readonly algorithms: readonly MeshTokenAlgorithm[];
  /** The clock used for `iat`/`exp` and expiry checks. */
  readonly now: () => number;
  private readonly keys: TokenKeys;

  constructor(options: MeshTokenServiceOptions) {
    const resolved = applyServiceAuthDefaults(options);
    this.keys = createTokenKeys(resolved);
    this.issuer = resolved.issuer;
    this.audience = resolved.audience;
    this.tokenLifetimeMs = resolved.tokenLifetimeMs;
    this.clockSkewMs = resolved.clockSkewMs;
    this.algorithms = this.keys.algorithms;
    this.now = options.now ?? Date.now;
  }

  /** False for verify-only configurations (a public key or JWKS without a private key). */
  get canIssue(): boolean {
    return this.keys.signing !== undefined;
  }

  /** Signs a token for `claims`, valid from now for `expiresInMs` (default `tokenLifetimeMs`). */
  async issue(claims: MeshTokenClaims, options: IssueTokenOptions = {}): Promise<string> {
    const signing = this.keys.signing;
    if (!signing) {
      throw new MeshConfigError('serviceAuth.privateKey', 'is required to issue tokens', {
        allowed: 'a secret or a private key; publicKey/jwksUrl alone only verify',
      });
    }
    const lifetimeMs = options.expiresInMs ?? this.tokenLifetimeMs;
    assertIssuable(claims, lifetimeMs);
    const issuedAtSec = Math.floor(this.now() / 1000);
    return new SignJWT(payloadFor(claims))
      .setProtectedHeader({
        alg: signing.algorithm,
        typ: 'JWT',
        ...(signing.keyId ? { kid: signing.keyId } : {}),
      })
      .setSubject(claims.subject)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt(issuedAtSec)
      .setExpirationTime(issuedAtSec + Math.max(1, Math.ceil(lifetimeMs / 1000)))
      .setJti(randomUUID())
      .sign(signing.key);
  }

  /**
   * Verifies signature, algorithm, issuer, audience, `exp`/`nbf`/`iat` (with clock skew) and returns
   * the principal. Throws `InvalidTokenError` whose `reason` names what failed.
   */
  async verify(token: string): Promise<MeshPrincipal> {
    assertTokenShape(token);
    let payload: Uint8Array;
    try {
      ({ payload } = await compactVerify(token, this.keys.verification, {
        algorithms: [...this.algorithms],
      }));
    } catch (error) {
      throw invalidTokenFrom(error, typeof this.keys.verification === 'function');
    }
    const claims = validateClaims(payload, {
      issuer: this.issuer,
      audience: this.audience,
      nowSec: Math.floor(this.now() / 1000),
      skewSec: Math.ceil(this.clockSkewMs / 1000),
    });
    const principal = principalFromClaims(claims);
    if (!principal) throw new InvalidTokenError('missing_claim', '"sub"');
    return principal;
  }

  /**
   * The key that verifies `token`, as a Node `KeyObject`. Only for handing to libraries that verify
   * on their own (passport-jwt's jsonwebtoken); does not verify anything itself.
   */
  async verificationKey(token: string): Promise<KeyObject> {
    assertTokenShape(token);
    const [protectedHeader = '', payload = '', signature = ''] = token.split('.');
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch (cause) {
      throw new InvalidTokenError('malformed', 'the header is not valid', { cause });
    }
    try {
      return await verificationKeyObject(this.keys, header, {
        protected: protectedHeader,
        payload,
        signature,
      });
    } catch (error) {
      throw invalidTokenFrom(error, typeof this.keys.verification === 'function');
    }
  }
}

function payloadFor(claims: MeshTokenClaims): JWTPayload {
  return {
    ...claims.extra,
    ...(claims.serviceName !== undefined ? { service_name: claims.serviceName } : {}),
    ...(claims.serviceId !== undefined ? { service_id: claims.serviceId } : {}),
    ...(claims.roles !== undefined ? { roles: [...new Set(claims.roles)] } : {}),
    ...(claims.scopes !== undefined && claims.scopes.length > 0 ? { scope: claims.scopes.join(' ') } : {}),
  };
}

function assertIssuable(claims: MeshTokenClaims, lifetimeMs: number): void {
  const problems: string[] = [];
  if (typeof claims.subject !== 'string' || claims.subject.trim() === '') {
    problems.push('subject must be a non-empty string');
  }
  if (claims.roles?.some((role) => typeof role !== 'string' || role === '')) {
    problems.push('roles must be non-empty strings');
  }
  if (claims.scopes?.some((scope) => typeof scope !== 'string' || /\s/.test(scope) || scope === '')) {
    problems.push('scopes must be non-empty strings without spaces');
  }
  if (!Number.isFinite(lifetimeMs) || lifetimeMs <= 0) {
    problems.push(`expiresInMs must be a positive number (got ${lifetimeMs})`);
  }
  if (problems.length > 0) throw new MeshValidationError('token claims', problems);
}

function assertTokenShape(token: unknown): asserts token is string {
  if (typeof token !== 'string' || token.length === 0) {
    throw new InvalidTokenError('malformed', 'not a non-empty string');
  }
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new InvalidTokenError('malformed', `longer than ${MAX_TOKEN_LENGTH} characters`);
  }
  if (token.split('.').length !== 3) {
    throw new InvalidTokenError('malformed', 'not a compact JWS (header.payload.signature)');
  }
}

function invalidTokenFrom(error: unknown, remoteKeys: boolean): InvalidTokenError {
  if (error instanceof InvalidTokenError) return error;
  const [reason, detail] = classify(error, remoteKeys);
  return new InvalidTokenError(reason, detail, { cause: error });
}

function classify(error: unknown, remoteKeys: boolean): [InvalidTokenReason, string?] {
  if (error instanceof errors.JWSSignatureVerificationFailed) return ['bad_signature'];
  if (error instanceof errors.JOSEAlgNotAllowed) return ['algorithm_not_allowed'];
  if (error instanceof errors.JWKSNoMatchingKey) return ['unknown_key', 'no JWKS key matches kid/alg'];
  if (error instanceof errors.JWKSMultipleMatchingKeys) return ['unknown_key', 'several JWKS keys match'];
  if (error instanceof errors.JWKSTimeout) return ['key_unavailable', 'JWKS fetch timed out'];
  if (error instanceof errors.JWKSInvalid) return ['key_unavailable', 'JWKS document is invalid'];
  if (error instanceof errors.JWSInvalid || error instanceof errors.JOSENotSupported) {
    return ['malformed', error.message];
  }
  // Anything else while a remote key set is configured is a fetch failure (network, non-200 answer).
  if (remoteKeys) return ['key_unavailable', error instanceof Error ? error.message : undefined];
  return ['malformed'];
}
