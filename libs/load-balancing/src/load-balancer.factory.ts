import type { LoadBalancingStrategyName } from '@toskamesh/common';
import { ConsistentHashBalancer } from './balancers/consistent-hash.balancer.js';
import { LeastConnectionsBalancer } from './balancers/least-connections.balancer.js';
import { PowerOfTwoChoicesBalancer } from './balancers/power-of-two-choices.balancer.js';
import { RandomBalancer } from './balancers/random.balancer.js';
import { RoundRobinBalancer } from './balancers/round-robin.balancer.js';
import { WeightedRoundRobinBalancer } from './balancers/weighted-round-robin.balancer.js';
import { UnknownStrategyError } from './errors/unknown-strategy.error.js';
import type { LoadBalancer } from './load-balancer.js';
import type { LoadBalancerDeps } from './load-balancer-deps.js';
import { parseStrategyName } from './strategy-name.js';

const FACTORIES: Readonly<Record<LoadBalancingStrategyName, (deps: LoadBalancerDeps) => LoadBalancer>> = {
  RoundRobin: () => new RoundRobinBalancer(),
  LeastConnections: (deps) => new LeastConnectionsBalancer(deps),
  Random: (deps) => new RandomBalancer(deps),
  WeightedRoundRobin: (deps) => new WeightedRoundRobinBalancer(deps),
  ConsistentHash: (deps) => new ConsistentHashBalancer(deps),
  PowerOfTwoChoices: (deps) => new PowerOfTwoChoicesBalancer(deps),
};

/**
 * A new balancer for `strategy`, named case-insensitively or by an alias (`IPHash`, `p2c`, ...; see
 * {@link parseStrategyName}). Throws {@link UnknownStrategyError} listing the valid names otherwise.
 * Each call returns a fresh balancer with its own rotation state; share `deps.inFlight` with the code
 * that sends requests.
 */
export function createLoadBalancer(
  strategy: LoadBalancingStrategyName | (string & {}),
  deps: LoadBalancerDeps = {},
): LoadBalancer {
  const name = parseStrategyName(strategy);
  if (!name) throw new UnknownStrategyError(strategy);
  return FACTORIES[name](deps);
}
