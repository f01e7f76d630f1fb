import type { LoadBalancingStrategyName, ServiceInstance } from '@toskamesh/common';

/** What a caller knows about the request being routed. */
export interface PickContext {
  /**
   * Affinity key for {@link LoadBalancingStrategyName | 'ConsistentHash'} (a session id, user id, client
   * IP...). Other strategies ignore it.
   */
  hashKey?: string;
  /**
   * Service ids already tried for this request, so a retry lands on another instance. When every
   * instance is excluded the full list is used again: a retry on a tried instance beats no retry.
   */
  exclude?: ReadonlySet<string>;
}

/**
 * Chooses one instance of a service per request. Filtering out unhealthy instances is the caller's job
 * (see `healthyInstances`); a balancer picks among whatever it is given.
 */
export interface LoadBalancer {
  /** The strategy this balancer implements. */
  readonly strategy: LoadBalancingStrategyName;
  /** The chosen instance, or `undefined` when `instances` is empty. Never throws for an empty list. */
  pick(instances: readonly ServiceInstance[], context?: PickContext): ServiceInstance | undefined;
}
