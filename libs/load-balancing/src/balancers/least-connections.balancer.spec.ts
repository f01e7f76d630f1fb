import { describe, expect, it } from '@jest/globals';
import { instances, tally } from '../../test/fixtures/instance.fixture.js';
import { InFlightTracker } from '../in-flight.tracker.js';
import { seededRandom } from '../random-source.js';
import { LeastConnectionsBalancer } from './least-connections.balancer.js';

describe(LeastConnectionsBalancer.name, () => {
  describe('pick', () => {
    it('picks the instance with the fewest requests in flight', () => {
      const inFlight = new InFlightTracker();
      const balancer = new LeastConnectionsBalancer({ inFlight, random: seededRandom(1) });
      const list = instances(3);
      inFlight.acquire('i0');
      inFlight.acquire('i0');
      inFlight.acquire('i1');
      inFlight.acquire('i2');
      inFlight.acquire('i2');
      expect(balancer.pick(list)?.serviceId).toBe('i1');
    });

    it('fills up evenly when each pick is acquired and held', () => {
      const inFlight = new InFlightTracker();
      const balancer = new LeastConnectionsBalancer({ inFlight, random: seededRandom(2) });
      const list = instances(4);
      for (let i = 0; i < 40; i++) inFlight.acquire(balancer.pick(list)!.serviceId);
      for (const candidate of list) expect(inFlight.count(candidate.serviceId)).toBe(10);
    });

    it('breaks ties across all tied instances, not always the first', () => {
      const balancer = new LeastConnectionsBalancer({ random: seededRandom(3) });
      const list = instances(4);
      const counts = tally(Array.from({ length: 4000 }, () => balancer.pick(list)));
      expect(counts.size).toBe(4);
      for (const count of counts.values()) expect(Math.abs(count / 4000 - 0.25)).toBeLessThan(0.03);
    });

    it('picks the least loaded instance not yet tried', () => {
      const inFlight = new InFlightTracker();
      const balancer = new LeastConnectionsBalancer({ inFlight });
      inFlight.acquire('i1');
      inFlight.acquire('i2');
      inFlight.acquire('i2');
      expect(balancer.pick(instances(3), { exclude: new Set(['i0']) })?.serviceId).toBe('i1');
    });

    it('returns undefined for an empty list', () => {
      expect(new LeastConnectionsBalancer().pick([])).toBeUndefined();
    });
  });
});
