import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryServiceRegistry } from '@toskamesh/registry';
import { MeshServiceHost, type MeshServiceHandle, type MeshServiceHostOptions } from '@toskamesh/runtime';
import { eventually } from '@toskamesh/testing';
import { ProbeModule, SlowRequests, testSecret } from './fixtures/probe.app.js';

const SECRET = testSecret();

function hostOptions(registry: MemoryServiceRegistry, name: string): MeshServiceHostOptions {
  return {
    service: { name, port: 0, address: '127.0.0.1' },
    registry: { provider: registry },
    auth: { secret: SECRET },
    logging: { level: 'silent' },
    nestOptions: { logger: ['error'] },
    env: {},
  };
}

describe(MeshServiceHost.name, () => {
  const registry = new MemoryServiceRegistry();
  const handles: MeshServiceHandle[] = [];

  afterAll(async () => {
    await Promise.all(handles.map((handle) => handle.close()));
    await registry.close();
  });

  /** Starts a service; `owned` ones are closed by the test itself, the others in afterAll. */
  async function start(
    name: string,
    extra: Partial<MeshServiceHostOptions> = {},
    owned = false,
  ): Promise<MeshServiceHandle> {
    const handle = await MeshServiceHost.start(ProbeModule, { ...hostOptions(registry, name), ...extra });
    if (!owned) handles.push(handle);
    return handle;
  }

  describe('start', () => {
    let handle: MeshServiceHandle;

    beforeAll(async () => {
      handle = await start('host-probe');
    });

    it('returns the url, port, name and id of the listening service', async () => {
      expect(handle.port).toBeGreaterThan(0);
      expect(handle.url).toBe(`http://127.0.0.1:${handle.port}`);
      expect(handle.serviceName).toBe('host-probe');
      expect(handle.serviceId).toMatch(/^host-probe-[0-9a-f]{32}$/);
      const response = await fetch(`${handle.url}/hello`, { signal: AbortSignal.timeout(5000) });
      expect(await response.json()).toEqual({ message: 'hello', serviceId: handle.serviceId });
    });

    it('registers under the id in the handle, at the port listened on', async () => {
      const instance = await eventually(async () => {
        const found = await registry.instance(handle.serviceId);
        expect(found?.status).toBe('Healthy');
        return found!;
      });
      expect(instance).toMatchObject({ serviceName: 'host-probe', address: '127.0.0.1', port: handle.port });
    });

    it('serves /health and /metrics', async () => {
      const health = await fetch(`${handle.url}/health`, { signal: AbortSignal.timeout(5000) });
      expect(health.status).toBe(200);
      const metrics = await fetch(`${handle.url}/metrics`, { signal: AbortSignal.timeout(5000) });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('http_server_requests_total');
    });
  });

  describe('start failures', () => {
    it('rejects and registers nothing when the port is taken', async () => {
      const first = await start('host-port-owner');
      const attempt = MeshServiceHost.start(ProbeModule, {
        ...hostOptions(registry, 'host-port-taken'),
        service: { name: 'host-port-taken', port: first.port, address: '127.0.0.1' },
      });
      await expect(attempt).rejects.toThrow(/EADDRINUSE/);
      expect(await registry.instances('host-port-taken')).toEqual([]);
    });
  });

  describe('configure', () => {
    // Regression: with a global prefix the scrape endpoint moved to /api/metrics, and the runtime's
    // guard, comparing the request path with the bare '/metrics', demanded a token from Prometheus.
    it('keeps the scrape endpoint open under a global prefix', async () => {
      const handle = await start('prefix-probe', { configure: (app) => void app.setGlobalPrefix('api') });
      const metrics = await fetch(`${handle.url}/api/metrics`, { signal: AbortSignal.timeout(5000) });
      expect(metrics.status).toBe(200);
      const secure = await fetch(`${handle.url}/api/secure`, { signal: AbortSignal.timeout(5000) });
      expect(secure.status).toBe(401);
    });
  });

  describe('close', () => {
    it('drains: the in-flight request completes, ready answers 503 and the instance leaves first', async () => {
      const handle = await start('drain-probe', { registration: { drainDelayMs: 300 } }, true);
      await eventually(async () => expect(await registry.instance(handle.serviceId)).toBeDefined());
      const slow = fetch(`${handle.url}/slow?ms=600`, { signal: AbortSignal.timeout(10_000) });
      await eventually(() => expect(handle.app.get(SlowRequests).entered).toBe(1));

      let closed = false;
      const closing = handle.close().then(() => (closed = true));

      // The instance leaves the registry while the request is still being served.
      await eventually(async () => expect(await registry.instance(handle.serviceId)).toBeUndefined());
      expect(closed).toBe(false);

      // A racing readiness probe sees the drain (the server keeps accepting during drainDelayMs).
      const ready = await eventually(
        async () => {
          const response = await fetch(`${handle.url}/health/ready`, { signal: AbortSignal.timeout(2000) });
          expect(response.status).toBe(503);
          return (await response.json()) as { status: string; checks: { name: string; status: string }[] };
        },
        { timeoutMs: 2000 },
      );
      expect(ready.status).toBe('Unhealthy');
      expect(ready.checks.find((check) => check.name === 'draining')?.status).toBe('Unhealthy');

      const response = await slow;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ done: true, ready: 'Unhealthy' });
      await closing;
      expect(closed).toBe(true);
      expect(await registry.instances('drain-probe')).toEqual([]);
    });

    // Regression: responses finished during shutdown kept their keep-alive connection open, so
    // close() waited seconds for the client's idle timeout (or forever for a busy pooled client).
    it('completes an in-flight request, closes its connection and then stops promptly', async () => {
      const handle = await start('drain-nodelay', {}, true);
      await eventually(async () => expect(await registry.instance(handle.serviceId)).toBeDefined());
      const slow = fetch(`${handle.url}/slow?ms=500`, { signal: AbortSignal.timeout(10_000) });
      await eventually(() => expect(handle.app.get(SlowRequests).entered).toBe(1));
      const started = Date.now();
      await handle.close();
      expect(Date.now() - started).toBeLessThan(2000);
      const response = await slow;
      expect(response.status).toBe(200);
      expect(response.headers.get('connection')).toBe('close');
      expect(await response.json()).toEqual({ done: true, ready: 'Unhealthy' });
      expect(await registry.instance(handle.serviceId)).toBeUndefined();
    });
  });
});
