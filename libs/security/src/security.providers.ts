import { type CanActivate } from '@nestjs/common';
import { MeshConfigError, meshOptionsFromEnv } from '@toskamesh/common';
import type { MeshAuthGuard } from './mesh-auth.guard.js';
import { MeshTokenService } from './mesh-token.service.js';
import type { SecurityModuleOptions } from './security-options.js';
import { resolveServiceAuthOptions } from './service-auth.options.js';
import { ServiceTokenProvider } from './service-token.provider.js';

/** Stand-in for the global guard when `guard.global` is false. */
const ALLOW_ALL: CanActivate = { canActivate: () => true };

/** Builds the token service, refusing bad options (secret policy included) at start-up. */
export function createTokenService(options: SecurityModuleOptions): MeshTokenService {
  assertModuleOptions(options);
  return new MeshTokenService(resolveServiceAuthOptions(options.serviceAuth ?? {}, process.env));
}

/**
 * The service's own token provider, or `undefined` without `identity` (inject it with `@Optional()`).
 * Roles default to `Mesh__ServiceAuth__Roles`.
 */
export function createServiceTokenProvider(
  options: SecurityModuleOptions,
  tokens: MeshTokenService,
): ServiceTokenProvider | undefined {
  if (!options.identity) return undefined;
  const roles = options.identity.roles ?? meshOptionsFromEnv(process.env).serviceAuth.roles ?? [];
  return new ServiceTokenProvider(tokens, { ...options.identity, roles });
}

/** `APP_GUARD` value: the mesh guard, or a pass-through when the guard is not global. */
export function selectGlobalGuard(options: SecurityModuleOptions, guard: MeshAuthGuard): CanActivate {
  return options.guard?.global === false ? ALLOW_ALL : guard;
}

function assertModuleOptions(options: SecurityModuleOptions): void {
  const global: unknown = options.guard?.global;
  if (global !== undefined && typeof global !== 'boolean') {
    throw new MeshConfigError('guard.global', 'must be a boolean', { value: global });
  }
  if (options.identity !== undefined && (typeof options.identity !== 'object' || options.identity === null)) {
    throw new MeshConfigError('identity', 'must be an object with serviceName', { value: options.identity });
  }
}
