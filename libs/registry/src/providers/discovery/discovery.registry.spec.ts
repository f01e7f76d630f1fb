import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { MeshConfigError, MeshValidationError } from '@toskamesh/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegistryAccessDeniedError } from '../../errors/registry-access-denied.error.js';
import { RegistryUnavailableError } from '../../errors/registry-unavailable.error.js';
import { ServiceNotRegisteredError } from '../../errors/service-not-registered.error.js';
import { DiscoveryServiceRegistry } from './discovery.registry.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}
type Handler = (request: Seen, response: ServerResponse) => void;

const wire = (serviceId: string, status = 1) => ({
  serviceName: 'orders',
  serviceId,
  address: '10.0.0.1',
  port: 80,
  status,
  metadata: {},
  registeredAt: '2025-01-01T00:00:00.000Z',
  lastHealthCheck: null,
});
const ok = (response: ServerResponse, data: unknown) => {
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ success: true, data, message: null, timestamp: new Date().toISOString() }));
};
const problem = (response: ServerResponse, status: number, detail: string, errors: string[] = []) => {
  response.statusCode = status;
  response.setHeader('content-type', 'application/problem+json');
  response.end(
    JSON.stringify({ type: 'about:blank', title: 'Error', status, detail, success: false, errors }),
  );
};

describe(DiscoveryServiceRegistry.name, () => {
  let server: Server;
  let baseUrl: string;
  let handler: Handler = (_, response) => ok(response, null);
  let seen: Seen[] = [];
  const registries: DiscoveryServiceRegistry[] = [];
  const create = (options: Partial<ConstructorParameters<typeof DiscoveryServiceRegistry>[0]> = {}) => {
    const registry = new DiscoveryServiceRegistry({ url: baseUrl, authToken: () => 'tok-1', ...options });
    registries.push(registry);
    return registry;
  };

  // Watch reconnects are logged as warnings; keep them out of the test output and assert on them.
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const entry = {
          method: request.method!,
          url: request.url!,
          headers: request.headers,
          body: text ? JSON.parse(text) : undefined,
        };
        seen.push(entry);
        handler(entry, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await Promise.all(registries.splice(0).map((registry) => registry.close()));
    seen = [];
  });
  afterAll(async () => {
    warn.mockRestore();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  describe('constructor', () => {
    it('throws MeshConfigError naming the key for a bad url, transport or timeout', () => {
      expect(() => new DiscoveryServiceRegistry({ url: 'ftp://x' })).toThrow(/registry\.discovery\.url/);
      expect(() => new DiscoveryServiceRegistry({ url: baseUrl, transport: 'tcp' as 'http' })).toThrow(
        MeshConfigError,
      );
      expect(() => new DiscoveryServiceRegistry({ url: baseUrl, timeoutMs: 0 })).toThrow(/timeoutMs/);
    });
  });

  describe('register', () => {
    it('posts the wire registration with the bearer token and returns the stored instance', async () => {
      handler = (request, response) =>
        ok(response, { ...wire((request.body as { serviceId: string }).serviceId), status: 0 });
      const instance = await create().register({
        serviceName: 'orders',
        address: '10.0.0.1',
        port: 80,
        healthCheck: { endpoint: '/health', intervalMs: 5000, timeoutMs: 1000, unhealthyThreshold: 2 },
      });
      expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/ServiceRegistration/register' });
      expect(seen[0]!.headers.authorization).toBe('Bearer tok-1');
      expect(seen[0]!.body).toMatchObject({
        serviceName: 'orders',
        healthCheck: { interval: 5, timeout: 1 },
      });
      expect(instance.serviceId).toMatch(/^orders-[0-9a-f-]{36}$/);
      expect(instance.serviceId).toBe((seen[0]!.body as { serviceId: string }).serviceId);
      expect(instance.status).toBe('Unknown');
    });

    it('reads the instance back when the server answers data: null', async () => {
      handler = (request, response) =>
        request.method === 'GET' ? ok(response, wire('orders-9')) : ok(response, null);
      const instance = await create().register({
        serviceName: 'orders',
        serviceId: 'orders-9',
        address: 'h',
        port: 1,
      });
      expect(seen.map((request) => request.url)).toEqual([
        '/api/ServiceRegistration/register',
        '/api/ServiceDiscovery/instances/orders-9',
      ]);
      expect(instance.serviceId).toBe('orders-9');
    });

    it('rejects an invalid registration locally with MeshValidationError', async () => {
      await expect(create().register({ serviceName: 'bad name', address: 'h', port: 0 })).rejects.toThrow(
        MeshValidationError,
      );
      expect(seen).toEqual([]);
    });

    it("maps a 400 problem to MeshValidationError carrying the server's errors", async () => {
      handler = (_, response) => problem(response, 400, 'invalid body', ['port must be 1-65535']);
      const failure = create().register({ serviceName: 'orders', address: 'h', port: 1 });
      await expect(failure).rejects.toThrow(MeshValidationError);
      await expect(failure).rejects.toMatchObject({ errors: ['port must be 1-65535'] });
    });
  });

  describe('deregister', () => {
    it('returns true on success and false for an unknown id (404)', async () => {
      handler = (request, response) =>
        request.url.endsWith('/known') ? ok(response, null) : problem(response, 404, 'nope');
      const registry = create();
      await expect(registry.deregister('known')).resolves.toBe(true);
      await expect(registry.deregister('gone')).resolves.toBe(false);
      expect(seen[1]).toMatchObject({ method: 'POST', url: '/api/ServiceRegistration/deregister/gone' });
    });
  });

  describe('heartbeat', () => {
    it('renews through /heartbeat and throws ServiceNotRegisteredError on 404', async () => {
      handler = (request, response) =>
        request.url.endsWith('/a-1') ? ok(response, null) : problem(response, 404, 'unknown');
      const registry = create();
      await registry.heartbeat('a-1');
      await expect(registry.heartbeat('a-2')).rejects.toThrow(ServiceNotRegisteredError);
      expect(seen.map((request) => request.url)).toEqual([
        '/api/ServiceRegistration/heartbeat/a-1',
        '/api/ServiceRegistration/heartbeat/a-2',
      ]);
    });

    it('reports a given status as its integer code, then renews', async () => {
      await create().heartbeat('a-1', 'Unhealthy');
      expect(seen.map((request) => [request.url, request.body])).toEqual([
        ['/api/ServiceRegistration/health/a-1', { status: 2 }],
        ['/api/ServiceRegistration/heartbeat/a-1', undefined],
      ]);
    });
  });

  describe('updateMetadata', () => {
    it('posts the metadata, then returns the instance as stored', async () => {
      handler = (request, response) =>
        request.method === 'GET'
          ? ok(response, { ...wire('a-1'), metadata: { zone: 'b' } })
          : ok(response, null);
      const instance = await create().updateMetadata('a-1', { zone: 'b' });
      expect(seen[0]).toMatchObject({
        url: '/api/ServiceRegistration/metadata/a-1',
        body: { metadata: { zone: 'b' } },
      });
      expect(instance.metadata).toEqual({ zone: 'b' });
    });

    it('throws ServiceNotRegisteredError for an unknown id', async () => {
      handler = (_, response) => problem(response, 404, 'not found');
      await expect(create().updateMetadata('x', { a: 'b' })).rejects.toThrow(ServiceNotRegisteredError);
    });
  });

  describe('instance', () => {
    it('returns undefined for an unknown id', async () => {
      handler = (_, response) => problem(response, 404, 'Service instance not found');
      await expect(create().instance('who')).resolves.toBeUndefined();
    });
  });

  describe('services', () => {
    it('returns the names sorted', async () => {
      handler = (_, response) => ok(response, ['web', 'api', 'db']);
      await expect(create().services()).resolves.toEqual(['api', 'db', 'web']);
    });
  });

  describe('instances', () => {
    it('reads all or only healthy instances from their routes, sorted by serviceId', async () => {
      handler = (_, response) => ok(response, [wire('orders-b'), wire('orders-a')]);
      const registry = create();
      const all = await registry.instances('orders');
      await registry.instances('orders', { healthyOnly: true });
      expect(all.map((instance) => instance.serviceId)).toEqual(['orders-a', 'orders-b']);
      expect(seen.map((request) => request.url)).toEqual([
        '/api/ServiceDiscovery/services/orders/instances',
        '/api/ServiceDiscovery/services/orders/instances/healthy',
      ]);
    });

    it('prefixes routes with the path of the url', async () => {
      handler = (_, response) => ok(response, []);
      await create({ url: `${baseUrl}/discovery/` }).instances('orders');
      expect(seen[0]!.url).toBe('/discovery/api/ServiceDiscovery/services/orders/instances');
    });
  });

  describe('errors', () => {
    it.each([401, 403])("maps %i to RegistryAccessDeniedError with the server's detail", async (status) => {
      handler = (_, response) => problem(response, status, 'token lacks role Service');
      const failure = create().services();
      await expect(failure).rejects.toThrow(RegistryAccessDeniedError);
      await expect(failure).rejects.toMatchObject({
        code: 'MESH_REGISTRY_ACCESS_DENIED',
        status,
        detail: 'token lacks role Service',
      });
    });

    it('maps a 503 to a retryable RegistryUnavailableError', async () => {
      handler = (_, response) => problem(response, 503, 'draining');
      await expect(create().services()).rejects.toMatchObject({
        code: 'MESH_REGISTRY_UNAVAILABLE',
        retryable: true,
      });
    });

    it('times out a request that gets no answer', async () => {
      handler = () => undefined;
      const failure = create({ timeoutMs: 100 }).services();
      await expect(failure).rejects.toThrow(RegistryUnavailableError);
      await expect(failure).rejects.toThrow(/timed out after 100 ms/);
    });

    it('maps a refused connection to RegistryUnavailableError', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      await expect(create({ url: `http://127.0.0.1:${port}` }).services()).rejects.toThrow(
        RegistryUnavailableError,
      );
    });

    it('sends no authorization header without an authToken', async () => {
      handler = (_, response) => ok(response, []);
      await create({ authToken: undefined }).services();
      expect(seen[0]!.headers.authorization).toBeUndefined();
    });
  });

  describe('watch', () => {
    const sse = (response: ServerResponse, lines: string) => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      response.write(lines);
    };

    it('yields the snapshot and events and resumes after the last index with Last-Event-ID', async () => {
      let connections = 0;
      handler = (_, response) => {
        connections += 1;
        if (connections === 1) {
          sse(
            response,
            `: hello\n\nid: 4\nevent: snapshot\ndata: ${JSON.stringify({ index: 4, instances: [wire('orders-a')] })}\n\n`,
          );
          response.end(
            `id: 5\nevent: register\ndata: ${JSON.stringify({ index: 5, type: 'register', instance: wire('orders-b') })}\n\n`,
          );
        } else {
          sse(
            response,
            `id: 6\r\nevent: health\r\ndata: ${JSON.stringify({ index: 6, type: 'health', instance: wire('orders-b', 2) })}\r\n\r\n`,
          );
        }
      };
      const changes: string[] = [];
      for await (const change of create().watch('orders')) {
        changes.push(`${change.type}:${change.index}`);
        if (changes.length === 3) break;
      }
      expect(changes).toEqual(['snapshot:4', 'register:5', 'health:6']);
      expect(seen[0]).toMatchObject({ url: '/api/ServiceDiscovery/watch?service=orders' });
      expect(seen[0]!.headers.accept).toBe('text/event-stream');
      expect(seen[1]).toMatchObject({ url: '/api/ServiceDiscovery/watch?service=orders&index=5' });
      expect(seen[1]!.headers['last-event-id']).toBe('5');
      expect(seen[1]!.headers.authorization).toBe('Bearer tok-1');
    });

    it('keeps retrying a refusing server without throwing and ends on close()', async () => {
      handler = (_, response) => problem(response, 401, 'expired token');
      const registry = create();
      const iterator = registry.watch()[Symbol.asyncIterator]();
      const next = iterator.next();
      while (seen.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      await registry.close();
      await expect(next).resolves.toEqual({ done: true, value: undefined });
      expect(seen[0]!.url).toBe('/api/ServiceDiscovery/watch');
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('(401): expired token'));
    });

    it('ends an open stream when the signal aborts', async () => {
      handler = (_, response) =>
        sse(response, `id: 1\nevent: snapshot\ndata: {"index":1,"instances":[]}\n\n`);
      const controller = new AbortController();
      const changes: string[] = [];
      for await (const change of create().watch(undefined, { signal: controller.signal })) {
        changes.push(change.type);
        controller.abort();
      }
      expect(changes).toEqual(['snapshot']);
    });
  });

  describe('close', () => {
    it('is safe to call twice and makes later calls fail as unavailable', async () => {
      const registry = create();
      await registry.close();
      await registry.close();
      await expect(registry.services()).rejects.toThrow(RegistryUnavailableError);
    });
  });
});
