import type { ServiceInstance } from '@toskamesh/common';
import { withoutExcluded } from '../candidates.js';
import type { LoadBalancer, PickContext } from '../load-balancer.js';

/**
 * Visits instances in serviceId order, one after the other. The cursor is the last id picked rather
 * than an index, so instances joining, leaving or arriving in another order neither skip nor repeat
 * anyone (the .NET router indexed its counter into whatever list order the registry returned).
 */
export class RoundRobinBalancer implements LoadBalancer {
  readonly strategy = 'RoundRobin' as const;
  private lastId: string | undefined;

  /** The instance with the smallest serviceId after the previous pick, wrapping to the smallest. */
  pick(instances: readonly ServiceInstance[], context?: PickContext): ServiceInstance | undefined {
    let first: ServiceInstance | undefined;
    let next: ServiceInstance | undefined;
    const last = this.lastId;
    for (const instance of withoutExcluded(instances, context?.exclude)) {
      const id = instance.serviceId;
      if (!first || id < first.serviceId) first = instance;
      if (last !== undefined && id > last && (!next || id < next.serviceId)) next = instance;
    }
    const chosen = next ?? first;
    if (chosen) this.lastId = chosen.serviceId;
    return chosen;
  }
}
