import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { CircuitBreakerRegistry } from '@toskamesh/resilience';
import {
  TestCatalog,
  testBreakers,
  testGatewayOptions,
  testInstance,
  testPolicy,
} from '../../test/upstream-fixtures.js';
import type {
  ResolvedGatewayOptions,
  ResolvedStaticRoute,
  ResolvedUpstreamPolicy,
} from '../config/resolved-gateway-options.js';
import { UpstreamPools } from './upstream-pools.js';

const POLICY = testPolicy({
  hashHeaders: ['x-hash-key'],
  retry: { minRetriesPerSecond: 0, retryOnStatuses: [502] },
});

const ROUTE: ResolvedStaticRoute = {
  name: 'legacy',
  pathPrefix: '/legacy/',
  upstreams: [new URL('http://127.0.0.1:7001/v1/'), new URL('http://127.0.0.1:7002')],
  stripPrefix: true,
  strategy: 'RoundRobin',
};

/** The options the pools read; the rest of the gateway's options do not matter here. */
function gatewayOptions(services: Record<string, ResolvedUpstreamPolicy> = {}): ResolvedGatewayOptions {
  return testGatewayOptions({
    staticRoutes: [ROUTE],
    upstream: POLICY,
    services: new Map(Object.entries(services)),
    activeProbes: {
      enabled: false,
      intervalMs: 1000,
      timeoutMs: 500,
      path: '/health',
      unhealthyThreshold: 2,
    },
  });
}

const service = (name: string) => ({ kind: 'service', service: name, upstreamPath: '/' }) as const;

describe(UpstreamPools.name, () => {
  let catalog: TestCatalog;
  let breakers: CircuitBreakerRegistry;
  let now: number;
  const make = (services?: Record<string, ResolvedUpstreamPolicy>) =>
    new UpstreamPools({
      catalog,
      options: gatewayOptions(services),
      breakers,
      now: () => now,
      logger: { log: jest.fn(), warn: jest.fn() },
    });

  beforeEach(() => {
    now = 5_000_000;
    catalog = new TestCatalog([['orders', [testInstance('o1'), testInstance('o2')]]]);
    breakers = testBreakers();
  });
  afterEach(() => breakers.shutdown());

  describe('poolFor', () => {
    it('returns undefined for a service the catalog does not know (404)', () => {
      expect(make().poolFor(service('nope'))).toBeUndefined();
    });

    it('returns an empty pool for a known service with no healthy instance (503)', () => {
      catalog.lists.set('idle', []);
      const pool = make().poolFor(service('idle'))!;
      expect(pool.availableCount()).toBe(0);
      expect(pool.pick({})).toBeUndefined();
    });

    it('keeps answering with the pool after the service vanished', () => {
      const pools = make();
      const pool = pools.poolFor(service('orders'))!;
      catalog.lists.delete('orders');
      expect(pools.poolFor(service('orders'))).toBe(pool);
      expect(pool.availableCount()).toBe(0);
    });

    it('makes one pool per service, whatever the case of the name', () => {
      const pools = make();
      const pool = pools.poolFor(service('Orders'))!;
      expect(pools.poolFor(service('ORDERS'))).toBe(pool);
      expect(pool).toMatchObject({ name: 'orders', kind: 'service' });
      expect(pool.targetCount()).toBe(2);
    });

    it('uses the per-service policy when there is one', () => {
      const special = { ...POLICY, requestTimeoutMs: 1234 };
      catalog.lists.set('billing', [testInstance('b1')]);
      const pools = make({ billing: special });
      expect(pools.poolFor(service('Billing'))!.policy).toBe(special);
      expect(pools.poolFor(service('orders'))!.policy).toBe(POLICY);
    });

    it('serves static routes by name, with their base paths', () => {
      const pools = make();
      expect(pools.poolFor({ kind: 'static', route: 'other', upstreamPath: '/' })).toBeUndefined();
      const pool = pools.poolFor({ kind: 'static', route: 'legacy', upstreamPath: '/' })!;
      expect(pool.kind).toBe('static');
      const picks = [pool.pick({})!, pool.pick({})!].map((p) => [p.target.origin.href, p.target.basePath]);
      expect(picks).toEqual([
        ['http://127.0.0.1:7001/', '/v1'],
        ['http://127.0.0.1:7002/', ''],
      ]);
    });
  });

  describe('tryRetry', () => {
    it('allows retries up to budgetRatio of the first attempts in the window', () => {
      const pool = make().poolFor(service('orders'))!;
      expect(pool.tryRetry()).toBe(false);
      for (let i = 0; i < 100; i++) pool.recordFirstAttempt();
      const granted = [...Array(30)].filter(() => pool.tryRetry()).length;
      expect(granted).toBe(20);
      now += 11_000;
      expect(pool.tryRetry()).toBe(false);
    });

    it('always allows minRetriesPerSecond', () => {
      const pool = make({
        orders: { ...POLICY, retry: { ...POLICY.retry, minRetriesPerSecond: 1 } },
      }).poolFor(service('orders'))!;
      expect([...Array(15)].filter(() => pool.tryRetry()).length).toBe(10);
    });
  });

  describe('throughBreaker', () => {
    it('guards each service with its own breaker gateway:<service>', async () => {
      const pool = make().poolFor(service('orders'))!;
      await expect(
        pool.throughBreaker(
          () => Promise.resolve(503),
          (s) => s >= 500,
        ),
      ).resolves.toBe(503);
      expect(breakers.states().map((s) => [s.target, s.window.failures])).toEqual([
        ['gateway:orders', 1],
        ['gateway:static:legacy', 0],
      ]);
    });

    it('calls straight through when the policy turns breakers off', async () => {
      const off = { ...POLICY, breaker: { ...POLICY.breaker, enabled: false } };
      const pool = make({ orders: off }).poolFor(service('orders'))!;
      await expect(
        pool.throughBreaker(
          () => Promise.resolve(1),
          () => true,
        ),
      ).resolves.toBe(1);
      expect(breakers.has('gateway:orders')).toBe(false);
      expect(pool.snapshot().breaker).toBeUndefined();
    });
  });

  describe('reportProbe', () => {
    it('reaches service pools by any case and static pools by route name', () => {
      const pools = make();
      pools.poolFor(service('orders'));
      pools.reportProbe('ORDERS', 'o1', false);
      pools.reportProbe('orders', 'o1', false);
      pools.reportProbe('legacy', 'http://127.0.0.1:7002/', false);
      pools.reportProbe('legacy', 'http://127.0.0.1:7002/', false);
      pools.reportProbe('unknown', 'x', false);
      const status = pools.snapshots().map((p) => p.targets.map((t) => `${t.id}=${t.status}`));
      expect(status).toEqual([
        ['o1=ejected', 'o2=healthy'],
        ['http://127.0.0.1:7001/v1/=healthy', 'http://127.0.0.1:7002/=ejected'],
      ]);
    });
  });

  describe('snapshots', () => {
    it('lists service pools then static routes, with their breakers', () => {
      catalog.lists.set('alpha', [testInstance('a1')]);
      const pools = make();
      pools.poolFor(service('orders'));
      pools.poolFor(service('alpha'));
      const snapshots = pools.snapshots();
      expect(snapshots.map((s) => `${s.kind}:${s.name}`)).toEqual([
        'service:alpha',
        'service:orders',
        'static:legacy',
      ]);
      expect(snapshots[0]!.breaker).toMatchObject({ target: 'gateway:alpha', state: 'closed' });
      expect(snapshots[2]!.targets[0]).toMatchObject({ url: 'http://127.0.0.1:7001/v1', status: 'healthy' });
    });
  });

  describe('probeTargets', () => {
    it('lists every target of every pool made so far', () => {
      const pools = make();
      expect(pools.probeTargets().map((t) => t.pool)).toEqual(['legacy', 'legacy']);
      pools.poolFor(service('orders'));
      expect(pools.probeTargets().map((t) => `${t.pool}/${t.target.id}`)).toEqual([
        'orders/o1',
        'orders/o2',
        'legacy/http://127.0.0.1:7001/v1/',
        'legacy/http://127.0.0.1:7002/',
      ]);
    });
  });

  describe('close', () => {
    it('forgets every pool', () => {
      const pools = make();
      pools.poolFor(service('orders'));
      pools.close();
      expect(pools.snapshots()).toEqual([]);
    });
  });
});
