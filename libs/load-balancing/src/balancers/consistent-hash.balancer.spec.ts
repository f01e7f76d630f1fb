import { describe, expect, it } from '@jest/globals';
import { instances, tally } from '../../test/fixtures/instance.fixture.js';
import { seededRandom } from '../random-source.js';
import { ConsistentHashBalancer } from './consistent-hash.balancer.js';

const keys = Array.from({ length: 10_000 }, (_, i) => `session-${i}`);

function assignments(balancer: ConsistentHashBalancer, list: ReturnType<typeof instances>) {
  return keys.map((hashKey) => balancer.pick(list, { hashKey })!.serviceId);
}

describe(ConsistentHashBalancer.name, () => {
  describe('pick', () => {
    it('sends the same key to the same instance over 1k calls', () => {
      const balancer = new ConsistentHashBalancer();
      const list = instances(5);
      const picks = tally(Array.from({ length: 1000 }, () => balancer.pick(list, { hashKey: 'user-42' })));
      expect(picks.size).toBe(1);
    });

    it('maps a key to the same instance in another process and list order', () => {
      const list = instances(5);
      const first = new ConsistentHashBalancer().pick(list, { hashKey: 'user-42' });
      const second = new ConsistentHashBalancer().pick([...list].reverse(), { hashKey: 'user-42' });
      expect(second?.serviceId).toBe(first?.serviceId);
    });

    it('spreads many keys roughly evenly', () => {
      const counts = tally(assignments(new ConsistentHashBalancer(), instances(4)));
      for (const count of counts.values()) expect(Math.abs(count / keys.length - 0.25)).toBeLessThan(0.03);
    });

    it('remaps under 35% of 10k keys when a 4th instance joins, all of them to the new one', () => {
      const balancer = new ConsistentHashBalancer();
      const before = assignments(balancer, instances(3));
      const after = assignments(balancer, instances(4));
      const moved = before.filter((id, i) => after[i] !== id);
      expect(moved.length / keys.length).toBeLessThan(0.35);
      expect(after.filter((id, i) => id !== before[i]).every((id) => id === 'i3')).toBe(true);
    });

    it('remaps only the keys of an instance that leaves', () => {
      const balancer = new ConsistentHashBalancer();
      const list = instances(4);
      const before = assignments(balancer, list);
      const after = assignments(
        balancer,
        list.filter((i) => i.serviceId !== 'i1'),
      );
      before.forEach((id, i) => {
        if (id !== 'i1') expect(after[i]).toBe(id);
        else expect(after[i]).not.toBe('i1');
      });
    });

    it('sends a retry with an excluded instance to the next instance for that key, consistently', () => {
      const balancer = new ConsistentHashBalancer();
      const list = instances(4);
      const home = balancer.pick(list, { hashKey: 'k' })!.serviceId;
      const exclude = new Set([home]);
      const retry = balancer.pick(list, { hashKey: 'k', exclude })!.serviceId;
      expect(retry).not.toBe(home);
      expect(balancer.pick(list, { hashKey: 'k', exclude })?.serviceId).toBe(retry);
      expect(
        balancer.pick(list, { hashKey: 'k', exclude: new Set(list.map((i) => i.serviceId)) })?.serviceId,
      ).toBe(home);
    });

    it('picks at random when there is no key', () => {
      const balancer = new ConsistentHashBalancer({ random: seededRandom(5) });
      const list = instances(4);
      const counts = tally(
        Array.from({ length: 4000 }, (_, i) => balancer.pick(list, i % 2 ? {} : { hashKey: '' })),
      );
      expect(counts.size).toBe(4);
      for (const count of counts.values()) expect(Math.abs(count / 4000 - 0.25)).toBeLessThan(0.04);
    });

    it('returns undefined for an empty list', () => {
      expect(new ConsistentHashBalancer().pick([], { hashKey: 'k' })).toBeUndefined();
    });
  });
});
