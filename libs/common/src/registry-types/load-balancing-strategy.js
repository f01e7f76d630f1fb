/** Every strategy name, for validation messages. */
export const LOAD_BALANCING_STRATEGIES = [
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
};
