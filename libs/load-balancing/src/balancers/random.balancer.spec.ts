import { describe, expect, it } from '@jest/globals';
import { chiSquareUniform, instances, tally } from '../../test/fixtures/instance.fixture.js';
import { seededRandom } from '../random-source.js';
import { RandomBalancer } from './random.balancer.js';

describe(RandomBalancer.name, () => {
  describe('pick', () => {
    it('spreads 10k picks uniformly over 4 instances (chi-square and ±3%)', () => {
      const balancer = new RandomBalancer({ random: seededRandom(42) });
      const list = instances(4);
      const counts = [...tally(Array.from({ length: 10_000 }, () => balancer.pick(list))).values()];
      expect(counts).toHaveLength(4);
      // 3 degrees of freedom: 11.34 is the 99% critical value.
      expect(chiSquareUniform(counts, 10_000)).toBeLessThan(11.34);
      for (const count of counts) expect(Math.abs(count / 10_000 - 0.25)).toBeLessThan(0.03);
    });

    it('uses the injected random source', () => {
      const list = instances(4);
      expect(new RandomBalancer({ random: () => 0 }).pick(list)?.serviceId).toBe('i0');
      expect(new RandomBalancer({ random: () => 0.99 }).pick(list)?.serviceId).toBe('i3');
      // A source returning exactly 1 must not produce an out-of-range (undefined) pick.
      expect(new RandomBalancer({ random: () => 1 }).pick(list)?.serviceId).toBe('i3');
    });

    it('never picks an excluded instance while others remain', () => {
      const balancer = new RandomBalancer({ random: seededRandom(7) });
      const list = instances(3);
      const exclude = new Set(['i0', 'i2']);
      for (let i = 0; i < 100; i++) expect(balancer.pick(list, { exclude })?.serviceId).toBe('i1');
    });

    it('returns undefined for an empty list', () => {
      expect(new RandomBalancer().pick([])).toBeUndefined();
    });
  });
});
