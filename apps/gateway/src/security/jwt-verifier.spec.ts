import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { DOTNET_CLAIMS, MeshTokenService } from '@toskamesh/security';
import { SignJWT, UnsecuredJWT, exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { JwtVerifier, type GatewayJwtSettings } from './jwt-verifier.js';
import type { AuthOutcome } from './request-identity.js';

const SECRET = 'gateway-test-secret-with-more-than-32-characters';
const ISSUER = 'gw-test-issuer';
const AUDIENCE = 'gw-test-api';
const START = Date.UTC(2030, 0, 1);

function settings(overrides: Partial<GatewayJwtSettings> = {}): GatewayJwtSettings {
  return {
    enabled: true,
    secret: SECRET,
    issuer: ISSUER,
    audience: AUDIENCE,
    clockSkewMs: 30_000,
    ...overrides,
  };
}

/** A verifier and an issuer sharing one fake clock. */
function subject(overrides: Partial<GatewayJwtSettings> = {}) {
  const clock = { now: START };
  const now = () => clock.now;
  const verifier = new JwtVerifier(settings(overrides), { now });
  const issuer = (options: Partial<ConstructorParameters<typeof MeshTokenService>[0]> = {}) =>
    new MeshTokenService({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE, now, ...options });
  return { clock, verifier, issuer };
}

async function reasonOf(outcome: AuthOutcome | Promise<AuthOutcome>): Promise<string | undefined> {
  const settled = await outcome;
  return settled.ok ? undefined : settled.reason;
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe(JwtVerifier.name, () => {
  describe('verify', () => {
    it('returns the subject and roles of a valid HS256 token', async () => {
      const { verifier, issuer } = subject();
      const token = await issuer().issue({ subject: 'alice', roles: ['admin', 'user'] });
      await expect(verifier.verify(token)).resolves.toEqual({
        ok: true,
        identity: { user: 'alice', roles: ['admin', 'user'], via: 'jwt' },
      });
    });

    it('refuses an expired token with "token expired"', async () => {
      const { clock, verifier, issuer } = subject();
      const token = await issuer().issue({ subject: 'alice' }, { expiresInMs: 60_000 });
      clock.now += 60_000 + 31_000;
      expect(await reasonOf(verifier.verify(token))).toBe('token expired');
    });

    it('accepts a token expired less than the clock skew ago', async () => {
      const { clock, verifier, issuer } = subject();
      const token = await issuer().issue({ subject: 'alice' }, { expiresInMs: 60_000 });
      clock.now += 60_000 + 20_000;
      expect((await verifier.verify(token)).ok).toBe(true);
    });

    it('refuses a token for another audience', async () => {
      const { verifier, issuer } = subject();
      const token = await issuer({ audience: 'another-api' }).issue({ subject: 'alice' });
      expect(await reasonOf(verifier.verify(token))).toBe('token audience is not accepted');
    });

    it('refuses a token of another issuer', async () => {
      const { verifier, issuer } = subject();
      const token = await issuer({ issuer: 'someone-else' }).issue({ subject: 'alice' });
      expect(await reasonOf(verifier.verify(token))).toBe('token issuer is not accepted');
    });

    it('refuses a token signed with another secret', async () => {
      const { verifier, issuer } = subject();
      const token = await issuer({ secret: `${SECRET}-but-another-one` }).issue({ subject: 'alice' });
      expect(await reasonOf(verifier.verify(token))).toBe('bad signature');
    });

    it('refuses a token whose payload was altered', async () => {
      const { verifier, issuer } = subject();
      const [header, , signature] = (await issuer().issue({ subject: 'alice' })).split('.');
      const forged = Buffer.from(JSON.stringify({ sub: 'root', iss: ISSUER, aud: AUDIENCE, exp: 4e9 }));
      const token = `${header}.${forged.toString('base64url')}.${signature}`;
      expect(await reasonOf(verifier.verify(token))).toBe('bad signature');
    });

    it.each(['not-a-token', 'a.b', 'a.b.c', '..'])('refuses the malformed token %j', async (token) => {
      const { verifier } = subject();
      expect(await reasonOf(verifier.verify(token))).toBe('malformed token');
    });

    it('refuses alg "none"', async () => {
      const { verifier } = subject();
      const token = new UnsecuredJWT({ sub: 'alice' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(START / 1000)
        .setExpirationTime(START / 1000 + 600)
        .encode();
      expect(await reasonOf(verifier.verify(token))).toBe('token algorithm is not accepted');
    });

    it('reads the .NET name identifier and role claims', async () => {
      const { verifier } = subject();
      const token = await new SignJWT({
        [DOTNET_CLAIMS.nameIdentifier]: 'dotnet-user',
        [DOTNET_CLAIMS.role]: ['Admin'],
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime(START / 1000 + 600)
        .sign(new TextEncoder().encode(SECRET));
      await expect(verifier.verify(token)).resolves.toEqual({
        ok: true,
        identity: { user: 'dotnet-user', roles: ['Admin'], via: 'jwt' },
      });
    });

    it('refuses a token whose subject could not travel as a header value', async () => {
      const { verifier, issuer } = subject();
      const token = await issuer().issue({ subject: 'alice\r\nx-mesh-roles: admin' });
      expect(await reasonOf(verifier.verify(token))).toBe(
        'token subject or roles contain control characters',
      );
    });

    it('uses the mesh default issuer and audience when they are blank', async () => {
      const { verifier, issuer } = subject({ issuer: '', audience: '' });
      const mesh = await issuer({ issuer: undefined, audience: undefined }).issue({ subject: 'svc' });
      const foreign = await issuer().issue({ subject: 'svc' });
      expect((await verifier.verify(mesh)).ok).toBe(true);
      expect(await reasonOf(verifier.verify(foreign))).toBe('token issuer is not accepted');
    });
  });

  describe('verify with key pairs', () => {
    it.each(['RS256', 'ES256'] as const)('verifies %s tokens with the configured public key', async (alg) => {
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
      const { verifier, issuer } = subject({ secret: undefined, publicKey: await exportSPKI(publicKey) });
      const signer = issuer({ secret: undefined, privateKey: await exportPKCS8(privateKey) });
      const token = await signer.issue({ subject: 'carol', roles: ['ops'] });
      await expect(verifier.verify(token)).resolves.toEqual({
        ok: true,
        identity: { user: 'carol', roles: ['ops'], via: 'jwt' },
      });
      const hs256 = await issuer().issue({ subject: 'carol' });
      expect(await reasonOf(verifier.verify(hs256))).toBe('token algorithm is not accepted');
    });

    it('refuses an RS256 token signed by another key', async () => {
      const mine = await generateKeyPair('RS256', { extractable: true });
      const theirs = await generateKeyPair('RS256', { extractable: true });
      const { verifier, issuer } = subject({
        secret: undefined,
        publicKey: await exportSPKI(mine.publicKey),
      });
      const signer = issuer({ secret: undefined, privateKey: await exportPKCS8(theirs.privateKey) });
      expect(await reasonOf(verifier.verify(await signer.issue({ subject: 'eve' })))).toBe('bad signature');
    });
  });

  describe('cache', () => {
    it('answers a second use of a token synchronously without verifying again', async () => {
      const { verifier, issuer } = subject();
      const token = await issuer().issue({ subject: 'alice' });
      const verify = jest.spyOn(MeshTokenService.prototype, 'verify');
      await verifier.verify(token);
      const again = verifier.verify(token);
      expect(again).not.toBeInstanceOf(Promise);
      expect(again).toEqual({ ok: true, identity: { user: 'alice', roles: [], via: 'jwt' } });
      expect(verify).toHaveBeenCalledTimes(1);
    });

    it('refuses a cached token once it expires', async () => {
      const { clock, verifier, issuer } = subject();
      const token = await issuer().issue({ subject: 'alice' }, { expiresInMs: 60_000 });
      expect((await verifier.verify(token)).ok).toBe(true);
      clock.now += 60_000 + 29_000;
      expect(verifier.verify(token)).toEqual({ ok: true, identity: expect.anything() });
      clock.now += 2_000;
      expect(verifier.verify(token)).toEqual({ ok: false, status: 401, reason: 'token expired' });
      expect(verifier.cachedTokens).toBe(0);
    });

    it('shares one verification between concurrent first uses', async () => {
      const { verifier, issuer } = subject();
      const token = await issuer().issue({ subject: 'alice' });
      const verify = jest.spyOn(MeshTokenService.prototype, 'verify');
      const outcomes = await Promise.all([verifier.verify(token), verifier.verify(token)]);
      expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
      expect(verify).toHaveBeenCalledTimes(1);
    });

    it('does not remember refused tokens', async () => {
      const { verifier, issuer } = subject();
      const token = await issuer({ audience: 'elsewhere' }).issue({ subject: 'alice' });
      await verifier.verify(token);
      expect(verifier.cachedTokens).toBe(0);
    });

    it('keeps at most cacheSize tokens', async () => {
      const { issuer } = subject();
      const verifier = new JwtVerifier(settings(), { now: () => START, cacheSize: 2 });
      for (const name of ['a', 'b', 'c']) await verifier.verify(await issuer().issue({ subject: name }));
      expect(verifier.cachedTokens).toBe(2);
    });
  });

  describe('constructor', () => {
    it.each([
      [{ secret: undefined }, 'security.jwt.secret'],
      [{ secret: 'too-short' }, 'too short'],
      [{ secret: `change-me-${SECRET}` }, 'placeholder'],
      [{ publicKey: '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----' }, 'cannot be combined'],
      [{ secret: undefined, publicKey: 'not a pem' }, 'security.jwt.publicKey'],
    ])('refuses unusable key settings %#', (overrides, message) => {
      expect(() => new JwtVerifier(settings(overrides))).toThrow(MeshConfigError);
      expect(() => new JwtVerifier(settings(overrides))).toThrow(message);
    });
  });
});
