import { describe, expect, it } from '@jest/globals';
import type { ResolvedStaticRoute } from '../config/resolved-gateway-options.js';
import { MeshRouteResolver } from './mesh-route-resolver.js';
import { normalisedPath } from './request-path.js';

function route(name: string, pathPrefix: string, stripPrefix = true): ResolvedStaticRoute {
  return {
    name,
    pathPrefix,
    stripPrefix,
    upstreams: [new URL('http://127.0.0.1:1')],
    strategy: 'RoundRobin',
  };
}

describe(MeshRouteResolver.name, () => {
  describe('resolve', () => {
    const resolver = new MeshRouteResolver('/api/', []);

    it.each([
      ['/api/orders/items/7?x=1&y=%2F', 'orders', '/items/7?x=1&y=%2F'],
      ['/api/orders/items/', 'orders', '/items/'],
      ['/api/orders', 'orders', '/'],
      ['/api/orders/', 'orders', '/'],
      ['/api/orders?q=1', 'orders', '/?q=1'],
      ['/api/orders/?', 'orders', '/?'],
      ['/api/Hello-Mesh_Service.v2/hello', 'Hello-Mesh_Service.v2', '/hello'],
      ['/api/orders/a%20b/c%2Bd', 'orders', '/a%20b/c%2Bd'],
      ['/api/%6Frders/a%20b', 'orders', '/a%20b'],
      ['//api//orders//a', 'orders', '/a'],
    ])('routes %s to service %s, upstream %s', (target, service, upstreamPath) => {
      expect(resolver.resolve(target)).toEqual({ kind: 'service', service, upstreamPath });
    });

    it.each(['/api', '/api/', '/', '/health', '/apis/orders', '/API/orders', '/metrics?x'])(
      'finds no route for %s',
      (target) => {
        expect(resolver.resolve(target)).toEqual({ kind: 'none' });
      },
    );

    it.each([
      '/api/svc/../other/x',
      '/api/svc/%2e%2e/other',
      '/api/%2e%2e/x',
      '/api/svc/a%2fb',
      '/api/svc/a\\b',
      '/api/svc/%00',
      'http://x/api/svc/',
    ])('refuses %s with 400', (target) => {
      expect(resolver.resolve(target)).toMatchObject({ kind: 'rejected', status: 400 });
    });

    it.each(['/api/my%20service/x', '/api/a:b/x', '/api/caf%C3%A9/x', '/api/a%3Bb/x'])(
      'refuses the service name in %s',
      (target) => {
        expect(resolver.resolve(target)).toMatchObject({
          kind: 'rejected',
          status: 400,
          reason: expect.stringContaining('service name'),
        });
      },
    );
  });

  describe('route prefix', () => {
    it.each(['api', '/api', 'api/', ' /api/ '])('normalises %j to /api/', (prefix) => {
      expect(new MeshRouteResolver(prefix, []).routePrefix).toBe('/api/');
    });

    it('routes every first segment to a service when the prefix is /', () => {
      const resolver = new MeshRouteResolver('', []);
      expect(resolver.routePrefix).toBe('/');
      expect(resolver.resolve('/orders/x?y')).toEqual({
        kind: 'service',
        service: 'orders',
        upstreamPath: '/x?y',
      });
      expect(resolver.resolve('/orders')).toEqual({ kind: 'service', service: 'orders', upstreamPath: '/' });
      expect(resolver.resolve('/')).toEqual({ kind: 'none' });
    });

    it('handles a prefix of several segments, encoded ones included', () => {
      const resolver = new MeshRouteResolver('/mesh/v1/', []);
      expect(resolver.resolve('/mesh/v%31/orders/a%2Cb?z')).toEqual({
        kind: 'service',
        service: 'orders',
        upstreamPath: '/a%2Cb?z',
      });
      expect(resolver.resolve('/mesh/v1')).toEqual({ kind: 'none' });
      expect(resolver.resolve('/mesh/orders/x')).toEqual({ kind: 'none' });
    });
  });

  describe('static routes', () => {
    const resolver = new MeshRouteResolver('/api/', [
      route('legacy', '/legacy/'),
      route('legacy-admin', '/legacy/admin/'),
      route('keep', '/keep/', false),
      route('under-api', '/api/billing/'),
    ]);

    it.each([
      ['/legacy', 'legacy', '/'],
      ['/legacy/', 'legacy', '/'],
      ['/legacy/x/y?q=%20', 'legacy', '/x/y?q=%20'],
      ['/legacy/admin', 'legacy-admin', '/'],
      ['/legacy/admin/users?id=1', 'legacy-admin', '/users?id=1'],
      ['/legacy/administrator', 'legacy', '/administrator'],
      ['/leg%61cy/a%20b', 'legacy', '/a%20b'],
      ['/keep/a%20b?x', 'keep', '/keep/a%20b?x'],
      ['/keep', 'keep', '/keep'],
      ['/api/billing/invoices', 'under-api', '/invoices'],
    ])('routes %s to %s with upstream path %s', (target, name, upstreamPath) => {
      expect(resolver.resolve(target)).toEqual({ kind: 'static', route: name, upstreamPath });
    });

    it('matches whole segments only', () => {
      expect(resolver.resolve('/legacyx/y')).toEqual({ kind: 'none' });
      expect(resolver.resolve('/keeper')).toEqual({ kind: 'none' });
    });

    it('falls through to services when no static route matches', () => {
      expect(resolver.resolve('/api/orders/x')).toEqual({
        kind: 'service',
        service: 'orders',
        upstreamPath: '/x',
      });
    });

    it('refuses traversal out of a static route before matching', () => {
      expect(resolver.resolve('/legacy/../api/orders/x')).toMatchObject({ kind: 'rejected' });
      expect(resolver.resolve('/legacy/%2e%2e/admin')).toMatchObject({ kind: 'rejected' });
    });

    it('lets a static route at / catch every path', () => {
      const catchAll = new MeshRouteResolver('/api/', [route('all', '/')]);
      expect(catchAll.resolve('/api/orders/x?y')).toEqual({
        kind: 'static',
        route: 'all',
        upstreamPath: '/api/orders/x?y',
      });
    });
  });

  describe('resolveNormalised', () => {
    it('routes a path normalised once by the caller', () => {
      const resolver = new MeshRouteResolver('/api/', []);
      const normalised = normalisedPath('/api/orders/x');
      if (normalised.kind === 'rejected') throw new Error('unexpected rejection');
      expect(resolver.resolveNormalised(normalised)).toEqual({
        kind: 'service',
        service: 'orders',
        upstreamPath: '/x',
      });
    });
  });
});
