import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type INestApplication, Module, type DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MeshTokenService, SecurityModule, ServiceTokenProvider } from '@toskamesh/security';
import { OpenController, ProbeController } from './fixtures/probe.controllers.js';

const SECRET = `e2e-${Math.random().toString(36).slice(2)}-0123456789abcdefghijklmnop`;

interface Harness {
  app: INestApplication;
  url: string;
  tokens: MeshTokenService;
}

async function start(securityModule: DynamicModule): Promise<Harness> {
  @Module({ imports: [securityModule], controllers: [ProbeController, OpenController] })
  class AppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, tokens: app.get(MeshTokenService) };
}

async function call(
  harness: Harness,
  path: string,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown>; challenge: string | null }> {
  const response = await fetch(`${harness.url}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, body, challenge: response.headers.get('www-authenticate') };
}

describe('SecurityModule.forRoot', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await start(
      SecurityModule.forRoot({
        serviceAuth: { secret: SECRET },
        identity: { serviceName: 'e2e', serviceId: 'e2e-1', roles: ['Operator'] },
      }),
    );
  });

  afterAll(async () => {
    await harness?.app.close();
  });

  it('answers a public route without a token', async () => {
    await expect(call(harness, '/probe/public')).resolves.toMatchObject({
      status: 200,
      body: { ok: true, hasProvider: true },
    });
  });

  it('answers every route of a public controller without a token', async () => {
    await expect(call(harness, '/open')).resolves.toMatchObject({ status: 200, body: { open: true } });
  });

  it('answers 401 with code and challenge when the token is missing', async () => {
    const { status, body, challenge } = await call(harness, '/probe/me');
    expect(status).toBe(401);
    expect(body).toMatchObject({ status: 401, title: 'Unauthorized', code: 'MESH_SECURITY_TOKEN_MISSING' });
    expect(challenge).toBe('Bearer realm="ToskaMesh"');
  });

  it('answers 401 naming the reason for an expired token', async () => {
    const expired = await new MeshTokenService({ secret: SECRET, now: () => Date.now() - 3_600_000 }).issue({
      subject: 'old',
    });
    const { status, body, challenge } = await call(harness, '/probe/me', expired);
    expect(status).toBe(401);
    expect(body).toMatchObject({ code: 'MESH_SECURITY_TOKEN_INVALID', reason: 'expired' });
    expect(String(body.detail)).not.toContain(expired);
    expect(challenge).toContain('error="invalid_token"');
  });

  it('answers 401 bad_signature for a token signed with another secret', async () => {
    const foreign = await new MeshTokenService({ secret: 'q'.repeat(40) }).issue({ subject: 'x' });
    await expect(call(harness, '/probe/me', foreign)).resolves.toMatchObject({
      status: 401,
      body: { reason: 'bad_signature' },
    });
  });

  it('answers 200 with the principal for a valid token', async () => {
    const token = await harness.tokens.issue({
      subject: 'caller',
      serviceName: 'caller-svc',
      roles: ['Service'],
    });
    await expect(call(harness, '/probe/me', token)).resolves.toMatchObject({
      status: 200,
      body: { subject: 'caller', serviceName: 'caller-svc', roles: ['Service'], scopes: [] },
    });
  });

  it('answers 403 without any of the required roles and 200 with one of them', async () => {
    const plain = await harness.tokens.issue({ subject: 'plain', roles: ['Service'] });
    const operator = await harness.tokens.issue({ subject: 'op', roles: ['Operator'] });
    const denied = await call(harness, '/probe/admin', plain);
    expect(denied).toMatchObject({
      status: 403,
      body: { title: 'Forbidden', code: 'MESH_SECURITY_FORBIDDEN' },
    });
    expect(denied.challenge).toContain('insufficient_scope');
    await expect(call(harness, '/probe/admin', operator)).resolves.toMatchObject({
      status: 200,
      body: { subject: 'op' },
    });
  });

  it('answers 403 unless every required scope is present', async () => {
    const partial = await harness.tokens.issue({ subject: 'p', scopes: ['kv:read'] });
    const full = await harness.tokens.issue({ subject: 'f', scopes: ['kv:read', 'kv:write', 'extra'] });
    const denied = await call(harness, '/probe/kv', partial);
    expect(denied.status).toBe(403);
    expect(String(denied.body.detail)).toContain('kv:write');
    await expect(call(harness, '/probe/kv', full)).resolves.toMatchObject({
      status: 200,
      body: { scopes: ['kv:read', 'kv:write', 'extra'] },
    });
  });

  it('accepts the service token of its own ServiceTokenProvider', async () => {
    const token = await harness.app.get(ServiceTokenProvider).getToken();
    await expect(call(harness, '/probe/admin', token)).resolves.toMatchObject({
      status: 200,
      body: { subject: 'e2e-1' },
    });
  });

  it('puts the same principal on req.user through the passport strategy', async () => {
    const token = await harness.tokens.issue({ subject: 'pp', roles: ['Service'] });
    await expect(call(harness, '/probe/passport', token)).resolves.toMatchObject({
      status: 200,
      body: { subject: 'pp', roles: ['Service'] },
    });
    const expired = await new MeshTokenService({ secret: SECRET, now: () => Date.now() - 3_600_000 }).issue({
      subject: 'old',
    });
    await expect(call(harness, '/probe/passport', expired)).resolves.toMatchObject({ status: 401 });
    await expect(call(harness, '/probe/passport')).resolves.toMatchObject({ status: 401 });
  });
});

describe('SecurityModule.forRootAsync', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await start(
      SecurityModule.forRootAsync({
        useFactory: async () => {
          await Promise.resolve();
          return { serviceAuth: { secret: SECRET, issuer: 'e2e-issuer', audience: 'e2e-audience' } };
        },
      }),
    );
  });

  afterAll(async () => {
    await harness?.app.close();
  });

  it('answers a public route without a token and provides no ServiceTokenProvider without identity', async () => {
    await expect(call(harness, '/probe/public')).resolves.toMatchObject({
      status: 200,
      body: { ok: true, hasProvider: false },
    });
    expect(harness.app.get(ServiceTokenProvider, { strict: false })).toBeUndefined();
  });

  it('answers 401 for a missing token', async () => {
    await expect(call(harness, '/probe/me')).resolves.toMatchObject({
      status: 401,
      body: { code: 'MESH_SECURITY_TOKEN_MISSING' },
    });
  });

  it('answers 401 wrong_issuer / wrong_audience for tokens of the default issuer and audience', async () => {
    const defaults = await new MeshTokenService({ secret: SECRET }).issue({ subject: 'd' });
    const otherAudience = await new MeshTokenService({ secret: SECRET, issuer: 'e2e-issuer' }).issue({
      subject: 'd',
    });
    await expect(call(harness, '/probe/me', defaults)).resolves.toMatchObject({
      status: 401,
      body: { reason: 'wrong_issuer' },
    });
    await expect(call(harness, '/probe/me', otherAudience)).resolves.toMatchObject({
      status: 401,
      body: { reason: 'wrong_audience' },
    });
  });

  it('answers 403 for a wrong role and 200 with the right one', async () => {
    const user = await harness.tokens.issue({ subject: 'u', roles: ['User'] });
    const admin = await harness.tokens.issue({ subject: 'a', roles: ['Admin'] });
    await expect(call(harness, '/probe/admin', user)).resolves.toMatchObject({ status: 403 });
    await expect(call(harness, '/probe/admin', admin)).resolves.toMatchObject({
      status: 200,
      body: { subject: 'a' },
    });
  });
});

describe('SecurityModule with guard.global false', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await start(
      SecurityModule.forRoot({ serviceAuth: { secret: SECRET }, guard: { global: false } }),
    );
  });

  afterAll(async () => {
    await harness?.app.close();
  });

  it('lets routes through without a token', async () => {
    await expect(call(harness, '/probe/admin')).resolves.toMatchObject({ status: 200, body: {} });
  });

  it('still protects routes with @UseGuards(MeshAuthGuard)', async () => {
    await expect(call(harness, '/probe/explicit')).resolves.toMatchObject({ status: 401 });
    const token = await harness.tokens.issue({ subject: 'x' });
    await expect(call(harness, '/probe/explicit', token)).resolves.toMatchObject({
      status: 200,
      body: { subject: 'x' },
    });
  });
});

describe('SecurityModule start-up', () => {
  it('refuses to start with a 31-character secret', async () => {
    @Module({
      imports: [SecurityModule.forRoot({ serviceAuth: { secret: 'super-secret-mesh-key-change-me' } })],
    })
    class BadModule {}
    await expect(Test.createTestingModule({ imports: [BadModule] }).compile()).rejects.toThrow(
      /MESH_SERVICE_AUTH_SECRET/,
    );
  });
});
