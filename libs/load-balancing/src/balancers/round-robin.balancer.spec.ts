import { describe, expect, it } from '@jest/globals';
import { instance, instances, tally } from '../../test/fixtures/instance.fixture.js';
import { RoundRobinBalancer } from './round-robin.balancer.js';

describe(RoundRobinBalancer.name, () => {
  describe('pick', () => {
    it('spreads N*k picks evenly, each instance within ±1 of k', () => {
      const balancer = new RoundRobinBalancer();
      const list = instances(7);
      const counts = tally(Array.from({ length: 7 * 100 }, () => balancer.pick(list)));
      expect(counts.size).toBe(7);
      for (const count of counts.values()) expect(Math.abs(count - 100)).toBeLessThanOrEqual(1);
    });

    it('rotates in serviceId order whatever order the list arrives in', () => {
      const balancer = new RoundRobinBalancer();
      const [a, b, c] = [instance('a'), instance('b'), instance('c')];
      const picks = [
        [c, a, b],
        [b, c, a],
        [a, b, c],
        [c, b, a],
      ].map((list) => balancer.pick(list)?.serviceId);
      expect(picks).toEqual(['a', 'b', 'c', 'a']);
    });

    it('continues after the last picked id when an instance joins or leaves', () => {
      const balancer = new RoundRobinBalancer();
      const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => instance(id));
      expect(balancer.pick([a!, b!, d!])?.serviceId).toBe('a');
      expect(balancer.pick([a!, b!, d!])?.serviceId).toBe('b');
      expect(balancer.pick([a!, b!, c!, d!])?.serviceId).toBe('c');
      expect(balancer.pick([a!, d!])?.serviceId).toBe('d');
      expect(balancer.pick([a!, d!])?.serviceId).toBe('a');
    });

    it('skips excluded instances and falls back to all when every one is excluded', () => {
      const balancer = new RoundRobinBalancer();
      const list = instances(3);
      expect(balancer.pick(list, { exclude: new Set(['i0']) })?.serviceId).toBe('i1');
      expect(balancer.pick(list, { exclude: new Set(['i2']) })?.serviceId).toBe('i0');
      expect(balancer.pick(list, { exclude: new Set(['i0', 'i1', 'i2']) })?.serviceId).toBe('i1');
    });

    it('returns undefined for an empty list', () => {
      expect(new RoundRobinBalancer().pick([])).toBeUndefined();
    });
  });
});
