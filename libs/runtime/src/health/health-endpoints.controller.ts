import { Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { HealthScope } from './health-check-runner.js';
import { httpStatusOf, type HealthReport } from './health-report.js';

/**
 * `/health` (every check), `/health/live` (checks tagged live) and `/health/ready` (checks tagged ready),
 * 200 for Healthy or Degraded and 503 for Unhealthy, like the .NET original. Extend it with
 * `@Controller('health')` and say how a report is made; the runtime and the discovery service both do.
 */
export abstract class HealthEndpointsController {
  /** The report of `scope`. */
  protected abstract report(scope: HealthScope): Promise<HealthReport>;

  @Get()
  all(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    return this.answer('all', response);
  }

  @Get('live')
  live(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    return this.answer('live', response);
  }

  @Get('ready')
  ready(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    return this.answer('ready', response);
  }

  private async answer(scope: HealthScope, response: Response): Promise<HealthReport> {
    const report = await this.report(scope);
    response.status(httpStatusOf(report)).setHeader('cache-control', 'no-store');
    return report;
  }
}
