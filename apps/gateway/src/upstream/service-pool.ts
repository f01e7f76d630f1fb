import type { ServiceInstance } from '@toskamesh/common';
import { healthyInstances, strategyFromMetadata } from '@toskamesh/load-balancing';
import type { ResolvedUpstreamPolicy } from '../config/resolved-gateway-options.js';
import { BalancedPool, type BalancedPoolDeps, type PoolEntry } from './balanced-pool.js';
import type { InstanceSource } from './instance-source.js';
import { TargetHealth } from './target-health.js';
import { meshTarget } from './upstream-targets.js';

/**
 * The pool of one mesh service. Targets come from `source.instances(name)` and are re-synced whenever
 * that returns another array object — checked on every pick, so a registered or vanished instance
 * changes routing with the catalog and no timer is needed. Health state survives re-syncs by instance
 * id and is dropped when the instance leaves.
 *
 * The strategy is the majority of the instances' metadata `lb_strategy`, else the policy's `strategy`;
 * weights come from metadata `weight` (weighted round-robin reads them).
 */
export class ServicePool extends BalancedPool {
  readonly kind = 'service' as const;
  /** The list last synced from; `null` before the first sync (an `undefined` list is a real state). */
  private synced: readonly ServiceInstance[] | undefined | null = null;

  /** `name` is the lower-cased service name; the breaker is `gateway:<name>`. */
  constructor(
    name: string,
    policy: ResolvedUpstreamPolicy,
    private readonly source: InstanceSource,
    deps: BalancedPoolDeps,
  ) {
    super(name, policy, policy.strategy, `gateway:${name}`, deps);
  }

  protected sync(): void {
    const list = this.source.instances(this.name);
    if (list === this.synced) return;
    this.synced = list;
    this.resync(list ?? []);
  }

  private resync(list: readonly ServiceInstance[]): void {
    // The catalog lists Healthy instances only; filtering again is cheap here and keeps the pool honest.
    const healthy = healthyInstances(list);
    const next = new Map<string, PoolEntry>();
    for (const instance of healthy) {
      const id = instance.serviceId;
      const previous = this.entries.get(id);
      if (previous?.instance === instance) next.set(id, previous);
      else
        next.set(id, {
          target: meshTarget(instance, previous?.target),
          instance,
          health: previous?.health ?? new TargetHealth(),
        });
    }
    this.useStrategy(strategyFromMetadata(healthy, this.policy.strategy));
    this.replaceEntries(next);
  }
}
