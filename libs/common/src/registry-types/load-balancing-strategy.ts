/**
 * Load-balancing strategy names as the .NET original writes them in metadata `lb_strategy`
 * (and `Mesh:Service:Routing:Strategy`).
 */
export type LoadBalancingStrategyName =
  | 'RoundRobin'
  | 'LeastConnections'
  | 'Random'
  | 'WeightedRoundRobin'
  | 'ConsistentHash'
  | 'PowerOfTwoChoices';

/** Every strategy name, for validation messages. */
export const LOAD_BALANCING_STRATEGIES: readonly LoadBalancingStrategyName[] = [
  'RoundRobin',
  'LeastConnections',
  'Random',
  'WeightedRoundRobin',
  'ConsistentHash',
  'PowerOfTwoChoices',
];

/** Well-known instance metadata keys shared with the .NET original. */
export const MESH_METADATA = {
  scheme: 'scheme',
  healthCheckEndpoint: 'health_check_endpoint',
  strategy: 'lb_strategy',
  weight: 'weight',
} as const;
