import { Logger, type LoggerService } from '@nestjs/common';
import { MESH_METADATA, type ServiceInstance } from '@toskamesh/common';
import { MAX_INSTANCE_WEIGHT, readWeight } from '../instance-weight.js';
import type { LoadBalancer, PickContext } from '../load-balancer.js';
import type { LoadBalancerDeps } from '../load-balancer-deps.js';

interface Weighted {
  readonly instance: ServiceInstance;
  readonly weight: number;
}

/**
 * Smooth weighted round-robin, as nginx does it: every pick adds each instance's weight to its running
 * score, takes the highest score and subtracts the total weight from it. Weights 5,1,1 give
 * a,a,b,a,c,a,a — the heavy instance is interleaved rather than hit five times in a row.
 *
 * Weight comes from metadata `weight` (default 1). Weight 0 drains an instance: it is never picked
 * unless every instance has weight 0, in which case all are treated as 1. An invalid weight counts as
 * 1 and is warned about once per instance (and again only if it changes to another invalid value).
 */
export class WeightedRoundRobinBalancer implements LoadBalancer {
  readonly strategy = 'WeightedRoundRobin' as const;
  private readonly current = new Map<string, number>();
  private readonly warned = new Map<string, string>();
  private readonly logger: Pick<LoggerService, 'warn'>;

  constructor(deps: Pick<LoadBalancerDeps, 'logger'> = {}) {
    this.logger = deps.logger ?? new Logger('LoadBalancing');
  }

  /** The next instance of the smooth weighted sequence among those not excluded. */
  pick(instances: readonly ServiceInstance[], context?: PickContext): ServiceInstance | undefined {
    if (instances.length === 0) return undefined;
    this.forgetDeparted(instances);
    const weighted = instances.map((instance) => ({ instance, weight: this.weightFor(instance) }));
    const eligible = weighted.some((entry) => entry.weight > 0)
      ? weighted.filter((entry) => entry.weight > 0)
      : weighted.map((entry) => ({ ...entry, weight: 1 }));
    const exclude = context?.exclude;
    const remaining = exclude?.size
      ? eligible.filter((entry) => !exclude.has(entry.instance.serviceId))
      : eligible;
    return this.smoothPick(remaining.length > 0 ? remaining : eligible);
  }

  private smoothPick(candidates: readonly Weighted[]): ServiceInstance | undefined {
    let total = 0;
    let best: ServiceInstance | undefined;
    let bestScore = -Infinity;
    for (const { instance, weight } of candidates) {
      const score = (this.current.get(instance.serviceId) ?? 0) + weight;
      this.current.set(instance.serviceId, score);
      total += weight;
      // Ties go to the smaller serviceId so the sequence does not depend on the registry's list order.
      if (score > bestScore || (score === bestScore && instance.serviceId < (best?.serviceId ?? ''))) {
        best = instance;
        bestScore = score;
      }
    }
    if (best) this.current.set(best.serviceId, bestScore - total);
    return best;
  }

  private weightFor(instance: ServiceInstance): number {
    const { weight, invalid } = readWeight(instance);
    if (invalid !== undefined && this.warned.get(instance.serviceId) !== invalid) {
      this.warned.set(instance.serviceId, invalid);
      this.logger.warn(
        `Instance "${instance.serviceId}" of "${instance.serviceName}" has invalid metadata ` +
          `${MESH_METADATA.weight}=${JSON.stringify(invalid)}; using 1. Set a number from 0 to ${MAX_INSTANCE_WEIGHT}.`,
      );
    }
    return weight;
  }

  /** Drops state of instances no longer listed, so churn cannot grow the maps without bound. */
  private forgetDeparted(instances: readonly ServiceInstance[]): void {
    if (this.current.size <= instances.length && this.warned.size <= instances.length) return;
    const present = new Set(instances.map((instance) => instance.serviceId));
    for (const map of [this.current, this.warned]) {
      for (const id of map.keys()) if (!present.has(id)) map.delete(id);
    }
  }
}
