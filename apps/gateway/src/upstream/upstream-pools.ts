import { Logger, type LoggerService } from '@nestjs/common';
import type { RandomSource } from '@toskamesh/load-balancing';
import type { CircuitBreakerRegistry } from '@toskamesh/resilience';
import type { ResolvedGatewayOptions } from '../config/resolved-gateway-options.js';
import type { RouteMatch } from '../routing/route-match.js';
import type { BalancedPool, BalancedPoolDeps } from './balanced-pool.js';
import type { InstanceSource } from './instance-source.js';
import { ServicePool } from './service-pool.js';
import { StaticPool } from './static-pool.js';
import type { UpstreamEventListener } from './upstream-events.js';
import type { PoolSnapshot, UpstreamPool, UpstreamTarget } from './upstream-pool.js';

/** Collaborators of {@link UpstreamPools}. */
export interface UpstreamPoolsDeps {
  /** Healthy instances per service (the routing `ServiceCatalog`). */
  catalog: InstanceSource;
  options: ResolvedGatewayOptions;
  /** Where the per-service breakers (`gateway:<service>`) live. */
  breakers: CircuitBreakerRegistry;
  /** Ejection/restore hooks for metrics. */
  events?: UpstreamEventListener;
  /** Clock of ejections and retry budgets. @default Date.now */
  now?: () => number;
  /** @default new Logger('UpstreamPools') */
  logger?: Pick<LoggerService, 'log' | 'warn'>;
  /** Random source of the balancers, for deterministic tests. @default Math.random */
  random?: RandomSource;
}

/** One target to probe, with the pool it belongs to. */
export interface ProbeTarget {
  readonly pool: string;
  readonly target: UpstreamTarget;
}

/**
 * Every upstream pool of the gateway: one per mesh service, created on first use, and one per static
 * route, created up front. A service's policy is `options.services.get(name) ?? options.upstream`;
 * static routes use `options.upstream`.
 *
 * 404 vs 503: {@link poolFor} returns `undefined` only for a service the catalog does not know and no
 * pool was ever made for (answer 404). A returned pool whose `availableCount()` is 0 (or whose `pick`
 * returns `undefined`) is a known service with no healthy instance right now (answer 503 +
 * `Retry-After`) — that includes a service that was routed to before and has since vanished, so clients
 * of a service being redeployed see "try again" rather than "no such thing".
 */
export class UpstreamPools {
  private readonly services = new Map<string, ServicePool>();
  private readonly statics = new Map<string, StaticPool>();
  private readonly poolDeps: BalancedPoolDeps;

  constructor(private readonly deps: UpstreamPoolsDeps) {
    const { options } = deps;
    this.poolDeps = {
      breakers: deps.breakers,
      now: deps.now ?? Date.now,
      logger: deps.logger ?? new Logger(UpstreamPools.name),
      ...(deps.events ? { events: deps.events } : {}),
      ...(deps.random ? { random: deps.random } : {}),
      probes: options.activeProbes,
    };
    for (const route of options.staticRoutes)
      this.statics.set(route.name, new StaticPool(route, options.upstream, this.poolDeps));
  }

  /** The pool serving `match`, or `undefined` for an unknown service or static route (see the class doc). */
  poolFor(match: RouteMatch): UpstreamPool | undefined {
    if (match.kind === 'static') return this.statics.get(match.route);
    const name = match.service.toLowerCase();
    const existing = this.services.get(name);
    if (existing) return existing;
    // Only names the catalog knows get a pool, so random paths cannot grow the map.
    if (this.deps.catalog.instances(name) === undefined) return undefined;
    const policy = this.deps.options.services.get(name) ?? this.deps.options.upstream;
    const pool = new ServicePool(name, policy, this.deps.catalog, this.poolDeps);
    this.services.set(name, pool);
    return pool;
  }

  /**
   * Reports one active probe of `targetId` in pool `pool` (a service pool's lower-cased name or a static
   * route's name): `unhealthyThreshold` failures in a row eject the target, a pass brings it back.
   */
  reportProbe(pool: string, targetId: string, healthy: boolean): void {
    if (this.services.get(pool.toLowerCase())?.recordProbe(targetId, healthy)) return;
    this.statics.get(pool)?.recordProbe(targetId, healthy);
  }

  /** Every target of every pool made so far, for the active prober. */
  probeTargets(): ProbeTarget[] {
    const targets: ProbeTarget[] = [];
    for (const pool of this.all())
      for (const target of pool.targets()) targets.push({ pool: pool.name, target });
    return targets;
  }

  /** State of every pool (services, then static routes, each by name) for the admin API. */
  snapshots(): PoolSnapshot[] {
    return this.all().map((pool) => pool.snapshot());
  }

  /**
   * Forgets every pool. Breakers stay in the registry: its owner shuts them down (they hold only unref'd
   * timers). Requests still holding a pool finish normally.
   */
  close(): void {
    this.services.clear();
    this.statics.clear();
  }

  private all(): BalancedPool[] {
    const byName = (a: BalancedPool, b: BalancedPool) => a.name.localeCompare(b.name);
    return [...[...this.services.values()].sort(byName), ...[...this.statics.values()].sort(byName)];
  }
}
