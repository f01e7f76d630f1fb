import { describe, expect, it, jest } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { decodeJwt, exportSPKI, generateKeyPair } from 'jose';
import { MeshTokenService } from './mesh-token.service.js';
import { ServiceTokenProvider } from './service-token.provider.js';

const SECRET = 'provider-spec-secret-0123456789abcdef';
const T0 = Date.UTC(2030, 0, 1);

function setup(lifetimeMs = 10 * 60_000) {
  let now = T0;
  const tokens = new MeshTokenService({ secret: SECRET, tokenLifetimeMs: lifetimeMs, now: () => now });
  const issue = jest.spyOn(tokens, 'issue');
  const provider = new ServiceTokenProvider(tokens, {
    serviceName: 'orders',
    serviceId: 'orders-7',
    roles: ['Reader'],
  });
  return { tokens, issue, provider, advance: (ms: number) => (now += ms) };
}

describe(ServiceTokenProvider.name, () => {
  describe('constructor', () => {
    it('refuses a blank service name', () => {
      const tokens = new MeshTokenService({ secret: SECRET });
      expect(() => new ServiceTokenProvider(tokens, { serviceName: ' ' })).toThrow(/identity.serviceName/);
    });

    it('refuses a verify-only token service', async () => {
      const { publicKey } = await generateKeyPair('ES256');
      const tokens = new MeshTokenService({ publicKey: await exportSPKI(publicKey) });
      expect(() => new ServiceTokenProvider(tokens, { serviceName: 'a' })).toThrow(MeshConfigError);
    });

    it('defaults the service id to the service name and always adds the Service role', () => {
      const tokens = new MeshTokenService({ secret: SECRET });
      expect(new ServiceTokenProvider(tokens, { serviceName: 'a', roles: ['Service'] }).identity).toEqual({
        serviceName: 'a',
        serviceId: 'a',
        roles: ['Service'],
      });
    });
  });

  describe('getToken', () => {
    it('issues a service token whose subject is the service id', async () => {
      const { provider, tokens } = setup();
      const token = await provider.getToken();
      expect(decodeJwt(token)).toMatchObject({
        sub: 'orders-7',
        service_id: 'orders-7',
        service_name: 'orders',
        roles: ['Reader', 'Service'],
      });
      await expect(tokens.verify(token)).resolves.toMatchObject({ serviceName: 'orders' });
    });

    it('reuses the cached token until 80 % of a 10-minute lifetime has passed', async () => {
      const { provider, issue, advance } = setup();
      const first = await provider.getToken();
      advance(8 * 60_000 - 1);
      expect(await provider.getToken()).toBe(first);
      expect(issue).toHaveBeenCalledTimes(1);
      advance(1);
      const renewed = await provider.getToken();
      expect(issue).toHaveBeenCalledTimes(2);
      expect(decodeJwt(renewed).exp).toBeGreaterThan(decodeJwt(first).exp!);
    });

    it('renews 30 s before expiry when that comes before 80 % of the lifetime', async () => {
      // 100 s lifetime: 30 s before expiry (70 s) comes before 80 % of it (80 s).
      const { provider, issue, advance } = setup(100_000);
      await provider.getToken();
      advance(70_000 - 1);
      await provider.getToken();
      expect(issue).toHaveBeenCalledTimes(1);
      advance(1);
      await provider.getToken();
      expect(issue).toHaveBeenCalledTimes(2);
    });

    it('shares one issuance between concurrent callers', async () => {
      const { provider, issue } = setup();
      const results = await Promise.all([provider.getToken(), provider.getToken(), provider.getToken()]);
      expect(new Set(results).size).toBe(1);
      expect(issue).toHaveBeenCalledTimes(1);
    });

    it('does not cache a failed issuance', async () => {
      const { provider, issue } = setup();
      issue.mockRejectedValueOnce(new Error('signing failed'));
      await expect(provider.getToken()).rejects.toThrow('signing failed');
      await expect(provider.getToken()).resolves.toEqual(expect.any(String));
      expect(issue).toHaveBeenCalledTimes(2);
    });
  });

  describe('invalidate', () => {
    it('makes the next call issue a fresh token', async () => {
      const { provider, issue } = setup();
      await provider.getToken();
      provider.invalidate();
      await provider.getToken();
      expect(issue).toHaveBeenCalledTimes(2);
    });

    it('does not cache a token whose issuance started before invalidation', async () => {
      const { provider, issue } = setup();
      const pending = provider.getToken();
      provider.invalidate();
      await pending;
      await provider.getToken();
      expect(issue).toHaveBeenCalledTimes(2);
    });
  });
});
