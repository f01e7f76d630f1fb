import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { MeshConfigError, meshOptionsFromEnv } from '@toskamesh/common';
import { SECRET_KEY, assertUsableSecret } from './secret-rules.js';
import { DEFAULT_MESH_TOKEN_AUDIENCE, type ServiceAuthOptions } from './security-options.js';

/** Default token lifetime: 10 minutes, as `Mesh:ServiceAuth:TokenLifetimeMinutes` upstream. */
export const DEFAULT_TOKEN_LIFETIME_MS = 10 * 60_000;

/** Default tolerance for clock differences between services. */
export const DEFAULT_CLOCK_SKEW_MS = 30_000;

/** {@link ServiceAuthOptions} with every default applied. */
export interface ResolvedServiceAuthOptions extends ServiceAuthOptions {
  issuer: string;
  audience: string;
  clockSkewMs: number;
  tokenLifetimeMs: number;
}

type Env = Record<string, string | undefined>;

/**
 * Applies defaults and checks the non-key fields (issuer, audience, durations). Does not read the
 * environment; {@link resolveServiceAuthOptions} does.
 */
export function applyServiceAuthDefaults(options: ServiceAuthOptions): ResolvedServiceAuthOptions {
  const resolved = {
    ...options,
    issuer: options.issuer ?? DEFAULT_MESH_TOKEN_AUDIENCE,
    audience: options.audience ?? DEFAULT_MESH_TOKEN_AUDIENCE,
    clockSkewMs: options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS,
    tokenLifetimeMs: options.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS,
  };
  for (const key of ['issuer', 'audience'] as const) {
    if (typeof resolved[key] !== 'string' || resolved[key].trim() === '') {
      throw new MeshConfigError(`serviceAuth.${key}`, 'must be a non-empty string', { value: resolved[key] });
    }
  }
  if (!Number.isInteger(resolved.clockSkewMs) || resolved.clockSkewMs < 0) {
    throw new MeshConfigError('serviceAuth.clockSkewMs', 'must be an integer >= 0', {
      value: resolved.clockSkewMs,
    });
  }
  if (!Number.isInteger(resolved.tokenLifetimeMs) || resolved.tokenLifetimeMs < 1_000) {
    throw new MeshConfigError('serviceAuth.tokenLifetimeMs', 'must be an integer >= 1000 (one second)', {
      value: resolved.tokenLifetimeMs,
    });
  }
  return resolved;
}

/**
 * Merges explicit options over the `MESH_SERVICE_AUTH_*` / `Mesh__ServiceAuth__*` variables, applies
 * defaults and enforces the secret policy:
 * - with `NODE_ENV=production` a missing secret (and no key pair) is refused, ephemeral or not;
 * - elsewhere a missing secret is refused too, unless `allowEphemeralSecret` is set, which generates a
 *   random per-process secret and logs a warning (tokens then only verify inside this process);
 * - blank, `change-me` or shorter-than-32-character secrets are refused everywhere.
 */
export function resolveServiceAuthOptions(
  options: ServiceAuthOptions = {},
  env: Env = process.env,
  logger: Pick<Logger, 'warn'> = new Logger('MeshSecurity'),
): ResolvedServiceAuthOptions {
  const merged = mergeEnv(options, env);
  const usesKeys =
    merged.privateKey !== undefined || merged.publicKey !== undefined || merged.jwksUrl !== undefined;
  if (usesKeys || merged.secret !== undefined) {
    if (!usesKeys) assertUsableSecret(merged.secret);
    return applyServiceAuthDefaults(merged);
  }
  if (env.NODE_ENV === 'production') {
    throw new MeshConfigError(SECRET_KEY, 'is missing and NODE_ENV=production never uses a default', {
      allowed: `a random secret of at least 32 characters (e.g. \`openssl rand -base64 48\`) in ${SECRET_KEY}, or a key pair`,
    });
  }
  if (merged.allowEphemeralSecret !== true) {
    throw new MeshConfigError(SECRET_KEY, 'is missing', {
      allowed:
        `a random secret of at least 32 characters in ${SECRET_KEY} (e.g. \`openssl rand -base64 48\`), ` +
        'or serviceAuth.allowEphemeralSecret: true for a throw-away per-process secret in development',
    });
  }
  logger.warn(
    `${SECRET_KEY} is not set: using a random per-process secret. Tokens issued here will not verify in ` +
      `other processes; set ${SECRET_KEY} to a shared value (openssl rand -base64 48) for a real mesh.`,
  );
  return applyServiceAuthDefaults({ ...merged, secret: randomBytes(48).toString('base64url') });
}

function mergeEnv(options: ServiceAuthOptions, env: Env): ServiceAuthOptions {
  const fromEnv = meshOptionsFromEnv(env).serviceAuth;
  const usesKeys =
    options.privateKey !== undefined || options.publicKey !== undefined || options.jwksUrl !== undefined;
  return {
    ...options,
    // A key pair wins over an env secret: combining both is refused, so the env must not add one.
    secret: options.secret ?? (usesKeys ? undefined : fromEnv.secret),
    issuer: options.issuer ?? fromEnv.issuer,
    audience: options.audience ?? fromEnv.audience,
    tokenLifetimeMs: options.tokenLifetimeMs ?? fromEnv.tokenLifetimeMs,
  };
}
