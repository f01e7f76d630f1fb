import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { withTimeout } from '@toskamesh/common';
import { ServiceRegistry } from '@toskamesh/registry';
import { DrainState } from '../lifecycle/drain-state.js';
import type { ResolvedMeshRuntimeOptions } from '../options/resolved-runtime-options.js';
import { RESOLVED_RUNTIME_OPTIONS } from '../options/runtime-options.token.js';
import { MeshRegistrationService } from '../registration/mesh-registration.service.js';
import { RegistryContact } from '../registration/registry-contact.js';
import { runHealthChecks, type HealthScope } from './health-check-runner.js';
import type { HealthReport } from './health-report.js';
import type { MeshHealthIndicator, MeshHealthSession } from './mesh-health-indicator.js';

export type { HealthScope } from './health-check-runner.js';

/**
 * Runs the service's health checks through terminus indicator sessions and reports them in the .NET
 * original's shape. Built-in checks: `self` (always Healthy), `draining` (ready: Unhealthy once shutdown
 * began) and `registry` (ready: Degraded, never Unhealthy, when the registry is unreachable — a registry
 * outage must not take every service out of rotation).
 */
@Injectable()
export class MeshHealthService implements OnApplicationBootstrap {
  private readonly logger = new Logger('MeshHealth');
  private readonly indicators: MeshHealthIndicator[];

  constructor(
    @Inject(RESOLVED_RUNTIME_OPTIONS) private readonly options: ResolvedMeshRuntimeOptions,
    private readonly sessions: HealthIndicatorService,
    private readonly drain: DrainState,
    private readonly contact: RegistryContact,
    private readonly registry: ServiceRegistry,
    private readonly registration: MeshRegistrationService,
  ) {
    this.indicators = [...this.builtInIndicators(), ...options.health.indicators];
  }

  /** Heartbeats report the service's readiness, so the registry sees what `/health/ready` says. */
  onApplicationBootstrap(): void {
    // The registry check is left out: a heartbeat that gets through proves the registry is reachable.
    this.registration.useStatusProvider(async () => (await this.report('ready', ['registry'])).status);
  }

  /** Runs the checks of `scope` (less the `exclude`d names) and returns the report. */
  report(scope: HealthScope, exclude: readonly string[] = []): Promise<HealthReport> {
    return runHealthChecks(this.indicators, this.sessions, scope, { exclude, logger: this.logger });
  }

  private builtInIndicators(): MeshHealthIndicator[] {
    return [
      { name: 'self', check: (self) => self.up({ message: 'Service is running' }) },
      {
        name: 'draining',
        tags: ['ready'],
        check: (drain) =>
          this.drain.draining
            ? drain.down({ message: 'Service is shutting down', since: this.drain.since?.toISOString() })
            : drain.up({ message: 'Accepting requests' }),
      },
      { name: 'registry', tags: ['ready'], check: (registry) => this.checkRegistry(registry) },
    ];
  }

  private async checkRegistry(session: MeshHealthSession): Promise<HealthIndicatorResult> {
    const fresh = 3 * this.options.registration.healthIntervalMs;
    const last = this.contact.last;
    const phase = this.registration.state;
    if (last && Date.now() - last.at.getTime() < fresh) {
      return last.ok
        ? session.up({ message: 'Registry reachable', registration: phase })
        : session.degraded({ message: `Registry unreachable: ${last.error}`, registration: phase });
    }
    try {
      await withTimeout('registry health check', this.options.health.registryTimeoutMs, () =>
        this.registry.services(),
      );
      this.contact.succeeded();
      return session.up({ message: 'Registry reachable', registration: phase });
    } catch (error) {
      this.contact.failed(error);
      return session.degraded({
        message: `Registry unreachable: ${String((error as Error).message ?? error)}`,
        registration: phase,
      });
    }
  }
}
