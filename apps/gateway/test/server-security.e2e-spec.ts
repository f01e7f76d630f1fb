import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sleep } from '@toskamesh/common';
import { MemoryServiceRegistry } from '@toskamesh/registry';
import { MeshTokenService } from '@toskamesh/security';
import { startGateway, type GatewayHandle } from '../src/index.js';
import { send, startEcho, type EchoUpstream } from './server-fixtures.js';

const SECRET = 'gateway-e2e-secret-0123456789-abcdefghijklmnop';
const ISSUER = 'toskamesh-tests';
const AUDIENCE = 'gateway';
const ADMIN_KEY = 'admin-key-0123456789abcdef';
const REPORT_KEY = 'report-key-0123456789abcdef';

function tokens(overrides: { audience?: string; now?: () => number; lifetimeMs?: number } = {}) {
  return new MeshTokenService({
    secret: SECRET,
    issuer: ISSUER,
    audience: overrides.audience ?? AUDIENCE,
    tokenLifetimeMs: overrides.lifetimeMs ?? 60_000,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
}

describe('gateway server (security)', () => {
  const registry = new MemoryServiceRegistry();
  let echo: EchoUpstream;
  let secured: GatewayHandle;
  let limited: GatewayHandle;

  beforeAll(async () => {
    echo = await startEcho();
    await registry.register({ serviceName: 'echo', address: '127.0.0.1', port: echo.port });
    secured = await startGateway(
      {
        host: '127.0.0.1',
        port: 0,
        security: {
          jwt: { enabled: true, secret: SECRET, issuer: ISSUER, audience: AUDIENCE },
          apiKeys: [
            { key: ADMIN_KEY, name: 'ops', roles: ['Admin'] },
            { key: REPORT_KEY, name: 'reporting', roles: ['reader'] },
          ],
        },
      },
      { env: {}, registry, logging: { level: 'error' } },
    );
    limited = await startGateway(
      { host: '127.0.0.1', port: 0, rateLimit: { enabled: true, permitLimit: 2, windowMs: 2000, key: 'ip' } },
      { env: {}, registry, logging: { level: 'error' } },
    );
  });

  afterAll(async () => {
    await secured?.close();
    await limited?.close();
    await echo?.close();
    await registry.close();
  });

  describe('JWT', () => {
    it('refuses a request without credentials with 401 and a Bearer challenge', async () => {
      const reply = await send(secured.url, '/api/echo/x');
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(reply.json()).toMatchObject({ status: 401, detail: 'missing credentials' });
    });

    it('refuses an expired token with 401 and says why', async () => {
      const past = () => Date.now() - 3_600_000;
      const token = await tokens({ now: past }).issue({ subject: 'alice' });
      const reply = await send(secured.url, '/api/echo/x', { headers: { authorization: `Bearer ${token}` } });
      expect(reply.status).toBe(401);
      expect(reply.json<{ detail: string }>().detail).toMatch(/expired/);
      expect(reply.headers['www-authenticate']).toMatch(
        /error="invalid_token", error_description=".*expired/,
      );
    });

    it('refuses a token for another audience with 401', async () => {
      const token = await tokens({ audience: 'someone-else' }).issue({ subject: 'alice' });
      const reply = await send(secured.url, '/api/echo/x', { headers: { authorization: `Bearer ${token}` } });
      expect(reply.status).toBe(401);
      expect(reply.json<{ detail: string }>().detail).toMatch(/audience/);
    });

    it('refuses a malformed token with 401', async () => {
      const reply = await send(secured.url, '/api/echo/x', {
        headers: { authorization: 'Bearer not.a.jwt' },
      });
      expect(reply.status).toBe(401);
    });

    it('forwards a valid token with the identity as headers and strips spoofed ones', async () => {
      const token = await tokens().issue({ subject: 'alice', roles: ['user', 'editor'] });
      const reply = await send(secured.url, '/api/echo/x', {
        headers: { authorization: `Bearer ${token}`, 'x-mesh-user': 'mallory', 'x-mesh-roles': 'Admin' },
      });
      expect(reply.status).toBe(200);
      const { headers } = reply.json<{ headers: Record<string, string> }>();
      expect(headers['x-mesh-user']).toBe('alice');
      expect(headers['x-mesh-roles']).toBe('user,editor');
    });

    it('lets public paths through without credentials', async () => {
      expect((await send(secured.url, '/health')).status).toBe(200);
    });
  });

  describe('API keys', () => {
    it('accepts a configured key and forwards its name', async () => {
      const reply = await send(secured.url, '/api/echo/x', { headers: { 'x-api-key': REPORT_KEY } });
      expect(reply.status).toBe(200);
      expect(reply.json<{ headers: Record<string, string> }>().headers['x-mesh-user']).toBe('reporting');
    });

    it('refuses an unknown key with 401', async () => {
      const reply = await send(secured.url, '/api/echo/x', {
        headers: { 'x-api-key': 'wrong-key-0123456789' },
      });
      expect(reply.status).toBe(401);
    });
  });

  describe('admin API', () => {
    it('answers 401 without credentials and 403 without the admin role', async () => {
      expect((await send(secured.url, '/admin/routes')).status).toBe(401);
      const forbidden = await send(secured.url, '/admin/routes', { headers: { 'x-api-key': REPORT_KEY } });
      expect(forbidden.status).toBe(403);
      expect(forbidden.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('lists routes, instances and breakers to an admin', async () => {
      await send(secured.url, '/api/echo/warm-up', { headers: { 'x-api-key': ADMIN_KEY } });
      const headers = { 'x-api-key': ADMIN_KEY };
      const routes = await send(secured.url, '/admin/routes', { headers });
      expect(routes.status).toBe(200);
      expect(routes.json()).toMatchObject({
        routePrefix: '/api/',
        services: [expect.objectContaining({ name: 'echo', healthy: 1, instances: 1 })],
      });
      const instances = await send(secured.url, '/admin/instances', { headers });
      expect(instances.json()).toMatchObject({
        pools: [
          expect.objectContaining({
            name: 'echo',
            targets: [expect.objectContaining({ status: 'healthy' })],
          }),
        ],
        registry: [expect.objectContaining({ service: 'echo', status: 'Healthy' })],
      });
      const breakers = await send(secured.url, '/admin/breakers', { headers });
      expect(breakers.json()).toEqual(expect.arrayContaining([expect.objectContaining({ state: 'closed' })]));
    });
  });

  describe('rate limiting', () => {
    it('answers 429 with Retry-After and RateLimit-* headers, and allows again after the reset', async () => {
      const first = await send(limited.url, '/api/echo/1');
      expect(first.status).toBe(200);
      expect(first.headers['ratelimit-limit']).toBe('2');
      await send(limited.url, '/api/echo/2');
      const refused = await send(limited.url, '/api/echo/3');
      expect(refused.status).toBe(429);
      expect(refused.headers['ratelimit-remaining']).toBe('0');
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(refused.json()).toMatchObject({ type: expect.stringMatching(/rate-limited$/), status: 429 });
      await sleep(retryAfter * 1000 + 100);
      expect((await send(limited.url, '/api/echo/4')).status).toBe(200);
    });
  });
});
