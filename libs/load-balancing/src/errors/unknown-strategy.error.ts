import { LOAD_BALANCING_STRATEGIES, MeshError } from '@toskamesh/common';

/** A load-balancing strategy name that no balancer implements. */
export class UnknownStrategyError extends MeshError {
  /** The canonical strategy names that are accepted. */
  readonly allowed: readonly string[] = LOAD_BALANCING_STRATEGIES;

  constructor(readonly strategy: string) {
    super(
      'MESH_LB_UNKNOWN_STRATEGY',
      `Unknown load-balancing strategy ${JSON.stringify(strategy)}. Use one of ${LOAD_BALANCING_STRATEGIES.join(', ')} ` +
        `(case-insensitive; the .NET name "IPHash" means ConsistentHash, "p2c" means PowerOfTwoChoices)`,
      { details: { strategy, allowed: [...LOAD_BALANCING_STRATEGIES] } },
    );
  }
}
