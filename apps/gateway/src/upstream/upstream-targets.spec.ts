import { describe, expect, it } from '@jest/globals';
import type { ServiceInstance } from '@toskamesh/common';
import { testInstance } from '../../test/upstream-fixtures.js';
import { instanceOrigin, meshTarget, staticTarget, syntheticInstance } from './upstream-targets.js';

const instance = (overrides: Partial<ServiceInstance> = {}): ServiceInstance =>
  testInstance('orders-1', { address: '10.0.0.5', port: 8080, ...overrides });

describe('instanceOrigin', () => {
  it.each([
    [{}, 'http://10.0.0.5:8080'],
    [{ metadata: { scheme: 'https' } }, 'https://10.0.0.5:8080'],
    [{ scheme: 'https' }, 'https://10.0.0.5:8080'],
    [{ scheme: '' }, 'http://10.0.0.5:8080'],
    [{ address: 'fe80::1', port: 443, metadata: { scheme: 'https' } }, 'https://[fe80::1]'],
    [{ address: 'orders.internal' }, 'http://orders.internal:8080'],
  ])('reads %j as %s', (overrides, origin) => {
    expect(instanceOrigin(instance(overrides)).origin).toBe(origin);
  });
});

describe('meshTarget', () => {
  it('keeps the parsed origin while the endpoint is unchanged', () => {
    const first = meshTarget(instance());
    expect(meshTarget(instance({ metadata: { weight: '2' } }), first).origin).toBe(first.origin);
    expect(meshTarget(instance({ port: 8081 }), first).origin.port).toBe('8081');
  });
});

describe('staticTarget', () => {
  it.each([
    ['http://legacy:8080/', 'http://legacy:8080', ''],
    ['http://legacy:8080/api/v1/', 'http://legacy:8080', '/api/v1'],
    ['https://legacy/api', 'https://legacy', '/api'],
  ])('splits %s into origin and base path', (url, origin, basePath) => {
    const target = staticTarget(new URL(url));
    expect([target.id, target.origin.origin, target.basePath]).toEqual([new URL(url).href, origin, basePath]);
  });

  it('gives the balancer a Healthy stand-in keyed by the URL', () => {
    const target = staticTarget(new URL('https://legacy/api'));
    expect(syntheticInstance('legacy', target)).toMatchObject({
      serviceId: 'https://legacy/api',
      serviceName: 'legacy',
      port: 443,
      scheme: 'https',
      status: 'Healthy',
    });
  });
});
