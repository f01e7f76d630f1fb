import { describe, expect, it, jest } from '@jest/globals';
import { instance, tally } from '../../test/fixtures/instance.fixture.js';
import { WeightedRoundRobinBalancer } from './weighted-round-robin.balancer.js';

const weighted = (id: string, weight?: string) =>
  instance(id, { metadata: weight === undefined ? {} : { weight } });

function quietBalancer() {
  const warn = jest.fn();
  return { balancer: new WeightedRoundRobinBalancer({ logger: { warn } }), warn };
}

describe(WeightedRoundRobinBalancer.name, () => {
  describe('pick', () => {
    it('produces nginx smooth sequence a,a,b,a,c,a,a for weights 5,1,1', () => {
      const { balancer } = quietBalancer();
      const list = [weighted('a', '5'), weighted('b', '1'), weighted('c', '1')];
      const sequence = Array.from({ length: 14 }, () => balancer.pick(list)?.serviceId).join(',');
      expect(sequence).toBe('a,a,b,a,c,a,a,a,a,b,a,c,a,a');
    });

    it('gives weight 1:3 a 25% share over 10k picks (±3%)', () => {
      const { balancer } = quietBalancer();
      const list = [weighted('light', '1'), weighted('heavy', '3')];
      const counts = tally(Array.from({ length: 10_000 }, () => balancer.pick(list)));
      expect(Math.abs(counts.get('light')! / 10_000 - 0.25)).toBeLessThan(0.03);
      expect(Math.abs(counts.get('heavy')! / 10_000 - 0.75)).toBeLessThan(0.03);
    });

    it('gives the same sequence whatever order the list arrives in', () => {
      const first = quietBalancer().balancer;
      const second = quietBalancer().balancer;
      const list = [weighted('a', '2'), weighted('b', '2'), weighted('c', '1')];
      const reversed = [...list].reverse();
      const one = Array.from({ length: 10 }, () => first.pick(list)?.serviceId);
      const other = Array.from({ length: 10 }, () => second.pick(reversed)?.serviceId);
      expect(other).toEqual(one);
    });

    it('treats missing weight as 1', () => {
      const { balancer } = quietBalancer();
      const list = [weighted('a'), weighted('b', '1')];
      const counts = tally(Array.from({ length: 100 }, () => balancer.pick(list)));
      expect(counts.get('a')).toBe(50);
    });

    it('never picks a weight-0 instance while another has weight', () => {
      const { balancer } = quietBalancer();
      const list = [weighted('drained', '0'), weighted('b', '1'), weighted('c', '2')];
      const counts = tally(Array.from({ length: 300 }, () => balancer.pick(list)));
      expect(counts.has('drained')).toBe(false);
      // Even as the only instance not yet tried, a drained one is not a retry target.
      expect(balancer.pick(list, { exclude: new Set(['b', 'c']) })?.serviceId).not.toBe('drained');
    });

    it('rotates evenly when every instance has weight 0', () => {
      const { balancer } = quietBalancer();
      const list = [weighted('a', '0'), weighted('b', '0')];
      const counts = tally(Array.from({ length: 10 }, () => balancer.pick(list)));
      expect(counts.get('a')).toBe(5);
      expect(counts.get('b')).toBe(5);
    });

    it('treats invalid weights as 1 and warns once per instance', () => {
      const { balancer, warn } = quietBalancer();
      const list = [weighted('a', 'heavy'), weighted('b', '-2'), weighted('c', '1')];
      const counts = tally(Array.from({ length: 30 }, () => balancer.pick(list)));
      expect([counts.get('a'), counts.get('b'), counts.get('c')]).toEqual([10, 10, 10]);
      expect(warn).toHaveBeenCalledTimes(2);
      expect(String(warn.mock.calls[0]![0])).toContain('"heavy"');
      balancer.pick([weighted('a', 'heavier'), ...list.slice(1)]);
      expect(warn).toHaveBeenCalledTimes(3);
    });

    it('skips excluded instances and falls back to all when every one is excluded', () => {
      const { balancer } = quietBalancer();
      const list = [weighted('a', '5'), weighted('b', '1')];
      expect(balancer.pick(list, { exclude: new Set(['a']) })?.serviceId).toBe('b');
      expect(balancer.pick(list, { exclude: new Set(['a', 'b']) })?.serviceId).toBe('a');
    });

    it('forgets state of departed instances', () => {
      const { balancer } = quietBalancer();
      for (let round = 0; round < 100; round++) {
        balancer.pick([weighted(`gone-${round}`, '3'), weighted('stay', '1')]);
      }
      const state = (balancer as unknown as { current: Map<string, number> }).current;
      expect(state.size).toBeLessThanOrEqual(3);
    });

    it('returns undefined for an empty list', () => {
      expect(quietBalancer().balancer.pick([])).toBeUndefined();
    });
  });
});
