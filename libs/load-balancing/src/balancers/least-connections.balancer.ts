import type { ServiceInstance } from '@toskamesh/common';
import { withoutExcluded } from '../candidates.js';
import { InFlightTracker } from '../in-flight.tracker.js';
import type { LoadBalancer, PickContext } from '../load-balancer.js';
import type { LoadBalancerDeps } from '../load-balancer-deps.js';
import type { RandomSource } from '../random-source.js';

/**
 * Picks the instance with the fewest requests in flight, as counted by the shared
 * {@link InFlightTracker} (the caller acquires around each request; picking alone counts nothing).
 * Ties are broken uniformly at random: always taking the first would pile every idle-time request on
 * one instance.
 */
export class LeastConnectionsBalancer implements LoadBalancer {
  readonly strategy = 'LeastConnections' as const;
  /** The counts this balancer reads; acquire on it around each request. */
  readonly inFlight: InFlightTracker;
  private readonly random: RandomSource;

  constructor(deps: Pick<LoadBalancerDeps, 'inFlight' | 'random'> = {}) {
    this.inFlight = deps.inFlight ?? new InFlightTracker();
    this.random = deps.random ?? Math.random;
  }

  /** An instance with the minimum in-flight count; a random one of them on a tie. */
  pick(instances: readonly ServiceInstance[], context?: PickContext): ServiceInstance | undefined {
    let chosen: ServiceInstance | undefined;
    let min = Infinity;
    let ties = 0;
    for (const instance of withoutExcluded(instances, context?.exclude)) {
      const count = this.inFlight.count(instance.serviceId);
      if (count < min) {
        min = count;
        chosen = instance;
        ties = 1;
      } else if (count === min) {
        // Reservoir sampling: each of the k tied instances ends up chosen with probability 1/k.
        ties += 1;
        if (this.random() * ties < 1) chosen = instance;
      }
    }
    return chosen;
  }
}
