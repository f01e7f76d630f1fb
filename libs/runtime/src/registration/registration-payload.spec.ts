import { describe, expect, it } from '@jest/globals';
import { resolveRuntimeOptions } from '../options/resolve-runtime-options.js';
import type { MeshRuntimeModuleOptions } from '../options/mesh-runtime-options.js';
import { heartbeatPeriodMs, registrationPayload } from './registration-payload.js';

function options(overrides: MeshRuntimeModuleOptions = {}) {
  return resolveRuntimeOptions({
    service: { name: 'orders', id: 'orders-1', tags: ['blue'], metadata: { team: 'core' } },
    ...overrides,
    env: {},
  });
}

describe(registrationPayload.name, () => {
  it('sends name, id, the listened address and port, scheme, metadata and tags', () => {
    const payload = registrationPayload(options(), '10.0.0.5', 41234);
    expect(payload).toMatchObject({
      serviceName: 'orders',
      serviceId: 'orders-1',
      address: '10.0.0.5',
      port: 41234,
      scheme: 'http',
      tags: ['blue'],
      metadata: { team: 'core', lb_strategy: 'RoundRobin', health_check_endpoint: '/health/ready' },
    });
  });

  it('sets the TTL to 3 x the health interval', () => {
    const payload = registrationPayload(options({ registration: { healthIntervalMs: 7000 } }), 'h', 1);
    expect(payload.ttlMs).toBe(21_000);
  });

  it('asks for an active health check of the routing endpoint by default', () => {
    const resolved = options({
      service: { name: 'orders', routing: { healthCheckEndpoint: '/ready' } },
      registration: { healthIntervalMs: 4000, healthTimeoutMs: 900, unhealthyThreshold: 2 },
    });
    expect(registrationPayload(resolved, 'h', 1).healthCheck).toEqual({
      endpoint: '/ready',
      intervalMs: 4000,
      timeoutMs: 900,
      unhealthyThreshold: 2,
    });
  });

  it('leaves the health check out when activeHealthCheck is false', () => {
    const payload = registrationPayload(options({ registration: { activeHealthCheck: false } }), 'h', 1);
    expect(payload).not.toHaveProperty('healthCheck');
    expect(payload.ttlMs).toBe(90_000);
  });

  it('copies metadata and tags so the registry cannot alter the options', () => {
    const resolved = options();
    const payload = registrationPayload(resolved, 'h', 1);
    payload.metadata!.team = 'changed';
    payload.tags!.push('changed');
    expect(resolved.service.metadata.team).toBe('core');
    expect(resolved.service.tags).toEqual(['blue']);
  });
});

describe(heartbeatPeriodMs.name, () => {
  it('beats faster than the interval so the TTL (3 x interval) survives two lost beats', () => {
    expect(heartbeatPeriodMs(30_000)).toBe(24_000);
    expect(3 * 30_000).toBeGreaterThan(3 * heartbeatPeriodMs(30_000));
  });

  it('never goes below 50 ms', () => {
    expect(heartbeatPeriodMs(10)).toBe(50);
  });
});
