import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ExecutionContext, HttpException, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InvalidTokenError, MeshAuthGuard, MeshTokenService } from '@toskamesh/security';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

async function rejection(promise: Promise<unknown>): Promise<InvalidTokenError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return error as InvalidTokenError;
}

function httpContext(authorization: string): ExecutionContext {
  const handler = (): void => undefined;
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => Object,
    switchToHttp: () => ({ getRequest: () => ({ headers: { authorization } }), getResponse: () => ({}) }),
  } as unknown as ExecutionContext;
}

describe('MeshTokenService with a JWKS URL', () => {
  let server: Server;
  let jwksUrl: string;
  let signer: MeshTokenService;
  let stranger: MeshTokenService;
  let requests = 0;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    const pair = await generateKeyPair('ES256', { extractable: true });
    const other = await generateKeyPair('ES256', { extractable: true });
    const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'mesh-1', alg: 'ES256', use: 'sig' };
    signer = new MeshTokenService({ privateKey: { ...(await exportJWK(pair.privateKey)), kid: 'mesh-1' } });
    stranger = new MeshTokenService({
      privateKey: { ...(await exportJWK(other.privateKey)), kid: 'unknown-kid' },
    });
    server = createServer((_request, response) => {
      requests += 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('verifies a token whose kid is in the key set and caches the set', async () => {
    const verifier = new MeshTokenService({ jwksUrl });
    expect(verifier.canIssue).toBe(false);
    await expect(
      verifier.verify(await signer.issue({ subject: 'a', roles: ['Service'] })),
    ).resolves.toMatchObject({
      subject: 'a',
      roles: ['Service'],
    });
    await verifier.verify(await signer.issue({ subject: 'b' }));
    expect(requests).toBe(1);
  });

  it('reports unknown_key for a kid that is not in the set', async () => {
    const verifier = new MeshTokenService({ jwksUrl });
    expect((await rejection(verifier.verify(await stranger.issue({ subject: 'x' })))).reason).toBe(
      'unknown_key',
    );
  });

  it('reports a retryable key_unavailable when the JWKS endpoint is down, answered 503 by the guard', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const verifier = new MeshTokenService({
      jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
      jwksTimeoutMs: 1_000,
    });
    const token = await signer.issue({ subject: 'a' });
    const error = await rejection(verifier.verify(token));
    expect(error.reason).toBe('key_unavailable');
    expect(error.retryable).toBe(true);
    const guard = new MeshAuthGuard(new Reflector(), verifier);
    const refused = await guard.canActivate(httpContext(`Bearer ${token}`)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(refused).toBeInstanceOf(HttpException);
    expect((refused as HttpException).getStatus()).toBe(503);
  });
});
