export type { LoadBalancer, PickContext } from './load-balancer.js';
export type { LoadBalancerDeps } from './load-balancer-deps.js';
export { randomIndex, seededRandom, type RandomSource } from './random-source.js';
export { InFlightTracker } from './in-flight.tracker.js';
export { healthyInstances } from './healthy-instances.js';
export { MAX_INSTANCE_WEIGHT, weightOf } from './instance-weight.js';
export { parseStrategyName, strategyFromMetadata } from './strategy-name.js';
export { createLoadBalancer } from './load-balancer.factory.js';

export { RoundRobinBalancer } from './balancers/round-robin.balancer.js';
export { LeastConnectionsBalancer } from './balancers/least-connections.balancer.js';
export { RandomBalancer } from './balancers/random.balancer.js';
export { WeightedRoundRobinBalancer } from './balancers/weighted-round-robin.balancer.js';
export { ConsistentHashBalancer } from './balancers/consistent-hash.balancer.js';
export { PowerOfTwoChoicesBalancer } from './balancers/power-of-two-choices.balancer.js';

export { LoadBalancerRegistry } from './load-balancer.registry.js';
export { LoadBalancingModule } from './load-balancing.module.js';
export {
  MESH_LOAD_BALANCING_MODULE_OPTIONS,
  type LoadBalancingModuleAsyncOptions,
  type LoadBalancingModuleForRootOptions,
} from './load-balancing.module-definition.js';
export type { LoadBalancingModuleOptions, ResolvedLoadBalancingOptions } from './load-balancing-options.js';

export { UnknownStrategyError } from './errors/unknown-strategy.error.js';
