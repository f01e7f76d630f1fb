import { describe, expect, it, jest } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { instance, instances } from '../test/fixtures/instance.fixture.js';
import { InFlightTracker } from './in-flight.tracker.js';
import { LoadBalancerRegistry } from './load-balancer.registry.js';
import { seededRandom } from './random-source.js';

const declaring = (id: string, strategy: string) => instance(id, { metadata: { lb_strategy: strategy } });

function newRegistry(defaultStrategy?: 'RoundRobin') {
  const logger = { warn: jest.fn(), log: jest.fn() };
  const inFlight = new InFlightTracker();
  const registry = new LoadBalancerRegistry({ defaultStrategy, random: seededRandom(1) }, inFlight, logger);
  return { registry, logger, inFlight };
}

describe(LoadBalancerRegistry.name, () => {
  describe('constructor', () => {
    it('validates options', () => {
      expect(() => new LoadBalancerRegistry({ defaultStrategy: 'nope' as never })).toThrow(MeshConfigError);
    });
  });

  describe('forService', () => {
    it('uses the default strategy when instances declare none', () => {
      expect(newRegistry().registry.forService('orders', instances(2)).strategy).toBe('PowerOfTwoChoices');
      expect(newRegistry('RoundRobin').registry.forService('orders', instances(2)).strategy).toBe(
        'RoundRobin',
      );
    });

    it('keeps one balancer per service, so rotation state survives between requests', () => {
      const { registry } = newRegistry('RoundRobin');
      const list = instances(3);
      const picks = [0, 1, 2, 3].map(() => registry.forService('orders', list).pick(list)?.serviceId);
      expect(picks).toEqual(['i0', 'i1', 'i2', 'i0']);
      expect(registry.forService('orders', list)).toBe(registry.forService('orders', list));
      expect(registry.forService('billing', list)).not.toBe(registry.forService('orders', list));
    });

    it('follows the strategy in instance metadata and recreates the balancer when it changes', () => {
      const { registry, logger } = newRegistry();
      const first = registry.forService('orders', [
        declaring('a', 'RoundRobin'),
        declaring('b', 'RoundRobin'),
      ]);
      expect(first.strategy).toBe('RoundRobin');
      const second = registry.forService('orders', [declaring('a', 'IPHash'), declaring('b', 'IPHash')]);
      expect(second.strategy).toBe('ConsistentHash');
      expect(second).not.toBe(first);
      expect(registry.strategyOf('orders')).toBe('ConsistentHash');
      expect(logger.log).toHaveBeenCalledWith(expect.stringContaining('from RoundRobin to ConsistentHash'));
    });

    it('keeps the current balancer while the service has no instances', () => {
      const { registry } = newRegistry();
      const balancer = registry.forService('orders', [declaring('a', 'Random')]);
      expect(registry.forService('orders', [])).toBe(balancer);
    });

    it('warns once about unknown lb_strategy values', () => {
      const { registry, logger } = newRegistry();
      const list = [declaring('a', 'fastest'), declaring('b', 'fastest')];
      registry.forService('orders', list);
      registry.forService('orders', list);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('"fastest"'));
      expect(registry.strategyOf('orders')).toBe('PowerOfTwoChoices');
    });

    it('gives every balancer the shared in-flight tracker', () => {
      const { registry, inFlight } = newRegistry();
      const list = [declaring('a', 'LeastConnections'), declaring('b', 'LeastConnections')];
      inFlight.acquire('a');
      expect(registry.forService('orders', list).pick(list)?.serviceId).toBe('b');
    });
  });

  describe('forget', () => {
    it('drops a service balancer and lists the rest', () => {
      const { registry } = newRegistry();
      registry.forService('orders', instances(1));
      registry.forService('billing', [declaring('x', 'Random')]);
      expect(registry.forget('orders')).toBe(true);
      expect(registry.forget('orders')).toBe(false);
      expect([...registry.strategies()]).toEqual([['billing', 'Random']]);
    });
  });
});
