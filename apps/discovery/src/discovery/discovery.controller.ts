import { Controller, Get, Param, UseGuards, UseInterceptors } from '@nestjs/common';
import { RequiresAccess } from '../auth/access.decorator.js';
import { DiscoveryAuthGuard } from '../auth/discovery-auth.guard.js';
import { apiResult, type ApiResult } from '../http/api-envelope.js';
import { EnvelopeInterceptor } from '../http/envelope.interceptor.js';
import type { ServiceInstanceJson } from '../http/instance-json.js';
import type { TrackingSnapshotJson } from '../tracking/tracking-record.js';
import { DiscoveryQueryService } from './discovery-query.service.js';
import type { ServiceMetadataSummary } from './metadata-summary.js';

/** `/api/ServiceDiscovery`: the .NET original's read API (contracts/discovery.md). */
@Controller('api/ServiceDiscovery')
@UseGuards(DiscoveryAuthGuard)
@UseInterceptors(EnvelopeInterceptor)
@RequiresAccess('read')
export class DiscoveryController {
  constructor(private readonly queries: DiscoveryQueryService) {}

  @Get('services')
  async services(): Promise<ApiResult<string[]>> {
    return apiResult(await this.queries.services());
  }

  @Get('services/:serviceName/instances')
  async instances(@Param('serviceName') serviceName: string): Promise<ApiResult<ServiceInstanceJson[]>> {
    return apiResult(await this.queries.instances(serviceName));
  }

  @Get('services/:serviceName/instances/healthy')
  async healthy(@Param('serviceName') serviceName: string): Promise<ApiResult<ServiceInstanceJson[]>> {
    return apiResult(await this.queries.instances(serviceName, true));
  }

  @Get('services/:serviceName/instances/tracking')
  trackingOfService(@Param('serviceName') serviceName: string): ApiResult<TrackingSnapshotJson[]> {
    return apiResult(this.queries.trackingOfService(serviceName));
  }

  @Get('services/:serviceName/metadata')
  async metadata(@Param('serviceName') serviceName: string): Promise<ApiResult<ServiceMetadataSummary>> {
    return apiResult(await this.queries.metadata(serviceName));
  }

  @Get('instances/:serviceId')
  async instance(@Param('serviceId') serviceId: string): Promise<ApiResult<ServiceInstanceJson>> {
    return apiResult(await this.queries.instance(serviceId));
  }

  @Get('instances/:serviceId/tracking')
  tracking(@Param('serviceId') serviceId: string): ApiResult<TrackingSnapshotJson> {
    return apiResult(this.queries.tracking(serviceId));
  }
}
