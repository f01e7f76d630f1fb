import { describe, expect, it } from '@jest/globals';
import { LOAD_BALANCING_STRATEGIES, MeshError } from '@toskamesh/common';
import { instances } from '../test/fixtures/instance.fixture.js';
import { UnknownStrategyError } from './errors/unknown-strategy.error.js';
import { InFlightTracker } from './in-flight.tracker.js';
import { createLoadBalancer } from './load-balancer.factory.js';
import { seededRandom } from './random-source.js';

describe(createLoadBalancer.name, () => {
  it.each(LOAD_BALANCING_STRATEGIES)('creates a %s balancer from its canonical name', (name) => {
    expect(createLoadBalancer(name).strategy).toBe(name);
  });

  it.each([
    ['roundrobin', 'RoundRobin'],
    ['ROUND_ROBIN', 'RoundRobin'],
    ['least-connections', 'LeastConnections'],
    ['IPHash', 'ConsistentHash'],
    ['iphash', 'ConsistentHash'],
    ['p2c', 'PowerOfTwoChoices'],
    [' weighted round robin ', 'WeightedRoundRobin'],
  ])('reads %j as %s', (name, strategy) => {
    expect(createLoadBalancer(name).strategy).toBe(strategy);
  });

  it('throws UnknownStrategyError listing the valid names for an unknown strategy', () => {
    const attempt = () => createLoadBalancer('fastest');
    expect(attempt).toThrow(UnknownStrategyError);
    try {
      attempt();
    } catch (error) {
      expect(error).toBeInstanceOf(MeshError);
      expect((error as MeshError).code).toBe('MESH_LB_UNKNOWN_STRATEGY');
      expect((error as Error).message).toContain('"fastest"');
      for (const name of LOAD_BALANCING_STRATEGIES) expect((error as Error).message).toContain(name);
    }
  });

  it('rejects names that only exist on Object.prototype', () => {
    expect(() => createLoadBalancer('constructor')).toThrow(UnknownStrategyError);
    expect(() => createLoadBalancer('')).toThrow(UnknownStrategyError);
  });

  it('shares the injected in-flight tracker with least-connections and p2c', () => {
    const inFlight = new InFlightTracker();
    const list = instances(2);
    inFlight.acquire('i0');
    for (const name of ['LeastConnections', 'PowerOfTwoChoices'] as const) {
      const balancer = createLoadBalancer(name, { inFlight, random: seededRandom(1) });
      expect(balancer.pick(list)?.serviceId).toBe('i1');
    }
  });

  describe('pick (every strategy)', () => {
    it.each(LOAD_BALANCING_STRATEGIES)('%s returns undefined for an empty list', (name) => {
      const balancer = createLoadBalancer(name);
      expect(balancer.pick([])).toBeUndefined();
      expect(balancer.pick([], { hashKey: 'k', exclude: new Set(['x']) })).toBeUndefined();
    });

    it.each(LOAD_BALANCING_STRATEGIES)('%s honours exclude and falls back when all are excluded', (name) => {
      const balancer = createLoadBalancer(name, { random: seededRandom(9) });
      const list = instances(3);
      const exclude = new Set(['i0', 'i2']);
      for (let i = 0; i < 50; i++) {
        expect(balancer.pick(list, { exclude, hashKey: `k${i}` })?.serviceId).toBe('i1');
      }
      const all = new Set(['i0', 'i1', 'i2']);
      expect(balancer.pick(list, { exclude: all, hashKey: 'k' })).toBeDefined();
    });
  });
});
