import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, uniqueName } from '@toskamesh/testing';
import type { DiscoveryApp } from '../src/index.js';
import { HealthProber } from '../src/probing/health-prober.service.js';
import { adminToken, call, registrationBody, startDiscovery } from './support/discovery-fixture.js';

const REG = '/api/ServiceRegistration';
const DISC = '/api/ServiceDiscovery';

/** A tiny health endpoint whose answer the test controls. */
class Target {
  status = 200;
  hits = 0;
  private readonly server: Server = createServer((request, response) => {
    this.hits += 1;
    response.writeHead(request.url === '/health' ? this.status : 404).end('ok');
  });

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe(HealthProber.name, () => {
  let discovery: DiscoveryApp;
  let admin: string;
  const targets: Target[] = [];

  beforeAll(async () => {
    discovery = await startDiscovery({ grpcPort: false, store: { memory: { sweepIntervalMs: 100 } } });
    admin = await adminToken();
  });

  afterAll(async () => {
    await discovery?.close();
    await Promise.all(targets.map((target) => target.stop().catch(() => undefined)));
  });

  async function target(): Promise<{ target: Target; port: number }> {
    const created = new Target();
    targets.push(created);
    return { target: created, port: await created.start() };
  }

  async function register(port: number, healthCheck: Record<string, unknown>): Promise<string> {
    const body = registrationBody(uniqueName('probed'), { address: '127.0.0.1', port, healthCheck });
    const reply = await call(discovery.httpUrl, 'POST', `${REG}/register`, { token: admin, body });
    expect(reply.body.data).toMatchObject({ status: 0 });
    return (reply.body.data as { serviceId: string }).serviceId;
  }

  async function status(id: string): Promise<number | undefined> {
    const reply = await call<{ data?: { status: number } }>(
      discovery.httpUrl,
      'GET',
      `${DISC}/instances/${id}`,
      { token: admin },
    );
    return reply.body.data?.status;
  }

  describe('probe', () => {
    it('marks an instance Healthy after its first passing probe', async () => {
      const { target: server, port } = await target();
      const id = await register(port, { endpoint: '/health', interval: 1, timeout: 1 });
      await eventually(async () => expect(await status(id)).toBe(1), { timeoutMs: 3000 });
      expect(server.hits).toBeGreaterThan(0);
      const tracking = await call(discovery.httpUrl, 'GET', `${DISC}/instances/${id}/tracking`, {
        token: admin,
      });
      expect(tracking.body.data).toMatchObject({
        status: 1,
        lastHealthCheck: expect.any(String),
        lastHealthOutput: 'HTTP 200',
      });
    });

    it('marks it Unhealthy only after unhealthyThreshold consecutive failures', async () => {
      const { target: server, port } = await target();
      server.status = 503;
      const id = await register(port, {
        endpoint: '/health',
        interval: 1,
        timeout: 1,
        unhealthyThreshold: 2,
      });
      await eventually(() => expect(server.hits).toBe(1), { timeoutMs: 3000 });
      expect(await status(id)).toBe(0);
      await eventually(async () => expect(await status(id)).toBe(2), { timeoutMs: 4000 });
      expect(server.hits).toBeGreaterThanOrEqual(2);
    });

    it('keeps a passing instance alive past its TTL without heartbeats, and lets a dead one turn Unhealthy and expire', async () => {
      const { target: server, port } = await target();
      const id = await register(port, {
        endpoint: '/health',
        interval: 1,
        timeout: 1,
        unhealthyThreshold: 1,
      });
      // TTL is 3 x 1 s: only the probes renew it.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      expect(await status(id)).toBe(1);
      await server.stop();
      await eventually(async () => expect(await status(id)).toBe(2), { timeoutMs: 4000 });
      const tracking = await call(discovery.httpUrl, 'GET', `${DISC}/instances/${id}/tracking`, {
        token: admin,
      });
      expect((tracking.body.data as { lastHealthOutput: string }).lastHealthOutput).toMatch(/request failed/);
      await eventually(async () => expect(await status(id)).toBeUndefined(), { timeoutMs: 6000 });
    }, 20_000);
  });

  describe('checkNow', () => {
    it('runs a probe at once on POST /health/check/{id}', async () => {
      const { target: server, port } = await target();
      const id = await register(port, {
        endpoint: '/health',
        interval: 600,
        timeout: 1,
        unhealthyThreshold: 1,
      });
      await eventually(async () => expect(await status(id)).toBe(1), { timeoutMs: 3000 });
      server.status = 500;
      const reply = await call(discovery.httpUrl, 'POST', `${REG}/health/check/${id}`, { token: admin });
      expect(reply.status).toBe(200);
      expect(reply.body.message).toMatch(/HTTP 500/);
      expect(await status(id)).toBe(2);
      const missing = await call(discovery.httpUrl, 'POST', `${REG}/health/check/${id}-nope`, {
        token: admin,
      });
      expect(missing.status).toBe(404);
    });
  });
});
