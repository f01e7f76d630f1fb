import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { MeshTokenService } from '@toskamesh/security';
import { GatewayAuthenticator, type GatewaySecuritySettings } from './gateway-authenticator.js';

const SECRET = 'gateway-test-secret-with-more-than-32-characters';
const ISSUER = 'gw-test-issuer';
const AUDIENCE = 'gw-test-api';

function settings(overrides: Partial<GatewaySecuritySettings> = {}): GatewaySecuritySettings {
  return {
    jwt: { enabled: true, secret: SECRET, issuer: ISSUER, audience: AUDIENCE, clockSkewMs: 30_000 },
    apiKeys: [{ key: 'key-of-the-reporting-job', name: 'reporting', roles: ['reader'] }],
    apiKeyHeader: 'X-Api-Key',
    publicPaths: ['/health', '/health/**', '/api/docs/**'],
    ...overrides,
  };
}

function request(headers: IncomingHttpHeaders = {}): IncomingMessage {
  return { headers } as IncomingMessage;
}

const tokens = new MeshTokenService({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE });
const wrongAudience = new MeshTokenService({ secret: SECRET, issuer: ISSUER, audience: 'elsewhere' });

const alice = { user: 'alice', roles: ['user'], via: 'jwt' };
const reporting = { user: 'reporting', roles: ['reader'], via: 'api-key', apiKey: 'reporting' };

describe(GatewayAuthenticator.name, () => {
  describe('authenticate', () => {
    it('passes every request without identity when neither JWT nor API keys are configured', () => {
      const auth = new GatewayAuthenticator(
        settings({ jwt: { enabled: false, issuer: '', audience: '', clockSkewMs: 0 }, apiKeys: [] }),
      );
      expect(auth.enabled).toBe(false);
      expect(auth.authenticate(request({ authorization: 'Bearer garbage' }), '/api/x')).toEqual({ ok: true });
    });

    it('refuses a request without credentials with "missing credentials"', () => {
      const auth = new GatewayAuthenticator(settings());
      expect(auth.authenticate(request(), '/api/orders')).toEqual({
        ok: false,
        status: 401,
        reason: 'missing credentials',
      });
    });

    it('accepts a valid bearer token', async () => {
      const auth = new GatewayAuthenticator(settings());
      const token = await tokens.issue({ subject: 'alice', roles: ['user'] });
      await expect(
        auth.authenticate(request({ authorization: `Bearer ${token}` }), '/api/orders'),
      ).resolves.toEqual({ ok: true, identity: alice });
    });

    it('refuses a bearer token with the reason it fails', async () => {
      const auth = new GatewayAuthenticator(settings());
      const token = await wrongAudience.issue({ subject: 'alice' });
      await expect(
        auth.authenticate(request({ authorization: `Bearer ${token}` }), '/api/orders'),
      ).resolves.toEqual({ ok: false, status: 401, reason: 'token audience is not accepted' });
    });

    it('calls an unparseable Bearer header a malformed token', () => {
      const auth = new GatewayAuthenticator(settings());
      expect(auth.authenticate(request({ authorization: 'Bearer a b c' }), '/api/orders')).toEqual({
        ok: false,
        status: 401,
        reason: 'malformed token',
      });
    });

    it('accepts a configured API key in the configured header', () => {
      const auth = new GatewayAuthenticator(settings());
      const outcome = auth.authenticate(request({ 'x-api-key': 'key-of-the-reporting-job' }), '/api/orders');
      expect(outcome).toEqual({ ok: true, identity: reporting });
    });

    it('refuses an unknown API key', () => {
      const auth = new GatewayAuthenticator(settings());
      expect(auth.authenticate(request({ 'x-api-key': 'key-of-the-reporting-jo' }), '/api/x')).toEqual({
        ok: false,
        status: 401,
        reason: 'invalid API key',
      });
    });

    it('prefers the bearer token over an API key and does not fall back when it is invalid', async () => {
      const auth = new GatewayAuthenticator(settings());
      const headers = { authorization: 'Bearer x.y.z', 'x-api-key': 'key-of-the-reporting-job' };
      await expect(auth.authenticate(request(headers), '/api/orders')).resolves.toMatchObject({ ok: false });
    });

    it('leaves other Authorization schemes to the upstream and checks the API key', () => {
      const auth = new GatewayAuthenticator(settings());
      const headers = { authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': 'key-of-the-reporting-job' };
      expect(auth.authenticate(request(headers), '/api/orders')).toEqual({ ok: true, identity: reporting });
      expect(
        auth.authenticate(request({ authorization: 'Basic dXNlcjpwYXNz' }), '/api/orders'),
      ).toMatchObject({
        reason: 'missing credentials',
      });
    });

    it('ignores bearer tokens when only API keys are configured', () => {
      const auth = new GatewayAuthenticator(
        settings({ jwt: { enabled: false, issuer: '', audience: '', clockSkewMs: 0 } }),
      );
      expect(auth.enabled).toBe(true);
      expect(auth.authenticate(request({ authorization: 'Bearer x.y.z' }), '/api/orders')).toMatchObject({
        reason: 'missing credentials',
      });
    });

    it('requires a bearer token when JWT is enabled without API keys', () => {
      const auth = new GatewayAuthenticator(settings({ apiKeys: [] }));
      expect(auth.authenticate(request({ 'x-api-key': 'key-of-the-reporting-job' }), '/api/x')).toMatchObject(
        {
          reason: 'missing credentials',
        },
      );
    });
  });

  describe('authenticate on public paths', () => {
    it('passes without credentials', () => {
      const auth = new GatewayAuthenticator(settings());
      expect(auth.authenticate(request(), '/health')).toEqual({ ok: true });
      expect(auth.authenticate(request(), '/health/ready')).toEqual({ ok: true });
      expect(auth.authenticate(request(), '/api/docs')).toEqual({ ok: true });
    });

    it('still returns the identity of valid credentials', async () => {
      const auth = new GatewayAuthenticator(settings());
      const token = await tokens.issue({ subject: 'alice', roles: ['user'] });
      await expect(
        auth.authenticate(request({ authorization: `Bearer ${token}` }), '/health'),
      ).resolves.toEqual({
        ok: true,
        identity: alice,
      });
      expect(auth.authenticate(request({ 'x-api-key': 'key-of-the-reporting-job' }), '/health')).toEqual({
        ok: true,
        identity: reporting,
      });
    });

    it('passes without identity when the credentials are invalid', async () => {
      const auth = new GatewayAuthenticator(settings());
      const token = await wrongAudience.issue({ subject: 'alice' });
      await expect(
        auth.authenticate(request({ authorization: `Bearer ${token}` }), '/health'),
      ).resolves.toEqual({
        ok: true,
      });
      expect(auth.authenticate(request({ 'x-api-key': 'wrong' }), '/health')).toEqual({ ok: true });
    });

    it('does not treat look-alike paths as public', () => {
      const auth = new GatewayAuthenticator(settings());
      expect(auth.authenticate(request(), '/healthz')).toMatchObject({ ok: false });
      expect(auth.authenticate(request(), '/api/docsx')).toMatchObject({ ok: false });
    });
  });
});
