import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MeshTokenService } from '@toskamesh/security';
import { uniqueName } from '@toskamesh/testing';
import { DiscoveryAuthorizer } from '../src/auth/discovery-authorizer.service.js';
import type { DiscoveryApp } from '../src/index.js';
import {
  TEST_SECRET,
  adminToken,
  call,
  registrationBody,
  serviceToken,
  startDiscovery,
  tokens,
} from './support/discovery-fixture.js';

const REG = '/api/ServiceRegistration';
const DISC = '/api/ServiceDiscovery';

describe(DiscoveryAuthorizer.name, () => {
  let strict: DiscoveryApp;
  let open: DiscoveryApp;

  beforeAll(async () => {
    [strict, open] = await Promise.all([
      startDiscovery({ grpcPort: false }),
      startDiscovery({ grpcPort: false, auth: { allowAnonymousReads: true } }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([strict?.close(), open?.close()]);
  });

  async function register(
    app: DiscoveryApp,
    name: string,
    token: string,
    extra: Record<string, unknown> = {},
  ) {
    return call(app.httpUrl, 'POST', `${REG}/register`, { token, body: registrationBody(name, extra) });
  }

  describe('authenticate', () => {
    it('answers 401 problem+json with a Bearer challenge when the token is missing', async () => {
      const reply = await call(strict.httpUrl, 'POST', `${REG}/register`, { body: registrationBody('x') });
      expect(reply.status).toBe(401);
      expect(reply.contentType).toMatch(/^application\/problem\+json/);
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(reply.body).toMatchObject({ status: 401, success: false, code: 'MESH_SECURITY_TOKEN_MISSING' });
    });

    it('answers 401 for a token signed with another secret, an expired token and a wrong audience', async () => {
      const foreign = new MeshTokenService({ secret: randomBytes(36).toString('hex') });
      const otherAudience = new MeshTokenService({ secret: TEST_SECRET, audience: 'Elsewhere' });
      const bad = [
        await foreign.issue({ subject: 's', serviceName: 'x', roles: ['Service'] }),
        await expiredToken(),
        await otherAudience.issue({ subject: 's', serviceName: 'x', roles: ['Service'] }),
        'not-a-jwt',
      ];
      for (const token of bad) {
        const reply = await call(strict.httpUrl, 'POST', `${REG}/register`, {
          token,
          body: registrationBody('x'),
        });
        expect(reply.status).toBe(401);
        expect(reply.body.code).toBe('MESH_SECURITY_TOKEN_INVALID');
      }
    });

    it('requires a token for reads unless anonymous reads are allowed', async () => {
      const strictRead = await call(strict.httpUrl, 'GET', `${DISC}/services`);
      expect(strictRead.status).toBe(401);
      const openRead = await call(open.httpUrl, 'GET', `${DISC}/services`);
      expect(openRead.status).toBe(200);
      const openWrite = await call(open.httpUrl, 'POST', `${REG}/register`, { body: registrationBody('x') });
      expect(openWrite.status).toBe(401);
    });

    it('accepts a token of any role for reads', async () => {
      const reader = await tokens.issue({ subject: 'dashboard', roles: ['Reader'] });
      const reply = await call(strict.httpUrl, 'GET', `${DISC}/services`, { token: reader });
      expect(reply.status).toBe(200);
    });

    it('answers 403 for writes with a valid token without role Service or Admin', async () => {
      const reader = await tokens.issue({ subject: 'dashboard', serviceName: 'x', roles: ['Reader'] });
      const reply = await register(strict, 'x', reader);
      expect(reply.status).toBe(403);
      expect(reply.body).toMatchObject({ status: 403, code: 'MESH_SECURITY_FORBIDDEN' });
    });

    it('reads roles from the .NET role claim URI', async () => {
      const name = uniqueName('dotnet');
      const token = await tokens.issue({
        subject: name,
        serviceName: name,
        extra: { 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role': 'Service' },
      });
      expect((await register(strict, name, token)).status).toBe(200);
    });
  });

  describe('assertMayChange', () => {
    it('answers 403 when a service registers under another service name', async () => {
      const reply = await register(strict, uniqueName('victim'), await serviceToken(uniqueName('intruder')));
      expect(reply.status).toBe(403);
      expect(reply.body.code).toBe('MESH_DISCOVERY_NOT_OWNER');
    });

    it("answers 403 when a service touches another service's registration, by id or by re-registering it", async () => {
      const victim = uniqueName('victim');
      const victimToken = await serviceToken(victim);
      const created = await register(strict, victim, victimToken, { serviceId: `${victim}-1` });
      expect(created.status).toBe(200);
      const intruder = uniqueName('intruder');
      const token = await serviceToken(intruder);
      const id = `${victim}-1`;
      const attempts = [
        call(strict.httpUrl, 'POST', `${REG}/deregister/${id}`, { token }),
        call(strict.httpUrl, 'POST', `${REG}/health/${id}`, { token, body: { status: 2 } }),
        call(strict.httpUrl, 'POST', `${REG}/heartbeat/${id}`, { token }),
        call(strict.httpUrl, 'POST', `${REG}/metadata/${id}`, { token, body: { metadata: { a: 'b' } } }),
        call(strict.httpUrl, 'POST', `${REG}/health/check/${id}`, { token }),
        register(strict, intruder, token, { serviceId: id }),
      ];
      for (const reply of await Promise.all(attempts)) expect(reply.status).toBe(403);
      const still = await call(strict.httpUrl, 'GET', `${DISC}/instances/${id}`, { token: victimToken });
      expect(still.body.data).toMatchObject({ serviceName: victim, status: 1, metadata: { version: '1' } });
    });

    it('lets Admin act on any registration', async () => {
      const victim = uniqueName('any');
      await register(strict, victim, await serviceToken(victim), { serviceId: `${victim}-1` });
      const admin = await adminToken();
      expect((await register(strict, victim, admin, { serviceId: `${victim}-2` })).status).toBe(200);
      const health = await call(strict.httpUrl, 'POST', `${REG}/health/${victim}-1`, {
        token: admin,
        body: { status: 2 },
      });
      expect(health.status).toBe(200);
      const removed = await call(strict.httpUrl, 'POST', `${REG}/deregister/${victim}-1`, { token: admin });
      expect(removed.status).toBe(200);
    });
  });
});

async function expiredToken(): Promise<string> {
  const past = new MeshTokenService({ secret: TEST_SECRET, now: () => Date.now() - 3_600_000 });
  return past.issue({ subject: 's', serviceName: 'x', roles: ['Service'] }, { expiresInMs: 60_000 });
}
