import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { isMeshError } from '@toskamesh/common';
import { ForbiddenError, MissingTokenError, bearerFromHeader, type MeshPrincipal } from '@toskamesh/security';
import type { ResolvedDiscoveryOptions } from '../config/discovery-options.js';
import { DISCOVERY_OPTIONS, TOKEN_VERIFIER } from '../discovery-app.tokens.js';
import { NotOwnerError } from '../errors/not-owner.error.js';
import { UnauthenticatedError } from '../errors/unauthenticated.error.js';
import type { Access } from './access.decorator.js';
import type { TokenVerifier } from './token-verifier.js';

/** Roles that may change registrations (`Admin` any, `Service` its own service's). */
export const MESH_ROLES = { service: 'Service', admin: 'Admin' } as const;

const WRITERS = [MESH_ROLES.service, MESH_ROLES.admin];

function builtIn(roles: string[]): MeshPrincipal {
  return Object.freeze({ subject: 'anonymous', roles, scopes: [], claims: {} });
}

/** The caller when auth is off: allowed everything, like the .NET original's REST API. */
const UNRESTRICTED = builtIn([MESH_ROLES.admin]);
/** A caller without a token on a read that allows anonymous reads. */
const ANONYMOUS = builtIn([]);

/**
 * The discovery API's access rules, shared by REST and gRPC:
 * - no token -> `MissingTokenError`, an invalid one -> `InvalidTokenError` (both 401 / UNAUTHENTICATED),
 *   except token-less reads when `allowAnonymousReads`;
 * - writes need role `Service` or `Admin`, else `ForbiddenError` (403 / PERMISSION_DENIED);
 * - a `Service` caller may only change registrations whose `serviceName` equals its `service_name`
 *   claim, else {@link NotOwnerError} (403). A registration's content never grants anything.
 */
@Injectable()
export class DiscoveryAuthorizer implements OnModuleInit {
  constructor(
    @Inject(DISCOVERY_OPTIONS) private readonly options: ResolvedDiscoveryOptions,
    @Optional() @Inject(TOKEN_VERIFIER) private readonly verifier?: TokenVerifier,
  ) {}

  onModuleInit(): void {
    if (this.options.auth.enabled) return;
    new Logger(DiscoveryAuthorizer.name).warn(
      'Authentication is OFF: anyone can register, deregister and read. Set MESH_SERVICE_AUTH_SECRET ' +
        '(at least 32 characters) to require mesh service tokens; NODE_ENV=production refuses to start without it.',
    );
  }

  /** Checks an `Authorization` value (header or gRPC metadata) for `access` and returns the caller. */
  async authenticate(
    authorization: unknown,
    access: Access,
    source = 'Authorization header',
  ): Promise<MeshPrincipal> {
    const { enabled, allowAnonymousReads } = this.options.auth;
    if (!enabled || !this.verifier) return UNRESTRICTED;
    const token = bearerFromHeader(authorization);
    if (!token) {
      if (access === 'read' && allowAnonymousReads) return ANONYMOUS;
      throw new MissingTokenError(source);
    }
    let principal: MeshPrincipal;
    try {
      principal = await this.verifier.verify(token);
    } catch (error) {
      throw isMeshError(error) ? error : new UnauthenticatedError(error);
    }
    if (access === 'write' && !hasRole(principal, ...WRITERS)) {
      throw new ForbiddenError(principal.subject, { roles: WRITERS });
    }
    return principal;
  }

  /** Throws {@link NotOwnerError} unless `principal` may change registrations of `serviceName`. */
  assertMayChange(principal: MeshPrincipal, serviceName: string): void {
    if (hasRole(principal, MESH_ROLES.admin)) return;
    if (hasRole(principal, MESH_ROLES.service) && principal.serviceName === serviceName) return;
    throw new NotOwnerError(principal.serviceName, serviceName);
  }
}

function hasRole(principal: MeshPrincipal, ...roles: string[]): boolean {
  return principal.roles.some((held) => roles.includes(held));
}
