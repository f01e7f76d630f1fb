import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { RequiresAccess } from './access.decorator.js';
import { DiscoveryAuthorizer } from './discovery-authorizer.service.js';
import type { MeshPrincipal } from '@toskamesh/security';

const PRINCIPAL = Symbol.for('toskamesh.discovery.principal');

/** The caller the guard authenticated for `request`. */
export function principalOf(request: IncomingMessage): MeshPrincipal {
  const principal = (request as unknown as Record<symbol, MeshPrincipal | undefined>)[PRINCIPAL];
  if (!principal) throw new Error('principalOf() called on a route without DiscoveryAuthGuard');
  return principal;
}

/**
 * Authenticates REST calls by their bearer token for the route's {@link RequiresAccess} (`write` when
 * unmarked) and keeps the caller on the request for {@link principalOf}. Failures throw the coded
 * errors the exception filter turns into 401 / 403 problem+json.
 */
@Injectable()
export class DiscoveryAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authorizer: DiscoveryAuthorizer,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access =
      this.reflector.getAllAndOverride(RequiresAccess, [context.getHandler(), context.getClass()]) ?? 'write';
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    const principal = await this.authorizer.authenticate(request.headers.authorization, access);
    (request as unknown as Record<symbol, MeshPrincipal>)[PRINCIPAL] = principal;
    return true;
  }
}
