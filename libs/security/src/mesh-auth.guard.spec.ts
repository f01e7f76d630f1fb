import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type ExecutionContext, HttpException, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public } from './decorators/public.decorator.js';
import { Roles } from './decorators/roles.decorator.js';
import { Scopes } from './decorators/scopes.decorator.js';
import { ForbiddenError } from './errors/forbidden.error.js';
import { InvalidTokenError } from './errors/invalid-token.error.js';
import { MissingTokenError } from './errors/missing-token.error.js';
import { MeshAuthGuard } from './mesh-auth.guard.js';
import { MeshTokenService } from './mesh-token.service.js';
import { principalOf } from './principal-context.js';

const SECRET = 'guard-spec-secret-0123456789abcdefghij';

@Roles('Admin')
class Handlers {
  adminOnly(): void {}

  @Public()
  open(): void {}

  @Roles('Service')
  serviceOnly(): void {}

  @Scopes('kv:read', 'kv:write')
  scoped(): void {}
}

/** gRPC `Metadata` stand-in: `get` depends on `this`, as the real one does. */
class FakeMetadata {
  private readonly entries = new Map<string, string[]>();
  constructor(authorization?: string) {
    if (authorization !== undefined) this.entries.set('authorization', [authorization]);
  }
  get(key: string): string[] {
    return this.entries.get(key) ?? [];
  }
}

function context(
  type: 'http' | 'rpc' | 'ws',
  carrier: unknown,
  handler: keyof Handlers = 'adminOnly',
): ExecutionContext {
  return {
    getType: () => type,
    getHandler: () => Handlers.prototype[handler],
    getClass: () => Handlers,
    switchToHttp: () => ({ getRequest: () => carrier, getResponse: () => ({ setHeader: () => undefined }) }),
    switchToRpc: () => ({ getContext: () => carrier, getData: () => ({}) }),
  } as unknown as ExecutionContext;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the guard to refuse');
    },
    (error: unknown) => error,
  );
}

describe(MeshAuthGuard.name, () => {
  let tokens: MeshTokenService;
  let guard: MeshAuthGuard;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  beforeEach(() => {
    tokens = new MeshTokenService({ secret: SECRET });
    guard = new MeshAuthGuard(new Reflector(), tokens);
  });

  describe('canActivate (RPC)', () => {
    it('reads the bearer token from gRPC metadata and attaches the principal', async () => {
      const metadata = new FakeMetadata(`Bearer ${await tokens.issue({ subject: 'svc', roles: ['Admin'] })}`);
      const ctx = context('rpc', metadata);
      await expect(guard.canActivate(ctx)).resolves.toBe(true);
      expect(principalOf(ctx)).toMatchObject({ subject: 'svc', roles: ['Admin'] });
    });

    it('reads the token from transport headers (getHeaders().get)', async () => {
      const token = await tokens.issue({ subject: 'nats', roles: ['Admin'] });
      const headers = new Map([['authorization', `Bearer ${token}`]]);
      const ctx = context('rpc', { getHeaders: () => headers });
      await expect(guard.canActivate(ctx)).resolves.toBe(true);
    });

    it('throws MissingTokenError itself, not an HTTP exception', async () => {
      const error = await failure(guard.canActivate(context('rpc', new FakeMetadata())));
      expect(error).toBeInstanceOf(MissingTokenError);
      expect(error).not.toBeInstanceOf(HttpException);
    });

    it('throws InvalidTokenError for a bad token and ForbiddenError for a missing role', async () => {
      const bad = await failure(guard.canActivate(context('rpc', new FakeMetadata('Bearer a.b.c'))));
      expect(bad).toBeInstanceOf(InvalidTokenError);
      const user = await tokens.issue({ subject: 'u', roles: ['User'] });
      const denied = await failure(guard.canActivate(context('rpc', new FakeMetadata(`Bearer ${user}`))));
      expect(denied).toBeInstanceOf(ForbiddenError);
      expect((denied as ForbiddenError).code).toBe('MESH_SECURITY_FORBIDDEN');
    });

    it('refuses contexts that carry no token (WebSockets)', async () => {
      const error = await failure(guard.canActivate(context('ws', {})));
      expect(error).toBeInstanceOf(MissingTokenError);
      expect((error as MissingTokenError).source).toContain('ws');
    });
  });

  describe('canActivate (metadata)', () => {
    it('lets a method-level @Public() through despite the controller roles', async () => {
      await expect(guard.canActivate(context('http', { headers: {} }, 'open'))).resolves.toBe(true);
    });

    it('lets method roles replace controller roles', async () => {
      const service = await tokens.issue({ subject: 's', roles: ['Service'] });
      const ctx = context('http', { headers: { authorization: `bearer ${service}` } }, 'serviceOnly');
      await expect(guard.canActivate(ctx)).resolves.toBe(true);
    });

    it('answers 403 with the missing scopes over HTTP', async () => {
      const token = await tokens.issue({ subject: 's', roles: ['Admin'], scopes: ['kv:read'] });
      const error = await failure(
        guard.canActivate(context('http', { headers: { authorization: `Bearer ${token}` } }, 'scoped')),
      );
      expect(error).toBeInstanceOf(HttpException);
      expect((error as HttpException).getStatus()).toBe(403);
      expect((error as HttpException).getResponse()).toMatchObject({
        code: 'MESH_SECURITY_FORBIDDEN',
        detail: expect.stringContaining('kv:write') as unknown,
      });
    });
  });
});
