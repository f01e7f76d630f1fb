import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { CircuitBreakerRegistry } from '@toskamesh/resilience';
import { testBreakers, testPolicy } from '../../test/upstream-fixtures.js';
import type { ResolvedStaticRoute } from '../config/resolved-gateway-options.js';
import { StaticPool } from './static-pool.js';

const POLICY = testPolicy({
  hashHeaders: [],
  retry: { replayBufferBytes: 0, retryOnStatuses: [502] },
  ejection: { consecutiveFailures: 2, baseEjectionMs: 1000, maxEjectionMs: 4000 },
});

const route = (
  upstreams: string[],
  strategy: ResolvedStaticRoute['strategy'] = 'RoundRobin',
): ResolvedStaticRoute => ({
  name: 'legacy',
  pathPrefix: '/legacy/',
  upstreams: upstreams.map((url) => new URL(url)),
  stripPrefix: true,
  strategy,
});

describe(StaticPool.name, () => {
  let breakers: CircuitBreakerRegistry;
  let now = 0;
  beforeEach(() => {
    breakers = testBreakers();
  });
  const make = (r: ResolvedStaticRoute) =>
    new StaticPool(r, POLICY, {
      breakers,
      now: () => now,
      logger: { log: jest.fn(), warn: jest.fn() },
      probes: { unhealthyThreshold: 2, intervalMs: 1000 },
    });
  afterEach(() => breakers.shutdown());

  it('balances over its upstream URLs with the route strategy, once per distinct URL', () => {
    const pool = make(route(['http://a:1/x/', 'http://b:2', 'http://a:1/x/']));
    expect(pool.targetCount()).toBe(2);
    expect(pool.snapshot()).toMatchObject({ kind: 'static', name: 'legacy', strategy: 'RoundRobin' });
    const ids = [...Array(4)].map(() => pool.pick({})!.target.id);
    expect(ids).toEqual(['http://a:1/x/', 'http://b:2/', 'http://a:1/x/', 'http://b:2/']);
  });

  it('ejects a failing upstream and brings it back when its time is up', () => {
    const pool = make(route(['http://a:1', 'http://b:2']));
    for (let i = 0; i < 2; i++)
      pool.pick({ exclude: new Set(['http://b:2/']) })!.finish({ outcome: 'failure', kind: 'reset' });
    expect(pool.availableCount()).toBe(1);
    expect(new Set([...Array(10)].map(() => pool.pick({})!.target.id))).toEqual(new Set(['http://b:2/']));
    now += 1000;
    expect(pool.availableCount()).toBe(2);
  });

  it('has a breaker keyed by route, apart from service breakers', () => {
    make(route(['http://a:1']));
    expect(breakers.has('gateway:static:legacy')).toBe(true);
  });
});
