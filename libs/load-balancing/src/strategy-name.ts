import {
  LOAD_BALANCING_STRATEGIES,
  MESH_METADATA,
  type LoadBalancingStrategyName,
  type ServiceInstance,
} from '@toskamesh/common';

/**
 * Spellings accepted besides the canonical names, keyed after lower-casing and removing `-`, `_` and
 * spaces: the .NET enum's `IPHash`, and the names nginx/Envoy users type.
 */
const ALIASES: ReadonlyMap<string, LoadBalancingStrategyName> = new Map([
  ...LOAD_BALANCING_STRATEGIES.map((name) => [name.toLowerCase(), name] as const),
  ['rr', 'RoundRobin'],
  ['leastconn', 'LeastConnections'],
  ['leastrequest', 'LeastConnections'],
  ['wrr', 'WeightedRoundRobin'],
  ['weighted', 'WeightedRoundRobin'],
  ['iphash', 'ConsistentHash'],
  ['hash', 'ConsistentHash'],
  ['ringhash', 'ConsistentHash'],
  ['p2c', 'PowerOfTwoChoices'],
  ['poweroftwo', 'PowerOfTwoChoices'],
]);

/**
 * The canonical strategy for `name`, read case-insensitively and ignoring `-`, `_` and spaces
 * (`round_robin`, `IPHash` -> `ConsistentHash`, `p2c`); `undefined` when it names no strategy.
 */
export function parseStrategyName(name: string): LoadBalancingStrategyName | undefined {
  // Config and metadata come from untyped sources; a non-string names nothing rather than throwing.
  if (typeof name !== 'string') return undefined;
  return ALIASES.get(name.toLowerCase().replace(/[\s_-]+/g, ''));
}

/** The strategy the instances ask for, and the `lb_strategy` values that name no strategy. */
export interface StrategyVote {
  readonly strategy: LoadBalancingStrategyName | undefined;
  readonly unknown: readonly string[];
}

/**
 * Counts the instances' metadata `lb_strategy`: the most frequent known strategy wins, a tie goes to
 * the one seen first. Blank values abstain; unknown ones are returned so the caller can warn.
 */
export function voteStrategy(instances: readonly ServiceInstance[]): StrategyVote {
  const votes = new Map<LoadBalancingStrategyName, number>();
  const unknown = new Set<string>();
  for (const instance of instances) {
    const raw = instance.metadata[MESH_METADATA.strategy];
    if (raw === undefined || raw.trim() === '') continue;
    const strategy = parseStrategyName(raw);
    if (strategy) votes.set(strategy, (votes.get(strategy) ?? 0) + 1);
    else unknown.add(raw);
  }
  let strategy: LoadBalancingStrategyName | undefined;
  let most = 0;
  // Map iteration follows insertion order, so on a tie the strictly-greater test keeps the first seen.
  for (const [name, count] of votes) {
    if (count > most) {
      strategy = name;
      most = count;
    }
  }
  return { strategy, unknown: [...unknown] };
}

/**
 * The strategy a service's instances declare in metadata `lb_strategy` (majority; a tie goes to the
 * first declared), or `fallback` when none declares a known one. Unlike the .NET router, which took
 * the first value and fell back to round-robin, a single odd instance cannot flip the whole service.
 */
export function strategyFromMetadata(
  instances: readonly ServiceInstance[],
  fallback: LoadBalancingStrategyName = 'PowerOfTwoChoices',
): LoadBalancingStrategyName {
  return voteStrategy(instances).strategy ?? fallback;
}
