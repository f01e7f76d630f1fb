import type { ServiceInstance } from '@toskamesh/common';
import { withoutExcluded } from '../candidates.js';
import type { LoadBalancer, PickContext } from '../load-balancer.js';
import type { LoadBalancerDeps } from '../load-balancer-deps.js';
import { randomIndex, type RandomSource } from '../random-source.js';

/** Picks uniformly at random (the .NET router declared `Random` but silently used round-robin). */
export class RandomBalancer implements LoadBalancer {
  readonly strategy = 'Random' as const;
  private readonly random: RandomSource;

  constructor(deps: Pick<LoadBalancerDeps, 'random'> = {}) {
    this.random = deps.random ?? Math.random;
  }

  /** A uniformly random instance among those not excluded. */
  pick(instances: readonly ServiceInstance[], context?: PickContext): ServiceInstance | undefined {
    const candidates = withoutExcluded(instances, context?.exclude);
    if (candidates.length === 0) return undefined;
    return candidates[randomIndex(this.random, candidates.length)];
  }
}
