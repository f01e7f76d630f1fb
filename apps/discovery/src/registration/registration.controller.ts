import {
  Body,
  Controller,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { MeshValidationError, parseHealthStatus } from '@toskamesh/common';
import type { IncomingMessage } from 'node:http';
import { RequiresAccess } from '../auth/access.decorator.js';
import { Caller } from '../auth/caller.decorator.js';
import { DiscoveryAuthGuard } from '../auth/discovery-auth.guard.js';
import type { MeshPrincipal } from '@toskamesh/security';
import type { ResolvedDiscoveryOptions } from '../config/discovery-options.js';
import { DISCOVERY_OPTIONS } from '../discovery-app.tokens.js';
import { apiResult, type ApiResult } from '../http/api-envelope.js';
import { EnvelopeInterceptor } from '../http/envelope.interceptor.js';
import { toInstanceJson, type ServiceInstanceJson } from '../http/instance-json.js';
import { parseRegistrationBody } from './registration-body.js';
import { RegistrationService } from './registration.service.js';

/** `/api/ServiceRegistration`: the .NET original's registration API (contracts/discovery.md). */
@Controller('api/ServiceRegistration')
@UseGuards(DiscoveryAuthGuard)
@UseInterceptors(EnvelopeInterceptor)
@RequiresAccess('write')
export class RegistrationController {
  constructor(
    private readonly registrations: RegistrationService,
    @Inject(DISCOVERY_OPTIONS) private readonly options: ResolvedDiscoveryOptions,
  ) {}

  @Post('register')
  @HttpCode(200)
  async register(
    @Caller() caller: MeshPrincipal,
    @Body() body: unknown,
    @Req() request: IncomingMessage,
  ): Promise<ApiResult<ServiceInstanceJson>> {
    const registration = parseRegistrationBody(body, {
      callerIp: request.socket.remoteAddress,
      defaultTimeoutMs: this.options.probing.defaultTimeoutMs,
    });
    const instance = await this.registrations.register(caller, registration);
    return apiResult(toInstanceJson(instance), 'Service registered successfully');
  }

  @Post('deregister/:serviceId')
  @HttpCode(200)
  async deregister(
    @Caller() caller: MeshPrincipal,
    @Param('serviceId') serviceId: string,
  ): Promise<ApiResult<null>> {
    await this.registrations.deregister(caller, serviceId);
    return apiResult(null, 'Service deregistered successfully');
  }

  @Post('health/check/:serviceId')
  @HttpCode(200)
  async check(
    @Caller() caller: MeshPrincipal,
    @Param('serviceId') serviceId: string,
  ): Promise<ApiResult<null>> {
    const outcome = await this.registrations.checkNow(caller, serviceId);
    return apiResult(null, `Health check triggered: ${outcome.output}`);
  }

  @Post('health/:serviceId')
  @HttpCode(200)
  async health(
    @Caller() caller: MeshPrincipal,
    @Param('serviceId') serviceId: string,
    @Body() body: unknown,
  ): Promise<ApiResult<null>> {
    const { status, output } = (isObject(body) ? body : {}) as { status?: unknown; output?: unknown };
    if (status === undefined || status === null) {
      throw new MeshValidationError('health report', ['status is required (0-3 or a status name)']);
    }
    const parsed = parseHealthStatus(status);
    await this.registrations.reportHealth(
      caller,
      serviceId,
      parsed,
      typeof output === 'string' ? output : null,
    );
    return apiResult(null, 'Health status updated');
  }

  @Post('heartbeat/:serviceId')
  @HttpCode(200)
  async heartbeat(
    @Caller() caller: MeshPrincipal,
    @Param('serviceId') serviceId: string,
  ): Promise<ApiResult<null>> {
    await this.registrations.heartbeat(caller, serviceId);
    return apiResult(null, 'Heartbeat received');
  }

  @Post('metadata/:serviceId')
  @HttpCode(200)
  async metadata(
    @Caller() caller: MeshPrincipal,
    @Param('serviceId') serviceId: string,
    @Body() body: unknown,
  ): Promise<ApiResult<null>> {
    await this.registrations.updateMetadata(caller, serviceId, isObject(body) ? body.metadata : undefined);
    return apiResult(null, 'Metadata updated');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
