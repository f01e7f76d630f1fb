import type { ServiceInstance } from '@toskamesh/common';
import { withoutExcluded } from '../candidates.js';
import { hash32 } from '../hash.js';
import type { LoadBalancer, PickContext } from '../load-balancer.js';
import type { LoadBalancerDeps } from '../load-balancer-deps.js';
import { randomIndex, type RandomSource } from '../random-source.js';

/** Fixed so every process (every gateway replica) maps a key to the same instance. */
const NODE_SEED = 0x5f3759df;

/**
 * Sends every request with the same `context.hashKey` to the same instance, using rendezvous
 * (highest-random-weight) hashing: each instance scores the key, the highest score wins. When an
 * instance leaves only its own keys move; when one joins it takes about 1/n of the keys from the
 * others. With an excluded instance the key goes to its next-highest scorer, so retries are sticky too.
 *
 * A request without a key (missing or empty) has nothing to stick to and gets a random instance —
 * unlike the .NET "IPHash", which hashed a fresh GUID, the result is the same but documented.
 */
export class ConsistentHashBalancer implements LoadBalancer {
  readonly strategy = 'ConsistentHash' as const;
  private readonly random: RandomSource;

  constructor(deps: Pick<LoadBalancerDeps, 'random'> = {}) {
    this.random = deps.random ?? Math.random;
  }

  /** The instance that scores `context.hashKey` highest (ties: smaller serviceId); random without a key. */
  pick(instances: readonly ServiceInstance[], context?: PickContext): ServiceInstance | undefined {
    const candidates = withoutExcluded(instances, context?.exclude);
    if (candidates.length === 0) return undefined;
    const key = context?.hashKey;
    if (key === undefined || key === '') return candidates[randomIndex(this.random, candidates.length)];
    let best: ServiceInstance | undefined;
    let bestScore = -1;
    for (const instance of candidates) {
      const score = hash32(key, hash32(instance.serviceId, NODE_SEED));
      const wins = score > bestScore || (score === bestScore && instance.serviceId < (best?.serviceId ?? ''));
      if (wins) {
        best = instance;
        bestScore = score;
      }
    }
    return best;
  }
}
