import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { httpAuthFailure, isAuthFailure } from './auth-failure.js';
import { findBearerToken } from './bearer-token.js';
import { PublicMetadata } from './decorators/public.decorator.js';
import { RolesMetadata } from './decorators/roles.decorator.js';
import { ScopesMetadata } from './decorators/scopes.decorator.js';
import { ForbiddenError } from './errors/forbidden.error.js';
import { MissingTokenError } from './errors/missing-token.error.js';
import { hasAnyRole, missingScopes, type MeshPrincipal } from './mesh-principal.js';
import { MeshTokenService } from './mesh-token.service.js';
import { attachPrincipal } from './principal-context.js';

type Targets = [ReturnType<ExecutionContext['getHandler']>, ReturnType<ExecutionContext['getClass']>];

/**
 * Requires a valid mesh token on every route unless it (or its controller) is `@Public()`, then
 * checks `@Roles(...)` (any of) and `@Scopes(...)` (all of). The principal lands on `req.user` and is
 * available through `@CurrentPrincipal()`.
 *
 * HTTP: reads `Authorization: Bearer <token>` and answers problem-style JSON — 401 (missing/invalid
 * token, with `reason`), 403 (role/scope), 503 (JWKS unreachable) — plus a `WWW-Authenticate`
 * challenge. RPC (gRPC, NATS, ...): reads the `authorization` metadata/header entry and throws the
 * `MeshError` itself (`MESH_SECURITY_TOKEN_MISSING`/`_INVALID` → UNAUTHENTICATED,
 * `MESH_SECURITY_FORBIDDEN` → PERMISSION_DENIED) for the app's RPC exception filter to map.
 */
@Injectable()
export class MeshAuthGuard implements CanActivate {
  private readonly logger = new Logger(MeshAuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: MeshTokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets: Targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride(PublicMetadata, targets) === true) return true;
    try {
      const principal = await this.authenticate(context);
      this.authorize(principal, targets);
      attachPrincipal(context, principal);
      return true;
    } catch (error) {
      throw this.toTransportError(context, error);
    }
  }

  private async authenticate(context: ExecutionContext): Promise<MeshPrincipal> {
    const { token, source } = findBearerToken(context);
    if (token === undefined) throw new MissingTokenError(source);
    return this.tokens.verify(token);
  }

  private authorize(principal: MeshPrincipal, targets: Targets): void {
    const roles = this.reflector.getAllAndOverride(RolesMetadata, targets) ?? [];
    const scopes = this.reflector.getAllAndOverride(ScopesMetadata, targets) ?? [];
    if (!hasAnyRole(principal, roles)) throw new ForbiddenError(principal.subject, { roles, scopes });
    const missing = missingScopes(principal, scopes);
    if (missing.length > 0) throw new ForbiddenError(principal.subject, { roles, scopes }, missing);
  }

  private toTransportError(context: ExecutionContext, error: unknown): unknown {
    if (!isAuthFailure(error)) return error;
    this.logger.debug(`${context.getType()} call to ${context.getClass().name} refused: ${error.message}`);
    if (context.getType() !== 'http') return error;
    const failure = httpAuthFailure(error);
    setHeader(context.switchToHttp().getResponse(), 'WWW-Authenticate', failure.challenge);
    return failure.exception;
  }
}

/** Sets a header on an Express (`setHeader`) or Fastify (`header`) response. */
function setHeader(response: unknown, name: string, value: string): void {
  const target = response as { setHeader?: unknown; header?: unknown; headersSent?: boolean } | undefined;
  if (!target || target.headersSent === true) return;
  if (typeof target.setHeader === 'function') {
    (target.setHeader as (n: string, v: string) => void).call(target, name, value);
  } else if (typeof target.header === 'function') {
    (target.header as (n: string, v: string) => void).call(target, name, value);
  }
}
