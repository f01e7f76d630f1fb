import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MeshConfigError } from '@toskamesh/common';
import { MemoryServiceRegistry } from '@toskamesh/registry';
import { MeshRegistrationService, MeshRuntimeModule } from '@toskamesh/runtime';
import { MeshTokenService } from '@toskamesh/security';
import { eventually } from '@toskamesh/testing';
import { ProbeModule, testSecret } from './fixtures/probe.app.js';

const SECRET = testSecret();
const SETTINGS = Symbol('settings');

interface Harness {
  app: INestApplication;
  url: string;
  registry: MemoryServiceRegistry;
}

async function start(runtime: (registry: MemoryServiceRegistry) => DynamicModule): Promise<Harness> {
  const registry = new MemoryServiceRegistry();
  const moduleRef = await Test.createTestingModule({ imports: [runtime(registry), ProbeModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['warn', 'error'] });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}`, registry };
}

async function stop(harness: Harness | undefined): Promise<void> {
  await harness?.app.close();
  await harness?.registry.close();
}

function get(harness: Harness, path: string, token?: string): Promise<Response> {
  return fetch(`${harness.url}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(5000),
  });
}

/** The checks every runtime-hosted service answers, whichever way the module was configured. */
function describeRuntimeService(serviceName: string, harness: () => Harness): void {
  it('registers after the server listens, at the port listened on', async () => {
    const { app, registry } = harness();
    const { port } = app.getHttpServer().address() as { port: number };
    const [instance] = await eventually(async () => {
      const instances = await registry.instances(serviceName, { healthyOnly: true });
      expect(instances).toHaveLength(1);
      return instances;
    });
    expect(instance).toMatchObject({ serviceName, address: '127.0.0.1', port, status: 'Healthy' });
    expect(instance!.metadata).toMatchObject({
      lb_strategy: 'RoundRobin',
      health_check_endpoint: '/health/ready',
    });
    expect(app.get(MeshRegistrationService).state).toBe('registered');
  });

  it('answers /health in the original shape', async () => {
    const response = await get(harness(), '/health');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { status: string; duration: number; checks: unknown[] };
    expect(body.status).toBe('Healthy');
    expect(typeof body.duration).toBe('number');
    expect(body.checks).toContainEqual({
      name: 'self',
      status: 'Healthy',
      duration: expect.any(Number),
      description: 'Service is running',
      exception: null,
      data: {},
    });
  });

  it('answers /health/live and /health/ready with their tagged checks', async () => {
    const live = await get(harness(), '/health/live');
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'Healthy', checks: [] });
    const ready = await get(harness(), '/health/ready');
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; checks: { name: string }[] };
    expect(body.status).toBe('Healthy');
    expect(body.checks.map((check) => check.name)).toEqual(['draining', 'registry']);
  });

  it('refuses a protected route without a token with a problem+json 401', async () => {
    const response = await get(harness(), '/secure');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await response.json()).toMatchObject({ status: 401, title: 'Unauthorized', instance: '/secure' });
  });

  it('refuses a token signed with another secret', async () => {
    const other = new MeshTokenService({ secret: testSecret() });
    const response = await get(harness(), '/secure', await other.issue({ subject: 'intruder' }));
    expect(response.status).toBe(401);
  });

  it('accepts a token of MeshTokenService with the same secret', async () => {
    const tokens = new MeshTokenService({ secret: SECRET });
    const token = await tokens.issue({ subject: 'caller-1', serviceName: 'caller', roles: ['Service'] });
    const response = await get(harness(), '/secure', token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ subject: 'caller-1', serviceName: 'caller' });
  });

  it('leaves @Public routes open', async () => {
    const response = await get(harness(), '/hello');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ message: 'hello' });
  });

  it('answers an unknown route and a validation error as problem+json', async () => {
    const missing = await get(harness(), '/no/such/route');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const invalid = await fetch(`${harness().url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ qty: -1 }),
      signal: AbortSignal.timeout(5000),
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({
      status: 400,
      code: 'MESH_COMMON_VALIDATION_FAILED',
      errors: ['qty must be a positive number'],
    });
  });

  it('serves /metrics without a token, with RED metrics per route pattern', async () => {
    expect((await get(harness(), '/items/41')).status).toBe(200);
    expect((await get(harness(), '/items/42')).status).toBe(200);
    const response = await get(harness(), '/metrics');
    expect(response.status).toBe(200);
    const text = await response.text();
    const line = text
      .split('\n')
      .find(
        (row) =>
          row.startsWith('http_server_requests_total{') &&
          row.includes('route="/items/:id"') &&
          row.includes(`service_name="${serviceName}"`),
      );
    expect(line).toBeDefined();
    expect(line).toContain('status_code="200"');
    expect(Number(line!.split(' ').at(-1))).toBeGreaterThanOrEqual(2);
  });
}

describe(MeshRuntimeModule.name, () => {
  describe('startup validation', () => {
    async function startupError(runtime: DynamicModule): Promise<unknown> {
      try {
        const moduleRef = await Test.createTestingModule({ imports: [runtime] }).compile();
        await moduleRef.close();
        return undefined;
      } catch (error) {
        return error;
      }
    }

    it('refuses to start with an invalid option, naming the key', async () => {
      const error = await startupError(
        MeshRuntimeModule.forRoot({ service: { port: 70_000 }, auth: { secret: SECRET }, env: {} }),
      );
      expect(error).toBeInstanceOf(MeshConfigError);
      expect((error as MeshConfigError).key).toBe('service.port');
    });

    it('refuses to start with auth enabled and no secret', async () => {
      const error = await startupError(MeshRuntimeModule.forRoot({ logging: { level: 'silent' }, env: {} }));
      expect(error).toBeInstanceOf(MeshConfigError);
      expect((error as MeshConfigError).message).toMatch(/secret/i);
    });
  });

  describe('forRoot', () => {
    let harness: Harness | undefined;

    beforeAll(async () => {
      harness = await start((registry) =>
        MeshRuntimeModule.forRoot({
          service: { name: 'probe-sync' },
          registry: { provider: registry },
          auth: { secret: SECRET },
          logging: { level: 'silent' },
          env: {},
        }),
      );
    });

    afterAll(async () => {
      await stop(harness);
    });

    describeRuntimeService('probe-sync', () => harness!);

    it('deregisters when the app closes', async () => {
      const { app, registry } = harness!;
      await eventually(async () => expect(await registry.instances('probe-sync')).toHaveLength(1));
      await app.close();
      expect(await registry.instances('probe-sync')).toEqual([]);
    });
  });

  describe('forRootAsync', () => {
    let harness: Harness | undefined;

    beforeAll(async () => {
      @Module({
        providers: [{ provide: SETTINGS, useValue: { name: 'probe-async', secret: SECRET } }],
        exports: [SETTINGS],
      })
      class SettingsModule {}

      harness = await start((registry) =>
        MeshRuntimeModule.forRootAsync({
          imports: [SettingsModule],
          inject: [SETTINGS],
          useFactory: (settings: { name: string; secret: string }) => ({
            service: { name: settings.name },
            registry: { provider: registry },
            auth: { secret: settings.secret },
            logging: { level: 'silent' },
            env: {},
          }),
        }),
      );
    });

    afterAll(async () => {
      await stop(harness);
    });

    describeRuntimeService('probe-async', () => harness!);
  });
});
