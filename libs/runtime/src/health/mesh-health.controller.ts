import { Controller } from '@nestjs/common';
import { Public } from '@toskamesh/security';
import type { HealthScope } from './health-check-runner.js';
import { HealthEndpointsController } from './health-endpoints.controller.js';
import type { HealthReport } from './health-report.js';
import { MeshHealthService } from './mesh-health.service.js';

/** The runtime's health endpoints; `/health/ready` answers 503 while draining. */
@Public()
@Controller('health')
export class MeshHealthController extends HealthEndpointsController {
  constructor(private readonly health: MeshHealthService) {
    super();
  }

  protected override report(scope: HealthScope): Promise<HealthReport> {
    return this.health.report(scope);
  }
}
