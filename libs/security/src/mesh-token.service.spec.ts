import { describe, expect, it } from '@jest/globals';
import { MeshConfigError, MeshValidationError } from '@toskamesh/common';
import { SignJWT, decodeJwt, exportPKCS8, generateKeyPair, type JWTPayload } from 'jose';
import { InvalidTokenError } from './errors/invalid-token.error.js';
import { DOTNET_CLAIMS } from './mesh-principal.js';
import { MeshTokenService, type MeshTokenServiceOptions } from './mesh-token.service.js';

const SECRET = 'a'.repeat(16) + 'B'.repeat(16) + '-test-only-secret';
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

function clock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let current = start;
  return { now: () => current, advance: (ms) => (current += ms) };
}

function service(options: Partial<MeshTokenServiceOptions> = {}): MeshTokenService {
  return new MeshTokenService({ secret: SECRET, now: () => T0, ...options });
}

async function rejection(promise: Promise<unknown>): Promise<InvalidTokenError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return error as InvalidTokenError;
}

/** Signs an arbitrary payload with the HS256 test secret, as a foreign issuer would. */
async function foreignToken(payload: Record<string, unknown>, secret = SECRET): Promise<string> {
  return new SignJWT(payload as JWTPayload)
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));
}

describe(MeshTokenService.name, () => {
  describe('constructor', () => {
    it.each([
      ['blank', '   '],
      ['change-me in any case', 'CHANGE-ME'],
      ['the 31-character upstream default', 'super-secret-mesh-key-change-me'],
      ['a long placeholder', 'super-secret-mesh-key-change-me-please-really'],
      ['31 random characters', 'x'.repeat(31)],
    ])('refuses a %s secret with a fix in the message', (_label, secret) => {
      const create = () => new MeshTokenService({ secret });
      expect(create).toThrow(MeshConfigError);
      expect(create).toThrow(/MESH_SERVICE_AUTH_SECRET/);
      expect(create).toThrow(/openssl rand -base64 48/);
    });

    it('never shows the secret in the error', () => {
      const secret = 'short-but-secret-value';
      expect(() => new MeshTokenService({ secret })).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining(secret) as unknown }),
      );
    });

    it('accepts a 32-character secret', () => {
      expect(new MeshTokenService({ secret: 'y'.repeat(32) }).algorithms).toEqual(['HS256']);
    });

    it('refuses a secret combined with a key pair', async () => {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true });
      const pem = await exportPKCS8(privateKey);
      expect(() => new MeshTokenService({ secret: SECRET, privateKey: pem })).toThrow(/serviceAuth.secret/);
    });

    it('refuses a key that does not fit the algorithm', async () => {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true });
      const pem = await exportPKCS8(privateKey);
      expect(() => new MeshTokenService({ privateKey: pem, algorithm: 'ES256' })).toThrow(/does not fit/);
    });

    it('refuses an unparsable PEM without echoing it', () => {
      const create = () => new MeshTokenService({ privateKey: '-----BEGIN PRIVATE KEY-----\nnope' });
      expect(create).toThrow(/serviceAuth.privateKey" could not be parsed/);
    });

    it('refuses a negative clock skew and a sub-second lifetime', () => {
      expect(() => service({ clockSkewMs: -1 })).toThrow(/clockSkewMs/);
      expect(() => service({ tokenLifetimeMs: 10 })).toThrow(/tokenLifetimeMs/);
    });
  });

  describe('issue', () => {
    it('writes numeric iat/exp, iss/aud defaults, roles array and scope string', async () => {
      const token = await service().issue({
        subject: 'orders-1',
        serviceName: 'orders',
        serviceId: 'orders-1',
        roles: ['Service', 'Reader'],
        scopes: ['registry:write', 'kv:read'],
      });
      const claims = decodeJwt(token);
      expect(claims).toMatchObject({
        sub: 'orders-1',
        service_name: 'orders',
        service_id: 'orders-1',
        roles: ['Service', 'Reader'],
        scope: 'registry:write kv:read',
        iss: 'ToskaMesh.Services',
        aud: 'ToskaMesh.Services',
        iat: T0 / 1000,
        exp: T0 / 1000 + 600,
      });
      expect(typeof claims.iat).toBe('number');
      expect(typeof claims.jti).toBe('string');
    });

    it('honours expiresInMs and keeps registered claims over extra ones', async () => {
      const token = await service().issue(
        { subject: 'a', extra: { sub: 'forged', iss: 'evil', tenant: 't1' } },
        { expiresInMs: 60_000 },
      );
      expect(decodeJwt(token)).toMatchObject({
        sub: 'a',
        iss: 'ToskaMesh.Services',
        tenant: 't1',
        exp: T0 / 1000 + 60,
      });
    });

    it('rejects an empty subject and a non-positive lifetime', async () => {
      await expect(service().issue({ subject: '' })).rejects.toThrow(MeshValidationError);
      await expect(service().issue({ subject: 'a' }, { expiresInMs: 0 })).rejects.toThrow(/expiresInMs/);
    });
  });

  describe('verify', () => {
    it('round-trips an HS256 token into a principal', async () => {
      const tokens = service();
      const token = await tokens.issue({
        subject: 'svc-1',
        serviceName: 'svc',
        serviceId: 'svc-1',
        roles: ['Service'],
      });
      await expect(tokens.verify(token)).resolves.toMatchObject({
        subject: 'svc-1',
        serviceName: 'svc',
        serviceId: 'svc-1',
        roles: ['Service'],
        scopes: [],
        claims: { sub: 'svc-1' },
      });
    });

    it('accepts a token until exp plus the clock skew, then reports expired', async () => {
      const time = clock();
      const tokens = service({ now: time.now, tokenLifetimeMs: 60_000, clockSkewMs: 30_000 });
      const token = await tokens.issue({ subject: 'a' });
      time.advance(60_000 + 29_000);
      await expect(tokens.verify(token)).resolves.toMatchObject({ subject: 'a' });
      time.advance(1_000);
      const error = await rejection(tokens.verify(token));
      expect(error.reason).toBe('expired');
      expect(error.code).toBe('MESH_SECURITY_TOKEN_INVALID');
      expect(error.message).toMatch(/expired/);
    });

    it('reports not_yet_valid for a token issued beyond the skew in the future', async () => {
      const issuer = service({ now: () => T0 + 120_000 });
      const error = await rejection(service().verify(await issuer.issue({ subject: 'a' })));
      expect(error.reason).toBe('not_yet_valid');
    });

    it('reports not_yet_valid for an nbf in the future', async () => {
      const token = await service().issue({ subject: 'a', extra: { nbf: T0 / 1000 + 3600 } });
      expect((await rejection(service().verify(token))).reason).toBe('not_yet_valid');
    });

    it('reports wrong_audience and wrong_issuer', async () => {
      const otherAudience = await service({ audience: 'Other' }).issue({ subject: 'a' });
      const otherIssuer = await service({ issuer: 'Other' }).issue({ subject: 'a' });
      expect((await rejection(service().verify(otherAudience))).reason).toBe('wrong_audience');
      expect((await rejection(service().verify(otherIssuer))).reason).toBe('wrong_issuer');
    });

    it('reports bad_signature for another secret and for a tampered payload', async () => {
      const foreign = await service({ secret: 'z'.repeat(40) }).issue({ subject: 'a' });
      expect((await rejection(service().verify(foreign))).reason).toBe('bad_signature');
      const [header, , signature] = (await service().issue({ subject: 'a', roles: ['User'] })).split('.');
      const forged = Buffer.from(JSON.stringify({ ...decodeJwt(foreign), roles: ['Admin'] })).toString(
        'base64url',
      );
      expect((await rejection(service().verify(`${header}.${forged}.${signature}`))).reason).toBe(
        'bad_signature',
      );
    });

    it('reports algorithm_not_allowed for an RS256 token sent to an HS256 verifier', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const token = await new SignJWT({ sub: 'a' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
      expect((await rejection(service().verify(token))).reason).toBe('algorithm_not_allowed');
    });

    it.each([['abc'], [''], ['a.b.c'], ['x'.repeat(20_000)]])('reports malformed for %#', async (token) => {
      const error = await rejection(service().verify(token));
      expect(error.reason).toBe('malformed');
      if (token.length > 3) expect(error.message).not.toContain(token);
    });

    it('never echoes the token in the message', async () => {
      const token = await service({ audience: 'Other' }).issue({ subject: 'a' });
      const error = await rejection(service().verify(token));
      expect(error.message).not.toContain(token);
      expect(JSON.stringify(error.toJSON())).not.toContain(token.split('.')[1]!);
    });

    it('requires exp', async () => {
      const token = await foreignToken({ sub: 'a', iss: 'ToskaMesh.Services', aud: 'ToskaMesh.Services' });
      const error = await rejection(service().verify(token));
      expect(error.reason).toBe('missing_claim');
      expect(error.message).toContain('"exp"');
    });

    it('reads .NET role claims, the nameidentifier subject and a string iat', async () => {
      const token = await foreignToken({
        [DOTNET_CLAIMS.nameIdentifier]: 'legacy-svc',
        [DOTNET_CLAIMS.name]: 'legacy',
        [DOTNET_CLAIMS.role]: ['Service', 'Admin'],
        role: 'Reader',
        service_id: 'legacy',
        iat: String(T0 / 1000),
        exp: T0 / 1000 + 60,
        iss: 'ToskaMesh.Services',
        aud: 'ToskaMesh.Services',
      });
      await expect(service().verify(token)).resolves.toMatchObject({
        subject: 'legacy-svc',
        serviceName: 'legacy',
        serviceId: 'legacy',
        roles: expect.arrayContaining(['Service', 'Admin', 'Reader']) as unknown,
      });
    });

    it('reads a single string role and scopes from scp', async () => {
      const token = await foreignToken({
        sub: 'u',
        roles: 'Admin',
        scp: ['kv:read', 'kv:write'],
        exp: T0 / 1000 + 60,
        iss: 'ToskaMesh.Services',
        aud: ['Other', 'ToskaMesh.Services'],
      });
      await expect(service().verify(token)).resolves.toMatchObject({
        roles: ['Admin'],
        scopes: ['kv:read', 'kv:write'],
      });
    });
  });
});
