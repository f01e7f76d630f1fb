import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { ServiceInstance } from '@toskamesh/common';
import { seededRandom } from '@toskamesh/load-balancing';
import type { CircuitBreakerRegistry } from '@toskamesh/resilience';
import { TestCatalog, testBreakers, testInstance, testPolicy } from '../../test/upstream-fixtures.js';
import type { ResolvedUpstreamPolicy } from '../config/resolved-gateway-options.js';
import type { BalancedPoolDeps } from './balanced-pool.js';
import { ServicePool } from './service-pool.js';
import type { PickedTarget } from './upstream-pool.js';

const POLICY = testPolicy({ hashHeaders: ['x-hash-key'], breaker: { enabled: false } });

/** Picks `count` times, finishing each attempt at once; returns how often each target was chosen. */
function tally(pool: ServicePool, count: number, request = {}): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const picked = pool.pick(request)!;
    counts.set(picked.target.id, (counts.get(picked.target.id) ?? 0) + 1);
    picked.finish({ outcome: 'success', status: 200 });
  }
  return counts;
}

describe(ServicePool.name, () => {
  let catalog: TestCatalog;
  let breakers: CircuitBreakerRegistry;
  let deps: BalancedPoolDeps;
  const make = (policy: ResolvedUpstreamPolicy = POLICY) => new ServicePool('orders', policy, catalog, deps);

  beforeEach(() => {
    catalog = new TestCatalog();
    breakers = testBreakers();
    deps = {
      breakers,
      now: () => 1_000_000,
      logger: { log: jest.fn(), warn: jest.fn() },
      random: seededRandom(7),
      probes: { unhealthyThreshold: 2, intervalMs: 1000 },
    };
  });
  afterEach(() => breakers.shutdown());

  describe('pick', () => {
    it('returns undefined while the service has no instance', () => {
      const pool = make();
      expect(pool.pick({})).toBeUndefined();
      catalog.lists.set('orders', []);
      expect(pool.pick({})).toBeUndefined();
      expect(pool.availableCount()).toBe(0);
    });

    it('builds the origin from metadata scheme, address and port', () => {
      catalog.lists.set('orders', [
        testInstance('a', { address: '::1', port: 8443, metadata: { scheme: 'https' } }),
      ]);
      const picked = make().pick({})!;
      expect(picked.target).toMatchObject({ id: 'a', basePath: '' });
      expect(picked.target.origin.href).toBe('https://[::1]:8443/');
      expect(picked.target.instance?.serviceId).toBe('a');
    });

    it('re-syncs when the catalog hands out another array, and only then', () => {
      const first = [testInstance('a')];
      catalog.lists.set('orders', first);
      const pool = make();
      expect(pool.pick({})!.target.id).toBe('a');
      // Same array object: the pool must not look inside it again.
      (first as ServiceInstance[]).push(testInstance('b'));
      expect(pool.targetCount()).toBe(1);
      catalog.lists.set('orders', [testInstance('a'), testInstance('b')]);
      expect(pool.targetCount()).toBe(2);
      catalog.lists.set('orders', [testInstance('b')]);
      expect(tally(pool, 10)).toEqual(new Map([['b', 10]]));
    });

    it('leaves out instances that are not Healthy', () => {
      catalog.lists.set('orders', [testInstance('a'), testInstance('b', { status: 'Unhealthy' })]);
      expect(make().targetCount()).toBe(1);
    });

    it('spreads load evenly with the default power-of-two-choices', () => {
      catalog.lists.set('orders', [testInstance('a'), testInstance('b'), testInstance('c')]);
      const counts = tally(make(), 3000);
      for (const id of ['a', 'b', 'c']) expect(Math.abs(counts.get(id)! - 1000)).toBeLessThan(150);
    });

    it('lets power-of-two-choices see the in-flight attempts', () => {
      catalog.lists.set('orders', [testInstance('a'), testInstance('b')]);
      const pool = make();
      const held: PickedTarget[] = [];
      for (let i = 0; i < 100 && held.filter((p) => p.target.id === 'a').length < 3; i++)
        held.push(pool.pick({})!);
      for (const picked of held)
        if (picked.target.id === 'b') picked.finish({ outcome: 'success', status: 200 });
      // 'a' has 3 in flight, 'b' none: both are always sampled, the idle one wins.
      expect(tally(pool, 20)).toEqual(new Map([['b', 20]]));
      expect(pool.snapshot().targets.find((t) => t.id === 'a')!.inFlight).toBe(3);
    });

    it('takes the strategy from metadata lb_strategy, else the policy', () => {
      catalog.lists.set('orders', [
        testInstance('a', { metadata: { lb_strategy: 'RoundRobin' } }),
        testInstance('b'),
      ]);
      const pool = make({ ...POLICY, strategy: 'Random' });
      expect(pool.snapshot().strategy).toBe('RoundRobin');
      expect([...Array(4)].map(() => pool.pick({})!.target.id)).toEqual(['a', 'b', 'a', 'b']);
      catalog.lists.set('orders', [testInstance('a'), testInstance('b')]);
      expect(pool.snapshot().strategy).toBe('Random');
    });

    it('weights weighted round-robin by metadata weight', () => {
      const wrr = { lb_strategy: 'WeightedRoundRobin' };
      catalog.lists.set('orders', [
        testInstance('a', { metadata: { ...wrr, weight: '3' } }),
        testInstance('b', { metadata: { ...wrr, weight: '1' } }),
      ]);
      const pool = make();
      expect(tally(pool, 400)).toEqual(
        new Map([
          ['a', 300],
          ['b', 100],
        ]),
      );
      expect(pool.snapshot().targets.map((t) => t.weight)).toEqual([3, 1]);
    });

    it('counts in-flight attempts for least-connections', () => {
      const lc = { lb_strategy: 'LeastConnections' };
      catalog.lists.set('orders', [testInstance('a', { metadata: lc }), testInstance('b', { metadata: lc })]);
      const pool = make();
      const first = pool.pick({})!;
      const second = pool.pick({})!;
      expect(second.target.id).not.toBe(first.target.id);
      first.finish({ outcome: 'success', status: 200 });
      expect(pool.pick({})!.target.id).toBe(first.target.id);
    });

    it('sends the same hash key to the same instance with ConsistentHash', () => {
      const ch = { lb_strategy: 'ConsistentHash' };
      catalog.lists.set(
        'orders',
        ['a', 'b', 'c', 'd'].map((id) => testInstance(id, { metadata: ch })),
      );
      const pool = make();
      for (const key of ['alice', 'bob', 'carol']) {
        const ids = new Set([...Array(20)].map(() => pool.pick({ hashKey: key })!.target.id));
        expect(ids.size).toBe(1);
      }
      const spread = new Set([...Array(200)].map((_, i) => pool.pick({ hashKey: `user-${i}` })!.target.id));
      expect(spread.size).toBe(4);
    });

    it.each([
      'RoundRobin',
      'Random',
      'PowerOfTwoChoices',
      'LeastConnections',
      'WeightedRoundRobin',
      'ConsistentHash',
    ])('never picks an excluded target while another is available (%s)', (strategy) => {
      catalog.lists.set(
        'orders',
        ['a', 'b', 'c'].map((id) => testInstance(id, { metadata: { lb_strategy: strategy } })),
      );
      const pool = make();
      const exclude = new Set(['a', 'b']);
      expect(tally(pool, 50, { exclude, hashKey: 'k' })).toEqual(new Map([['c', 50]]));
      // Everything excluded: a retry on a tried instance beats none.
      expect(pool.pick({ exclude: new Set(['a', 'b', 'c']) })).toBeDefined();
    });
  });

  describe('finish', () => {
    it('releases the in-flight slot once, however often it is called', () => {
      catalog.lists.set('orders', [testInstance('a')]);
      const pool = make();
      const one = pool.pick({})!;
      pool.pick({});
      one.finish({ outcome: 'success', status: 200 });
      one.finish({ outcome: 'success', status: 200 });
      expect(pool.snapshot().targets[0]!.inFlight).toBe(1);
    });

    it('keeps health across re-syncs and drops it when the instance leaves', () => {
      catalog.lists.set('orders', [testInstance('a'), testInstance('b')]);
      const pool = make();
      const fail = (id: string) => {
        for (let i = 0; i < 3; i++) {
          const picked = pool.pick({ exclude: new Set(['a', 'b'].filter((x) => x !== id)) })!;
          picked.finish({ outcome: 'failure', kind: 'connect' });
        }
      };
      fail('a');
      catalog.lists.set('orders', [testInstance('a', { port: 9001 }), testInstance('b')]);
      expect(pool.snapshot().targets.find((t) => t.id === 'a')).toMatchObject({
        consecutiveFailures: 3,
        url: 'http://127.0.0.1:9001',
      });
      catalog.lists.set('orders', [testInstance('b')]);
      expect(pool.targetCount()).toBe(1);
      catalog.lists.set('orders', [testInstance('a'), testInstance('b')]);
      expect(pool.snapshot().targets.find((t) => t.id === 'a')!.consecutiveFailures).toBe(0);
    });
  });

  describe('snapshot', () => {
    it('describes the pool for the admin API', () => {
      catalog.lists.set('orders', [testInstance('a')]);
      expect(make().snapshot()).toEqual({
        name: 'orders',
        kind: 'service',
        strategy: 'PowerOfTwoChoices',
        targets: [
          {
            id: 'a',
            url: 'http://127.0.0.1:9000',
            status: 'healthy',
            inFlight: 0,
            consecutiveFailures: 0,
            ejections: 0,
            weight: 1,
          },
        ],
      });
    });
  });
});
