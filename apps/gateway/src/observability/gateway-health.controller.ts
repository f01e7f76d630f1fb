import { Controller, Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '@toskamesh/common';
import { ServiceRegistry } from '@toskamesh/registry';
import {
  HealthEndpointsController,
  runHealthChecks,
  type HealthReport,
  type HealthScope,
  type MeshHealthIndicator,
} from '@toskamesh/runtime';
import { ServiceCatalog } from '../routing/service-catalog.js';
import { GatewayRuntime } from '../server/gateway-runtime.js';

const REGISTRY_TIMEOUT_MS = 2000;

/**
 * `/health`, `/health/live`, `/health/ready` in the .NET original's JSON shape. Ready is Unhealthy while
 * the gateway drains (so balancers stop sending), and Degraded — never Unhealthy — when the registry is
 * unreachable: the gateway keeps routing on the instances it last saw, which beats taking the front door
 * out of rotation.
 */
@Controller('health')
export class GatewayHealthController extends HealthEndpointsController {
  private readonly logger = new Logger('GatewayHealth');
  private readonly indicators: MeshHealthIndicator[];

  constructor(
    private readonly sessions: HealthIndicatorService,
    private readonly registry: ServiceRegistry,
    private readonly catalog: ServiceCatalog,
    private readonly runtime: GatewayRuntime,
  ) {
    super();
    this.indicators = [
      { name: 'self', tags: ['live'], check: (self) => self.up({ message: 'Gateway is running' }) },
      {
        name: 'draining',
        tags: ['ready'],
        check: (drain) =>
          this.runtime.draining
            ? drain.down({ message: 'Gateway is shutting down' })
            : drain.up({ message: 'Accepting requests' }),
      },
      {
        name: 'registry',
        tags: ['ready'],
        check: async (session) => {
          const data = { synced: this.catalog.isSynced, services: this.catalog.services().length };
          try {
            await withTimeout('registry health check', REGISTRY_TIMEOUT_MS, () => this.registry.services());
            return session.up({ message: 'Registry reachable', ...data });
          } catch (error) {
            return session.degraded({
              message: `Registry unreachable, routing on the last known instances: ${(error as Error).message ?? String(error)}`,
              ...data,
            });
          }
        },
      },
    ];
  }

  protected override report(scope: HealthScope): Promise<HealthReport> {
    return runHealthChecks(this.indicators, this.sessions, scope, { logger: this.logger });
  }
}
