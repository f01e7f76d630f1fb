import { beforeAll, describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { InvalidTokenError } from './errors/invalid-token.error.js';
import { MeshTokenService } from './mesh-token.service.js';

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

async function rejection(promise: Promise<unknown>): Promise<InvalidTokenError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return error as InvalidTokenError;
}

describe(MeshTokenService.name, () => {
  describe('asymmetric keys', () => {
    let rsa: { privatePem: string; publicPem: string };

    beforeAll(async () => {
      const pair = await generateKeyPair('RS256', { extractable: true });
      rsa = { privatePem: await exportPKCS8(pair.privateKey), publicPem: await exportSPKI(pair.publicKey) };
    });

    it('round-trips RS256 with PEM keys, verifying with the public key only', async () => {
      const signer = new MeshTokenService({ privateKey: rsa.privatePem, now: () => T0 });
      const verifier = new MeshTokenService({ publicKey: rsa.publicPem, now: () => T0 });
      expect(signer.algorithms).toEqual(['RS256']);
      expect(verifier.canIssue).toBe(false);
      const token = await signer.issue({ subject: 'rs', roles: ['Service'] });
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'rs', roles: ['Service'] });
      await expect(verifier.issue({ subject: 'x' })).rejects.toThrow(MeshConfigError);
    });

    it('round-trips ES256 with JWKs and writes the kid', async () => {
      const pair = await generateKeyPair('ES256', { extractable: true });
      const privateJwk = { ...(await exportJWK(pair.privateKey)), kid: 'k1' };
      const signer = new MeshTokenService({ privateKey: privateJwk, now: () => T0 });
      const verifier = new MeshTokenService({ publicKey: await exportJWK(pair.publicKey), now: () => T0 });
      const token = await signer.issue({ subject: 'es' });
      expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({
        alg: 'ES256',
        typ: 'JWT',
        kid: 'k1',
      });
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'es' });
    });

    it('reports bad_signature for a token of another key pair', async () => {
      const other = await generateKeyPair('RS256', { extractable: true });
      const signer = new MeshTokenService({ privateKey: await exportPKCS8(other.privateKey), now: () => T0 });
      const verifier = new MeshTokenService({ publicKey: rsa.publicPem, now: () => T0 });
      expect((await rejection(verifier.verify(await signer.issue({ subject: 'a' })))).reason).toBe(
        'bad_signature',
      );
    });

    it('hands out the verification key as a KeyObject', async () => {
      const signer = new MeshTokenService({ privateKey: rsa.privatePem, now: () => T0 });
      const key = await signer.verificationKey(await signer.issue({ subject: 'a' }));
      expect(key.type).toBe('public');
      expect(key.asymmetricKeyType).toBe('rsa');
    });
  });
});
