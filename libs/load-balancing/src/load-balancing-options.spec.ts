import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { resolveLoadBalancingOptions } from './load-balancing-options.js';

describe(resolveLoadBalancingOptions.name, () => {
  it('defaults to PowerOfTwoChoices and Math.random', () => {
    expect(resolveLoadBalancingOptions()).toEqual({
      defaultStrategy: 'PowerOfTwoChoices',
      random: Math.random,
    });
  });

  it('canonicalises the strategy spelling', () => {
    const options = resolveLoadBalancingOptions({ defaultStrategy: 'iphash' as never });
    expect(options.defaultStrategy).toBe('ConsistentHash');
  });

  it('throws MeshConfigError naming the key, the value and the allowed names', () => {
    const attempt = () => resolveLoadBalancingOptions({ defaultStrategy: 'Fastest' as never });
    expect(attempt).toThrow(MeshConfigError);
    expect(attempt).toThrow(/loadBalancing\.defaultStrategy.*"Fastest".*RoundRobin, LeastConnections/);
  });

  it('rejects a random source that is not a function', () => {
    expect(() => resolveLoadBalancingOptions({ random: 0.5 as never })).toThrow(/loadBalancing\.random/);
  });
});
