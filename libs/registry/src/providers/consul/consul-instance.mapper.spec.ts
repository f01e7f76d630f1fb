import { describe, expect, it } from '@jest/globals';
import {
  REGISTERED_AT_META,
  consulMetaProblems,
  fromHealthEntry,
  registeredAtOf,
  toServiceOptions,
} from './consul-instance.mapper.js';

const at = new Date('2026-01-02T03:04:05.678Z');

describe('toServiceOptions', () => {
  it('stores the registration time in Meta and a passing TTL check without a health check', () => {
    const options = toServiceOptions(
      {
        serviceName: 'orders',
        serviceId: 'orders-1',
        address: '10.0.0.5',
        port: 80,
        metadata: { a: '1' },
        ttlMs: 900,
      },
      at,
      60_000,
    );
    expect(options).toMatchObject({
      id: 'orders-1',
      name: 'orders',
      meta: { a: '1', [REGISTERED_AT_META]: at.toISOString() },
    });
    expect(options.checks).toEqual([
      expect.objectContaining({
        checkid: 'service:orders-1',
        ttl: '900ms',
        status: 'passing',
        deregistercriticalserviceafter: '60000ms',
      }),
    ]);
  });

  it('adds an HTTP check on the instance address and keeps scheme given outside metadata', () => {
    const healthCheck = { endpoint: '/health', intervalMs: 2_000, timeoutMs: 500, unhealthyThreshold: 3 };
    const options = toServiceOptions(
      { serviceName: 'orders', serviceId: 'o-2', address: '::1', port: 8443, scheme: 'https', healthCheck },
      at,
      60_000,
    );
    expect(options.meta['scheme']).toBe('https');
    expect(options.checks![0]).not.toHaveProperty('status');
    expect(options.checks![1]).toMatchObject({
      checkid: 'service:o-2:http',
      http: 'https://[::1]:8443/health',
      interval: '2000ms',
      timeout: '500ms',
      failuresbeforecritical: 3,
    });
  });
});

describe('consulMetaProblems', () => {
  it('accepts what Consul accepts', () => {
    expect(consulMetaProblems({ lb_strategy: 'RoundRobin', 'zone-1': 'eu' })).toEqual([]);
  });

  it('names keys Consul refuses and the 63-entry room left by the reserved key', () => {
    const many = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, 'v']));
    expect(consulMetaProblems(many)).toEqual([expect.stringContaining('64 metadata entries')]);
    expect(consulMetaProblems({ 'a.b': 'v' })).toEqual([expect.stringContaining('[A-Za-z0-9_-]')]);
    expect(consulMetaProblems({ 'consul-x': 'v' })).toEqual([expect.stringContaining('consul-')]);
    expect(consulMetaProblems({ [REGISTERED_AT_META]: 'v' })).toEqual([expect.stringContaining('reserved')]);
    expect(consulMetaProblems({ big: 'x'.repeat(513) })).toEqual([expect.stringContaining('512')]);
  });
});

describe('fromHealthEntry', () => {
  it('strips the reserved key, reads the scheme from metadata and tolerates null Meta and Tags', () => {
    const instance = fromHealthEntry(
      {
        Service: {
          ID: 'o-1',
          Service: 'orders',
          Address: 'h',
          Port: 1,
          Tags: null,
          Meta: { scheme: 'https', [REGISTERED_AT_META]: at.toISOString() },
        },
        Checks: [{ CheckID: 'service:o-1', Status: 'passing' }],
      },
      null,
    );
    expect(instance).toMatchObject({
      scheme: 'https',
      status: 'Healthy',
      metadata: { scheme: 'https' },
      tags: [],
      registeredAt: at,
    });
    expect(registeredAtOf(null).getTime()).toBe(0);
  });
});
