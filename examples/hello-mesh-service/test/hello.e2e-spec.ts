import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryServiceRegistry } from '@toskamesh/registry';
import { MeshServiceHost, type MeshServiceHandle } from '@toskamesh/runtime';
import { HelloModule } from '../src/hello.module.js';

describe('hello-mesh-service', () => {
  const registry = new MemoryServiceRegistry();
  let service: MeshServiceHandle;

  beforeAll(async () => {
    service = await MeshServiceHost.start(HelloModule, {
      service: { name: 'hello-mesh-service', port: 0, address: '127.0.0.1' },
      registry: { provider: registry },
      auth: { secret: 'hello-example-test-secret-0123456789abcdef' },
      logging: { level: 'silent' },
      env: {},
    });
  });
  afterAll(async () => {
    await service.close();
    await registry.close();
  });

  it('greets on GET /hello with the sample header', async () => {
    const response = await fetch(`${service.url}/hello`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-mesh-sample')).toBe('hello-mesh-service');
    expect(await response.json()).toEqual({ message: 'Hello from ToskaMesh' });
  });

  it('registers itself as a healthy instance', async () => {
    const deadline = Date.now() + 5000;
    let healthy = await registry.instances('hello-mesh-service', { healthyOnly: true });
    while (healthy.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      healthy = await registry.instances('hello-mesh-service', { healthyOnly: true });
    }
    expect(healthy).toHaveLength(1);
    expect(healthy[0]).toMatchObject({
      serviceId: service.serviceId,
      address: '127.0.0.1',
      port: service.port,
    });
    expect(healthy[0]!.metadata).toMatchObject({
      lb_strategy: 'RoundRobin',
      health_check_endpoint: '/health/ready',
    });
  });

  it('lists the seeded todos and answers 404 problem+json for an unknown id', async () => {
    const list = (await (await fetch(`${service.url}/todos`)).json()) as unknown[];
    expect(list).toHaveLength(2);
    const missing = await fetch(`${service.url}/todos/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('creates a todo with a generated id and a Location header', async () => {
    const response = await fetch(`${service.url}/todos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: '  ship it ' }),
    });
    expect(response.status).toBe(201);
    const todo = (await response.json()) as { id: string; title: string; completed: boolean };
    expect(todo).toMatchObject({ title: 'ship it', completed: false });
    expect(todo.id).toMatch(/^[0-9a-f]{32}$/);
    expect(response.headers.get('location')).toBe(`/todos/${todo.id}`);
    expect((await fetch(`${service.url}/todos/${todo.id}`)).status).toBe(200);
  });

  it('rejects an invalid todo with every broken rule', async () => {
    const response = await fetch(`${service.url}/todos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: '', completed: 'yes', id: 'bad id' }),
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: string[]; code: string };
    expect(problem.code).toBe('MESH_COMMON_VALIDATION_FAILED');
    expect(problem.errors).toHaveLength(3);
  });
});
