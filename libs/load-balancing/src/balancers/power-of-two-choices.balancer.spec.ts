import { describe, expect, it } from '@jest/globals';
import { instance, instances, tally } from '../../test/fixtures/instance.fixture.js';
import { InFlightTracker } from '../in-flight.tracker.js';
import { seededRandom } from '../random-source.js';
import { PowerOfTwoChoicesBalancer } from './power-of-two-choices.balancer.js';

describe(PowerOfTwoChoicesBalancer.name, () => {
  describe('pick', () => {
    it('sends far fewer picks to an instance with many requests in flight', () => {
      const inFlight = new InFlightTracker();
      const balancer = new PowerOfTwoChoicesBalancer({ inFlight, random: seededRandom(11) });
      const list = instances(4);
      for (let i = 0; i < 50; i++) inFlight.acquire('i0');
      const counts = tally(Array.from({ length: 10_000 }, () => balancer.pick(list)));
      // Busy i0 only wins when both samples are i0, which distinct sampling rules out entirely.
      expect(counts.get('i0') ?? 0).toBe(0);
      for (const id of ['i1', 'i2', 'i3'])
        expect(Math.abs(counts.get(id)! / 10_000 - 1 / 3)).toBeLessThan(0.03);
    });

    it('samples two distinct instances and takes the less busy', () => {
      const inFlight = new InFlightTracker();
      const draws = [0, 0];
      const balancer = new PowerOfTwoChoicesBalancer({ inFlight, random: () => draws.shift() ?? 0 });
      inFlight.acquire('i0');
      // Both draws are 0: first = i0; second index 0 is shifted past i0 to i1, which is idle.
      expect(balancer.pick(instances(3))?.serviceId).toBe('i1');
    });

    it('spreads evenly when nothing is in flight', () => {
      const balancer = new PowerOfTwoChoicesBalancer({ random: seededRandom(12) });
      const list = instances(5);
      const counts = tally(Array.from({ length: 10_000 }, () => balancer.pick(list)));
      for (const count of counts.values()) expect(Math.abs(count / 10_000 - 0.2)).toBeLessThan(0.03);
    });

    it('returns a single instance without sampling', () => {
      const balancer = new PowerOfTwoChoicesBalancer({ random: () => 0.999 });
      expect(balancer.pick([instance('only')])?.serviceId).toBe('only');
    });

    it('never picks an excluded instance while others remain', () => {
      const balancer = new PowerOfTwoChoicesBalancer({ random: seededRandom(13) });
      const list = instances(4);
      const exclude = new Set(['i0', 'i1']);
      const counts = tally(Array.from({ length: 500 }, () => balancer.pick(list, { exclude })));
      expect([...counts.keys()].sort()).toEqual(['i2', 'i3']);
    });

    it('returns undefined for an empty list', () => {
      expect(new PowerOfTwoChoicesBalancer().pick([])).toBeUndefined();
    });
  });
});
