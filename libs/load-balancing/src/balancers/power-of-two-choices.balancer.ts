import type { ServiceInstance } from '@toskamesh/common';
import { withoutExcluded } from '../candidates.js';
import { InFlightTracker } from '../in-flight.tracker.js';
import type { LoadBalancer, PickContext } from '../load-balancer.js';
import type { LoadBalancerDeps } from '../load-balancer-deps.js';
import { randomIndex, type RandomSource } from '../random-source.js';

/**
 * Power of two choices: sample two distinct instances at random and take the one with fewer requests
 * in flight. Nearly as good as least-connections at spreading load, without its herd behaviour when
 * many balancers (gateway replicas) see the same stale counts. The default strategy.
 */
export class PowerOfTwoChoicesBalancer implements LoadBalancer {
  readonly strategy = 'PowerOfTwoChoices' as const;
  /** The counts this balancer reads; acquire on it around each request. */
  readonly inFlight: InFlightTracker;
  private readonly random: RandomSource;

  constructor(deps: Pick<LoadBalancerDeps, 'inFlight' | 'random'> = {}) {
    this.inFlight = deps.inFlight ?? new InFlightTracker();
    this.random = deps.random ?? Math.random;
  }

  /** The less busy of two random distinct instances (the first sampled on a tie); a lone instance as is. */
  pick(instances: readonly ServiceInstance[], context?: PickContext): ServiceInstance | undefined {
    const candidates = withoutExcluded(instances, context?.exclude);
    if (candidates.length <= 1) return candidates[0];
    const first = randomIndex(this.random, candidates.length);
    let second = randomIndex(this.random, candidates.length - 1);
    if (second >= first) second += 1;
    const a = candidates[first]!;
    const b = candidates[second]!;
    return this.inFlight.count(b.serviceId) < this.inFlight.count(a.serviceId) ? b : a;
  }
}
