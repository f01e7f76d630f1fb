import { describe, expect, it } from '@jest/globals';
import {
  UNMATCHED_ROUTE,
  passedTelemetryMiddleware,
  rememberMiddlewareRoute,
  routeLabel,
} from './route-label.js';

describe('routeLabel', () => {
  it('returns the matched Express route pattern, not the URL', () => {
    expect(routeLabel({ route: { path: '/items/:id' } })).toBe('/items/:id');
  });

  it('prefixes the mount path of a sub-router', () => {
    expect(routeLabel({ baseUrl: '/api/v1', route: { path: '/items/:id' } })).toBe('/api/v1/items/:id');
    expect(routeLabel({ baseUrl: '/api/', route: { path: '/' } })).toBe('/api/');
  });

  it('returns unmatched when no route matched', () => {
    expect(routeLabel({})).toBe(UNMATCHED_ROUTE);
    expect(routeLabel({ route: { path: '' } })).toBe(UNMATCHED_ROUTE);
  });

  it('returns unmatched when req.route is still the catch-all route of a Nest middleware', () => {
    const req = { route: { path: '{/*splat}' } };
    rememberMiddlewareRoute(req);
    expect(routeLabel(req)).toBe(UNMATCHED_ROUTE);
    req.route = { path: '/items/:id' };
    expect(routeLabel(req)).toBe('/items/:id');
  });

  it('keeps the first middleware route it was told about', () => {
    const req: { route?: { path: string } } = { route: { path: '{/*splat}' } };
    rememberMiddlewareRoute(req);
    req.route = { path: '/other' };
    rememberMiddlewareRoute(req);
    req.route = { path: '{/*splat}' };
    expect(routeLabel(req)).toBe(UNMATCHED_ROUTE);
  });

  it('falls back to the Fastify route pattern', () => {
    expect(routeLabel({ routeOptions: { url: '/orders/:orderId' } })).toBe('/orders/:orderId');
  });
});

describe('passedTelemetryMiddleware', () => {
  it('tells requests the middleware saw from others', () => {
    const seen = {};
    rememberMiddlewareRoute(seen);
    expect(passedTelemetryMiddleware(seen)).toBe(true);
    expect(passedTelemetryMiddleware({})).toBe(false);
  });
});
