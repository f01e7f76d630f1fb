import { describe, expect, it, jest } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { exportPKCS8, generateKeyPair } from 'jose';
import { MeshTokenService } from './mesh-token.service.js';
import { resolveServiceAuthOptions } from './service-auth.options.js';

const SECRET = 'options-spec-secret-0123456789abcdef';

function quietLogger() {
  return { warn: jest.fn<(message: string) => void>() };
}

describe('resolveServiceAuthOptions', () => {
  it('applies the documented defaults', () => {
    expect(resolveServiceAuthOptions({ secret: SECRET }, {})).toMatchObject({
      secret: SECRET,
      issuer: 'ToskaMesh.Services',
      audience: 'ToskaMesh.Services',
      clockSkewMs: 30_000,
      tokenLifetimeMs: 600_000,
    });
  });

  it('reads the secret, issuer, audience and lifetime from the environment', () => {
    const resolved = resolveServiceAuthOptions(
      {},
      {
        MESH_SERVICE_AUTH_SECRET: SECRET,
        MESH_SERVICE_AUTH_ISSUER: 'iss',
        Mesh__ServiceAuth__Audience: 'aud',
        Mesh__ServiceAuth__TokenLifetimeMinutes: '5',
      },
    );
    expect(resolved).toMatchObject({
      secret: SECRET,
      issuer: 'iss',
      audience: 'aud',
      tokenLifetimeMs: 300_000,
    });
  });

  it('lets explicit options win over the environment', () => {
    const resolved = resolveServiceAuthOptions(
      { issuer: 'explicit' },
      { MESH_SERVICE_AUTH_SECRET: SECRET, MESH_SERVICE_AUTH_ISSUER: 'env' },
    );
    expect(resolved.issuer).toBe('explicit');
  });

  it('refuses a missing secret in production, even with allowEphemeralSecret', () => {
    const resolve = () =>
      resolveServiceAuthOptions({ allowEphemeralSecret: true }, { NODE_ENV: 'production' });
    expect(resolve).toThrow(MeshConfigError);
    expect(resolve).toThrow(/MESH_SERVICE_AUTH_SECRET.*missing.*production/);
  });

  it('refuses a 31-character secret in production', () => {
    expect(() =>
      resolveServiceAuthOptions(
        {},
        { NODE_ENV: 'production', MESH_SERVICE_AUTH_SECRET: 'super-secret-mesh-key-change-me' },
      ),
    ).toThrow(/MESH_SERVICE_AUTH_SECRET/);
    expect(() =>
      resolveServiceAuthOptions({}, { NODE_ENV: 'production', MESH_SERVICE_AUTH_SECRET: 'k'.repeat(31) }),
    ).toThrow(/too short \(31 characters\)/);
  });

  it('refuses change-me in any case, in development too', () => {
    expect(() => resolveServiceAuthOptions({ secret: 'Change-Me' }, { NODE_ENV: 'development' })).toThrow(
      /placeholder/,
    );
  });

  it('refuses a missing secret in development unless ephemeral secrets are allowed', () => {
    const resolve = () => resolveServiceAuthOptions({}, { NODE_ENV: 'development' });
    expect(resolve).toThrow(/allowEphemeralSecret/);
    expect(resolve).toThrow(/openssl rand -base64 48/);
  });

  it('generates a random per-process secret with a warning when allowed outside production', async () => {
    const logger = quietLogger();
    const first = resolveServiceAuthOptions({ allowEphemeralSecret: true }, {}, logger);
    const second = resolveServiceAuthOptions({ allowEphemeralSecret: true }, {}, logger);
    expect(first.secret!.length).toBeGreaterThanOrEqual(32);
    expect(first.secret).not.toBe(second.secret);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('random per-process secret'));
    const tokens = new MeshTokenService(first);
    await expect(tokens.verify(await tokens.issue({ subject: 'a' }))).resolves.toMatchObject({
      subject: 'a',
    });
  });

  it('does not warn or generate when a secret is configured', () => {
    const logger = quietLogger();
    resolveServiceAuthOptions({ allowEphemeralSecret: true }, { MESH_SERVICE_AUTH_SECRET: SECRET }, logger);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('accepts a key pair without a secret in production and ignores the env secret then', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const resolved = resolveServiceAuthOptions(
      { privateKey: await exportPKCS8(privateKey) },
      { NODE_ENV: 'production', MESH_SERVICE_AUTH_SECRET: SECRET },
    );
    expect(resolved.secret).toBeUndefined();
    expect(new MeshTokenService(resolved).algorithms).toEqual(['RS256']);
  });
});
