import {
  LOAD_BALANCING_STRATEGIES,
  MeshConfigError,
  type LoadBalancingStrategyName,
} from '@toskamesh/common';
import type { RandomSource } from './random-source.js';
import { parseStrategyName } from './strategy-name.js';

/** Options of `LoadBalancingModule.forRoot` (and of a hand-built `LoadBalancerRegistry`). */
export interface LoadBalancingModuleOptions {
  /**
   * Strategy for services whose instances declare no (known) metadata `lb_strategy`. Read
   * case-insensitively; aliases such as `IPHash` and `p2c` are accepted. @default 'PowerOfTwoChoices'
   */
  defaultStrategy?: LoadBalancingStrategyName;
  /** Random source for every balancer, injectable for deterministic tests. @default Math.random */
  random?: RandomSource;
}

/** Options with defaults applied and names canonicalised. */
export interface ResolvedLoadBalancingOptions {
  readonly defaultStrategy: LoadBalancingStrategyName;
  readonly random: RandomSource;
}

/**
 * Validates and completes the options; throws {@link MeshConfigError} naming the key, the value and
 * the allowed values, so a typo stops the app at start-up instead of silently changing routing.
 */
export function resolveLoadBalancingOptions(
  options: LoadBalancingModuleOptions = {},
): ResolvedLoadBalancingOptions {
  const { defaultStrategy = 'PowerOfTwoChoices', random = Math.random } = options;
  const strategy = parseStrategyName(defaultStrategy);
  if (!strategy) {
    throw new MeshConfigError('loadBalancing.defaultStrategy', 'is not a known load-balancing strategy', {
      value: defaultStrategy,
      allowed: `${LOAD_BALANCING_STRATEGIES.join(', ')} (case-insensitive)`,
    });
  }
  if (typeof random !== 'function') {
    throw new MeshConfigError('loadBalancing.random', 'must be a function returning numbers in [0, 1)', {
      value: typeof random,
    });
  }
  return { defaultStrategy: strategy, random };
}
