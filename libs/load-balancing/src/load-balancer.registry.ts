import { Logger, type LoggerService } from '@nestjs/common';
import type { LoadBalancingStrategyName, ServiceInstance } from '@toskamesh/common';
import { InFlightTracker } from './in-flight.tracker.js';
import type { LoadBalancer } from './load-balancer.js';
import { createLoadBalancer } from './load-balancer.factory.js';
import {
  resolveLoadBalancingOptions,
  type LoadBalancingModuleOptions,
  type ResolvedLoadBalancingOptions,
} from './load-balancing-options.js';
import { voteStrategy } from './strategy-name.js';

/**
 * One balancer per service, keeping its rotation state between requests. The strategy follows the
 * instances' metadata `lb_strategy` (see `strategyFromMetadata`), else the configured default; when the
 * declared strategy changes the service gets a fresh balancer of the new kind. All balancers share one
 * {@link InFlightTracker}, so acquire on `registry.inFlight` around each request.
 *
 * @example
 * const instance = registry.forService('orders', healthyInstances(all)).pick(all, { exclude: tried });
 */
export class LoadBalancerRegistry {
  /** Options after validation and defaults. */
  readonly options: ResolvedLoadBalancingOptions;
  private readonly balancers = new Map<string, LoadBalancer>();
  private readonly warnedUnknown = new Map<string, string>();

  constructor(
    options: LoadBalancingModuleOptions = {},
    /** In-flight counts shared by every balancer of this registry. */
    readonly inFlight: InFlightTracker = new InFlightTracker(),
    private readonly logger: Pick<LoggerService, 'warn' | 'log'> = new Logger('LoadBalancing'),
  ) {
    this.options = resolveLoadBalancingOptions(options);
  }

  /**
   * The balancer of `serviceName` for the strategy `instances` declare. An empty list keeps the current
   * balancer (a service briefly without instances should not lose its rotation state).
   */
  forService(serviceName: string, instances: readonly ServiceInstance[]): LoadBalancer {
    const existing = this.balancers.get(serviceName);
    if (existing && instances.length === 0) return existing;
    const vote = voteStrategy(instances);
    this.warnUnknown(serviceName, vote.unknown);
    const strategy = vote.strategy ?? this.options.defaultStrategy;
    if (existing?.strategy === strategy) return existing;
    const balancer = createLoadBalancer(strategy, {
      inFlight: this.inFlight,
      random: this.options.random,
      logger: this.logger,
    });
    this.balancers.set(serviceName, balancer);
    if (existing)
      this.logger.log(`Service "${serviceName}" switched from ${existing.strategy} to ${strategy}`);
    return balancer;
  }

  /** The strategy currently used for `serviceName`, if it has a balancer. */
  strategyOf(serviceName: string): LoadBalancingStrategyName | undefined {
    return this.balancers.get(serviceName)?.strategy;
  }

  /** Every service with a balancer and its strategy (for admin endpoints). */
  strategies(): Map<string, LoadBalancingStrategyName> {
    return new Map([...this.balancers].map(([name, balancer]) => [name, balancer.strategy]));
  }

  /** Drops the balancer of a service that no longer exists; true when there was one. */
  forget(serviceName: string): boolean {
    this.warnedUnknown.delete(serviceName);
    return this.balancers.delete(serviceName);
  }

  private warnUnknown(serviceName: string, unknown: readonly string[]): void {
    const signature = unknown.join('\u0000');
    if ((this.warnedUnknown.get(serviceName) ?? '') === signature) return;
    if (signature === '') {
      this.warnedUnknown.delete(serviceName);
      return;
    }
    this.warnedUnknown.set(serviceName, signature);
    this.logger.warn(
      `Service "${serviceName}" has instances with unknown metadata lb_strategy ` +
        `${unknown.map((value) => JSON.stringify(value)).join(', ')}; they are ignored`,
    );
  }
}
