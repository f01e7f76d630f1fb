import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { resolveGatewayOptions } from './resolve-gateway-options.js';

const SECRET = 'a'.repeat(20) + 'b'.repeat(20);

describe('resolveGatewayOptions', () => {
  describe('defaults', () => {
    it('applies every documented default when nothing is set', () => {
      const options = resolveGatewayOptions({}, {});
      expect(options).toMatchObject({
        host: '0.0.0.0',
        port: 5000,
        routePrefix: '/api/',
        staticRoutes: [],
        accessLog: true,
        engine: 'node-http',
        limits: { maxBodyBytes: 10 * 1024 * 1024, maxHeaderBytes: 16_384 },
        admin: { enabled: true, path: '/admin', role: 'admin' },
        rateLimit: { enabled: false, permitLimit: 100, windowMs: 60_000, key: 'auto', store: 'memory' },
        cors: { enabled: false, allowedOrigins: [], allowCredentials: false, maxAgeSeconds: 600 },
        security: {
          jwt: { enabled: false, issuer: '', audience: '', clockSkewMs: 30_000 },
          apiKeys: [],
          apiKeyHeader: 'x-api-key',
          publicPaths: ['/health', '/health/**', '/metrics'],
        },
        upstream: {
          connectTimeoutMs: 2000,
          requestTimeoutMs: 30_000,
          strategy: 'PowerOfTwoChoices',
          hashHeaders: ['x-hash-key', 'x-session-id'],
          retry: { maxRetries: 2, budgetRatio: 0.2, replayBufferBytes: 65_536, retryOnStatuses: [502, 503] },
          ejection: { consecutiveFailures: 5, baseEjectionMs: 5000, maxEjectionMs: 60_000 },
          breaker: {
            enabled: true,
            failureThreshold: 0.5,
            minimumRequests: 20,
            windowMs: 10_000,
            openMs: 10_000,
          },
        },
      });
      expect(options.services.size).toBe(0);
      expect(options.tls).toBeUndefined();
    });
  });

  describe('precedence', () => {
    it('lets the environment win over code, and code over defaults', () => {
      const options = resolveGatewayOptions(
        { port: 6000, host: '127.0.0.1', upstream: { connectTimeoutMs: 500 } },
        { Mesh__Gateway__Port: '7000' },
      );
      expect(options.port).toBe(7000);
      expect(options.host).toBe('127.0.0.1');
      expect(options.upstream.connectTimeoutMs).toBe(500);
    });

    it('reads keys case-insensitively with "__" or ":" separators and durations with units', () => {
      const options = resolveGatewayOptions(
        {},
        {
          MESH__GATEWAY__upstream__RETRY__maxretries: '1',
          'Mesh:Gateway:Upstream:RequestTimeoutMs': '5s',
          Mesh__Gateway__Upstream__HashHeaders: 'X-Tenant, x-session-id',
        },
      );
      expect(options.upstream.retry.maxRetries).toBe(1);
      expect(options.upstream.requestTimeoutMs).toBe(5000);
      expect(options.upstream.hashHeaders).toEqual(['x-tenant', 'x-session-id']);
    });

    it('prefers Mesh__Gateway__Port over PORT', () => {
      expect(resolveGatewayOptions({}, { PORT: '8080' }).port).toBe(8080);
      expect(resolveGatewayOptions({}, { PORT: '8080', Mesh__Gateway__Port: '9090' }).port).toBe(9090);
    });

    it('lays per-service overrides over the merged upstream options, names lower-cased', () => {
      const options = resolveGatewayOptions(
        { upstream: { requestTimeoutMs: 1000 }, services: { Orders: { retry: { maxRetries: 0 } } } },
        { Mesh__Gateway__Services__orders__ConnectTimeoutMs: '300' },
      );
      expect(options.services.get('orders')).toMatchObject({
        requestTimeoutMs: 1000,
        connectTimeoutMs: 300,
        retry: { maxRetries: 0, budgetRatio: 0.2 },
      });
    });

    it('reads API keys in ASP.NET indexed form', () => {
      const options = resolveGatewayOptions(
        {},
        {
          Mesh__Gateway__Security__ApiKeys__1__Key: 'k'.repeat(24),
          Mesh__Gateway__Security__ApiKeys__1__Name: 'reporting',
          Mesh__Gateway__Security__ApiKeys__0__Key: 'j'.repeat(24),
          Mesh__Gateway__Security__ApiKeys__0__Name: 'ci',
          Mesh__Gateway__Security__ApiKeys__0__Roles: 'admin,ops',
        },
      );
      expect(options.security.apiKeys).toEqual([
        { key: 'j'.repeat(24), name: 'ci', roles: ['admin', 'ops'] },
        { key: 'k'.repeat(24), name: 'reporting', roles: [] },
      ]);
    });
  });

  describe('keys of the .NET original', () => {
    it('maps routing, resilience, rate limit, CORS and JWT keys', () => {
      const options = resolveGatewayOptions(
        {},
        {
          Mesh__Gateway__Routing__RoutePrefix: 'gw',
          Mesh__Gateway__Resilience__RetryCount: '3',
          Mesh__Gateway__Resilience__CircuitBreakerFailureThreshold: '0.25',
          Mesh__Gateway__Resilience__CircuitBreakerMinimumThroughput: '10',
          Mesh__Gateway__Resilience__CircuitBreakerSamplingDurationSeconds: '30',
          Mesh__Gateway__Resilience__CircuitBreakerBreakDurationSeconds: '20',
          RateLimit__EnableRateLimiting: 'true',
          RateLimit__PermitLimit: '5',
          RateLimit__WindowSeconds: '2',
          Cors__AllowedOrigins__0: 'https://app.example.com',
          Cors__AllowedMethods: 'GET,POST',
          Jwt__SecretKey: SECRET,
          Jwt__Issuer: 'ToskaMesh.Gateway',
          Jwt__Audience: 'ToskaMesh.Services',
        },
      );
      expect(options.routePrefix).toBe('/gw/');
      expect(options.upstream.retry.maxRetries).toBe(3);
      expect(options.upstream.breaker).toMatchObject({
        failureThreshold: 0.25,
        minimumRequests: 10,
        windowMs: 30_000,
        openMs: 20_000,
      });
      expect(options.rateLimit).toMatchObject({ enabled: true, permitLimit: 5, windowMs: 2000 });
      expect(options.cors).toMatchObject({
        enabled: true,
        allowedOrigins: ['https://app.example.com'],
        allowedMethods: ['GET', 'POST'],
        allowCredentials: true,
      });
      // The original validated tokens but never required one: the keys configure, they do not enable.
      expect(options.security.jwt).toMatchObject({
        enabled: false,
        secret: SECRET,
        issuer: 'ToskaMesh.Gateway',
        audience: 'ToskaMesh.Services',
      });
    });

    it('allows any origin when the original lists none, as it did', () => {
      const options = resolveGatewayOptions({}, { Cors__AllowAnyOrigin: 'false', Cors__AllowedHeaders: '' });
      expect(options.cors).toMatchObject({ enabled: true, allowedOrigins: ['*'], allowCredentials: false });
    });

    it('lets a Mesh__Gateway__ key win over the original spelling', () => {
      const options = resolveGatewayOptions(
        {},
        { RateLimit__PermitLimit: '5', Mesh__Gateway__RateLimit__PermitLimit: '7' },
      );
      expect(options.rateLimit.permitLimit).toBe(7);
    });

    it('normalises the route prefix like the original (blank is "/")', () => {
      expect(resolveGatewayOptions({ routePrefix: '' }, {}).routePrefix).toBe('/');
      expect(resolveGatewayOptions({}, { Mesh__Gateway__RoutePrefix: '/v1/api' }).routePrefix).toBe(
        '/v1/api/',
      );
    });
  });

  describe('bad values', () => {
    it('names the variable and shows the value when it does not parse', () => {
      expect(() => resolveGatewayOptions({}, { Mesh__Gateway__Port: 'eighty' })).toThrow(
        /Mesh__Gateway__Port.*"eighty"/,
      );
      expect(() => resolveGatewayOptions({}, { Mesh__Gateway__Upstream__ConnectTimeoutMs: 'soon' })).toThrow(
        /Mesh__Gateway__Upstream__ConnectTimeoutMs/,
      );
    });

    it('names the option, its variable and the allowed range when out of range', () => {
      const attempt = () => resolveGatewayOptions({ upstream: { retry: { maxRetries: 99 } } }, {});
      expect(attempt).toThrow(MeshConfigError);
      expect(attempt).toThrow(
        /upstream\.retry\.maxRetries \(Mesh__Gateway__Upstream__Retry__MaxRetries\).*99.*0\.\.10/,
      );
    });

    it('lists the allowed strategies', () => {
      expect(() => resolveGatewayOptions({}, { Mesh__Gateway__Upstream__Strategy: 'Fastest' })).toThrow(
        /RoundRobin, LeastConnections, Random, WeightedRoundRobin, ConsistentHash, PowerOfTwoChoices/,
      );
    });

    it('refuses JWT validation without a usable key, never showing the secret', () => {
      expect(() => resolveGatewayOptions({ security: { jwt: { enabled: true } } }, {})).toThrow(
        /security\.jwt\.secret.*required/,
      );
      const short = () =>
        resolveGatewayOptions({ security: { jwt: { enabled: true, secret: 'short-secret' } } }, {});
      expect(short).toThrow(/too short/);
      expect(short).not.toThrow(/short-secret/);
    });

    it('refuses short or duplicated API keys', () => {
      expect(() => resolveGatewayOptions({ security: { apiKeys: [{ key: 'abc', name: 'x' }] } }, {})).toThrow(
        /security\.apiKeys\[0\]\.key.*too short/,
      );
      const key = 'k'.repeat(20);
      expect(() =>
        resolveGatewayOptions(
          {
            security: {
              apiKeys: [
                { key, name: 'a' },
                { key, name: 'b' },
              ],
            },
          },
          {},
        ),
      ).toThrow(/same key twice/);
    });

    it('refuses credentials with any origin, and origins with a path', () => {
      expect(() =>
        resolveGatewayOptions({ cors: { allowedOrigins: ['*'], allowCredentials: true } }, {}),
      ).toThrow(/cors\.allowCredentials/);
      expect(() => resolveGatewayOptions({ cors: { allowedOrigins: ['https://a.example/x'] } }, {})).toThrow(
        /cors\.allowedOrigins\[0\].*must be an origin/,
      );
    });

    it('refuses an admin path over a built-in endpoint and a traversing route prefix', () => {
      expect(() => resolveGatewayOptions({ admin: { path: '/health' } }, {})).toThrow(/admin\.path/);
      expect(() => resolveGatewayOptions({ routePrefix: '/api/../x/' }, {})).toThrow(/routePrefix/);
    });

    it('refuses a bad trusted proxy, rate-limit store or Redis URL', () => {
      expect(() => resolveGatewayOptions({ rateLimit: { trustedProxies: ['10.0.0.0/99'] } }, {})).toThrow(
        /rateLimit\.trustedProxies\[0\]/,
      );
      expect(() => resolveGatewayOptions({}, { Mesh__Gateway__RateLimit__Store: 'disk' })).toThrow(
        /memory, redis/,
      );
      expect(() => resolveGatewayOptions({ rateLimit: { redisUrl: 'http://x' } }, {})).toThrow(
        /rateLimit\.redisUrl/,
      );
    });
  });

  describe('files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-config-'));

    it('reads the TLS certificate and key, and needs both', () => {
      writeFileSync(join(dir, 'cert.pem'), 'CERT');
      writeFileSync(join(dir, 'key.pem'), 'KEY');
      const options = resolveGatewayOptions(
        {},
        {
          Mesh__Gateway__Tls__CertFile: join(dir, 'cert.pem'),
          Mesh__Gateway__Tls__KeyFile: join(dir, 'key.pem'),
        },
      );
      expect(options.tls?.cert.toString()).toBe('CERT');
      expect(options.tls?.key.toString()).toBe('KEY');
      expect(() => resolveGatewayOptions({ tls: { certFile: join(dir, 'cert.pem') } }, {})).toThrow(
        /tls\.keyFile/,
      );
      expect(() =>
        resolveGatewayOptions(
          { tls: { certFile: join(dir, 'missing.pem'), keyFile: join(dir, 'key.pem') } },
          {},
        ),
      ).toThrow(/tls\.certFile.*cannot be read.*missing\.pem/);
    });

    it('loads static routes from code and from the YAML file', () => {
      const file = join(dir, 'routes.yaml');
      writeFileSync(file, 'routes:\n  - pathPrefix: /legacy/\n    upstreams: [http://127.0.0.1:9000]\n');
      const options = resolveGatewayOptions(
        { staticRoutes: [{ name: 'docs', pathPrefix: '/docs', upstreams: ['http://127.0.0.1:9001/base'] }] },
        { Mesh__Gateway__StaticRoutesFile: file },
      );
      expect(options.staticRoutes.map((route) => [route.name, route.pathPrefix])).toEqual([
        ['docs', '/docs/'],
        ['/legacy/', '/legacy/'],
      ]);
    });
  });
});
