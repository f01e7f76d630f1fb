import { Controller } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '@toskamesh/common';
import { ServiceRegistry } from '@toskamesh/registry';
import {
  HealthEndpointsController,
  runHealthChecks,
  type HealthReport,
  type MeshHealthIndicator,
} from '@toskamesh/runtime';

const STORE_TIMEOUT_MS = 2000;

/**
 * `/health`, `/health/live`, `/health/ready` in the .NET original's shape (the original discovery had
 * only `/health`). Ready requires the backing store to answer: a discovery replica that cannot read its
 * store must leave the load balancer.
 */
@Controller('health')
export class DiscoveryHealthController extends HealthEndpointsController {
  private readonly indicators: MeshHealthIndicator[];

  constructor(
    private readonly sessions: HealthIndicatorService,
    registry: ServiceRegistry,
  ) {
    super();
    this.indicators = [
      { name: 'self', tags: ['live'], check: (self) => self.up({ message: 'Discovery is running' }) },
      {
        name: 'store',
        tags: ['ready'],
        check: (store) =>
          store.attempt(async () => {
            const services = await withTimeout('store health check', STORE_TIMEOUT_MS, () =>
              registry.services(),
            );
            return { message: 'Store reachable', services: services.length };
          }),
      },
    ];
  }

  protected override report(scope: 'all' | 'live' | 'ready'): Promise<HealthReport> {
    return runHealthChecks(this.indicators, this.sessions, scope);
  }
}
