import type { JWK } from 'jose';

/** Signing algorithms the mesh accepts. */
export type MeshTokenAlgorithm = 'HS256' | 'RS256' | 'ES256';

/** Every algorithm accepted by {@link ServiceAuthOptions.algorithm}. */
export const MESH_TOKEN_ALGORITHMS: readonly MeshTokenAlgorithm[] = ['HS256', 'RS256', 'ES256'];

/** Default `iss` and `aud` of mesh service tokens, as in the .NET original. */
export const DEFAULT_MESH_TOKEN_AUDIENCE = 'ToskaMesh.Services';

/** Role names of the .NET original's authorization policies (`MeshAuthorizationPolicies`). */
export const MESH_ROLES = { admin: 'Admin', service: 'Service', user: 'User' } as const;

/** Role every service token carries, in addition to the configured ones. */
export const SERVICE_ROLE = MESH_ROLES.service;

/**
 * How mesh service tokens are signed and verified. Give either a shared `secret` (HS256) or a key pair
 * (`privateKey` to issue, `publicKey` or `jwksUrl` to verify; RS256 or ES256), never both. Unset
 * fields fall back to the `MESH_SERVICE_AUTH_*` / `Mesh__ServiceAuth__*` variables.
 */
export interface ServiceAuthOptions {
  /**
   * Shared HS256 secret, at least 32 characters (`openssl rand -base64 48`). Blank values, `change-me`
   * placeholders and shorter secrets are refused.
   * @default process.env.MESH_SERVICE_AUTH_SECRET (or the file named by MESH_SERVICE_AUTH_SECRET_FILE)
   */
  secret?: string;
  /**
   * Signing algorithm.
   * @default 'HS256' with a secret; inferred from the key type (RSA: 'RS256', EC P-256: 'ES256') otherwise
   */
  algorithm?: MeshTokenAlgorithm;
  /** PKCS#8 PEM or private JWK used to issue tokens (RS256/ES256). @default undefined */
  privateKey?: string | JWK;
  /**
   * SPKI PEM, X.509 certificate PEM or public JWK used to verify tokens.
   * @default derived from `privateKey` when that is set
   */
  publicKey?: string | JWK;
  /** URL of a JWKS document whose keys verify tokens (verify-only). @default undefined */
  jwksUrl?: string;
  /** Timeout of one JWKS fetch in milliseconds. @default 5000 */
  jwksTimeoutMs?: number;
  /** `kid` header written into issued tokens. @default the private JWK's `kid`, else none */
  keyId?: string;
  /** Expected and issued `iss`. @default process.env.MESH_SERVICE_AUTH_ISSUER ?? 'ToskaMesh.Services' */
  issuer?: string;
  /** Expected and issued `aud`. @default process.env.MESH_SERVICE_AUTH_AUDIENCE ?? 'ToskaMesh.Services' */
  audience?: string;
  /** Tolerance for `exp`, `nbf` and `iat` comparisons in milliseconds. @default 30000 */
  clockSkewMs?: number;
  /** Lifetime of issued tokens in milliseconds. @default 600000 (10 minutes) */
  tokenLifetimeMs?: number;
  /**
   * Outside production, generate a random per-process secret (with a warning) when none is configured.
   * Never allowed with `NODE_ENV=production`.
   * @default false
   */
  allowEphemeralSecret?: boolean;
}

/** The identity a service presents in its own token. */
export interface ServiceIdentityOptions {
  /** Logical service name, the `service_name` claim. */
  serviceName: string;
  /** Instance id, the token subject and `service_id` claim. @default serviceName */
  serviceId?: string;
  /** Roles besides `Service`, which is always added. @default Mesh__ServiceAuth__Roles or [] */
  roles?: string[];
}

/** Where {@link MeshAuthGuard} applies. */
export interface SecurityGuardOptions {
  /** Register the guard as `APP_GUARD` so every route needs a token unless marked `@Public()`. @default true */
  global?: boolean;
}

/** Options of `SecurityModule.forRoot` / `forRootAsync`. */
export interface SecurityModuleOptions {
  /** Token signing and verification. @default {} (everything from MESH_SERVICE_AUTH_* variables) */
  serviceAuth?: ServiceAuthOptions;
  /** This service's identity; when set, `ServiceTokenProvider` issues its tokens. @default undefined */
  identity?: ServiceIdentityOptions;
  /** Guard registration. @default { global: true } */
  guard?: SecurityGuardOptions;
}
