import type { IncomingMessage } from 'node:http';
import {
  Controller,
  Get,
  Injectable,
  UnauthorizedException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import type { CircuitBreakerSnapshot } from '@toskamesh/resilience';
import { adminIdentityOf } from './admin-access.js';
import { AdminStateService, type AdminInstances, type AdminRoutes } from './admin-state.service.js';

/**
 * Lets a request in only when the gateway's pipeline admitted it to the admin API (`AdminAccess`
 * checked its credentials and role and marked it). Defence in depth: the controller stays closed even
 * if the Nest app were ever reached without the pipeline.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    if (adminIdentityOf(request) === undefined) throw new UnauthorizedException('admin credentials required');
    return true;
  }
}

/** The admin API's handlers; mounted at `admin.path` by {@link adminControllerAt}. */
export abstract class AdminEndpoints {
  constructor(private readonly state: AdminStateService) {}

  /** Route prefix, known services with their instance counts, static routes. */
  @Get('routes')
  routes(): AdminRoutes {
    return this.state.routes();
  }

  /** Pools with per-target state, and every registry instance. */
  @Get('instances')
  instances(): AdminInstances {
    return this.state.instances();
  }

  /** Every per-service circuit breaker's state. */
  @Get('breakers')
  breakers(): CircuitBreakerSnapshot[] {
    return this.state.breakerStates();
  }
}

/**
 * A controller class serving the admin API at `path` (the path is only known from options). A class
 * per call, so two gateways in one process do not share the last path.
 */
export function adminControllerAt(path: string): Type<AdminEndpoints> {
  @Controller(path)
  @UseGuards(AdminGuard)
  class GatewayAdminController extends AdminEndpoints {
    constructor(state: AdminStateService) {
      super(state);
    }
  }
  return GatewayAdminController;
}
