import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryServiceRegistry } from '@toskamesh/registry';
import { eventually } from '@toskamesh/testing';
import { WebSocket, WebSocketServer } from 'ws';
import { startGateway, type GatewayHandle } from '../src/index.js';
import { logCapture, send, sendRaw, startEcho, type EchoUpstream } from './server-fixtures.js';

/** The gateway in-process, following a memory registry, in front of real node:http upstreams. */
describe('gateway server (routing, bad input, operations)', () => {
  const registry = new MemoryServiceRegistry();
  const logs = logCapture();
  let echo: EchoUpstream;
  let sockets: WebSocketServer;
  let gateway: GatewayHandle;
  let port: number;

  beforeAll(async () => {
    echo = await startEcho();
    sockets = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    sockets.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo:${String(data)}`)));
    await new Promise((resolve) => sockets.once('listening', resolve));
    await registry.register({ serviceName: 'echo', address: '127.0.0.1', port: echo.port });
    await registry.register({
      serviceName: 'chat',
      address: '127.0.0.1',
      port: (sockets.address() as { port: number }).port,
    });
    // A health-checked registration starts Unknown, and nothing probes it here: known, never Healthy.
    await registry.register({
      serviceName: 'sleepy',
      address: '127.0.0.1',
      port: 9,
      healthCheck: { endpoint: '/health', intervalMs: 60_000, timeoutMs: 1000, unhealthyThreshold: 1 },
    });
    gateway = await startGateway(
      {
        host: '127.0.0.1',
        port: 0,
        limits: { maxHeaderBytes: 4096, maxBodyBytes: 1024 },
        cors: { enabled: true, allowedOrigins: ['https://app.example.com'] },
      },
      { env: {}, registry, logging: { level: 'info', destination: logs.stream } },
    );
    port = Number(new URL(gateway.url).port);
  });

  afterAll(async () => {
    await gateway?.close();
    await new Promise((resolve) => sockets?.close(resolve));
    await echo?.close();
    await registry.close();
  });

  describe('routing', () => {
    it('forwards /api/<service>/<rest> to /<rest> with the query kept', async () => {
      const reply = await send(gateway.url, '/api/echo/x?y=1', {
        headers: { 'x-correlation-id': 'route-1' },
      });
      expect(reply.status).toBe(200);
      const seen = reply.json<{ url: string; headers: Record<string, string> }>();
      expect(seen.url).toBe('/x?y=1');
      expect(seen.headers['x-correlation-id']).toBe('route-1');
      expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    });

    it('matches the service name case-insensitively', async () => {
      expect((await send(gateway.url, '/api/ECHO/x')).status).toBe(200);
    });

    it('proxies WebSocket upgrades', async () => {
      const client = new WebSocket(`${gateway.url.replace('http', 'ws')}/api/chat/socket`);
      const answer = await new Promise<string>((resolve, reject) => {
        client.once('open', () => client.send('hi'));
        client.once('message', (data) => resolve(String(data)));
        client.once('error', reject);
      });
      client.close();
      expect(answer).toBe('echo:hi');
    });
  });

  describe('bad input', () => {
    it('answers 404 unknown-service for a service nobody registered', async () => {
      const reply = await send(gateway.url, '/api/nobody/x');
      expect(reply.status).toBe(404);
      expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(reply.json()).toMatchObject({ type: expect.stringMatching(/unknown-service$/), status: 404 });
    });

    it('answers 503 with Retry-After for a known service without a healthy instance', async () => {
      const reply = await send(gateway.url, '/api/sleepy/x');
      expect(reply.status).toBe(503);
      expect(Number(reply.headers['retry-after'])).toBeGreaterThan(0);
      expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it.each([
      '/api/echo/%2e%2e/other',
      '/api/echo/..%2Fother',
      '/api/echo/../../admin',
      '/api/echo/%252e%252e/x',
    ])('refuses the traversal %s with 400 before it reaches any upstream', async (path) => {
      const before = echo.seen.length;
      const reply = await send(gateway.url, path);
      expect(reply.status).toBe(400);
      expect(reply.json()).toMatchObject({ type: expect.stringMatching(/bad-path$/) });
      expect(echo.seen.length).toBe(before);
    });

    it('refuses CR or LF inside a header value with 400', async () => {
      const before = echo.seen.length;
      const reply = await sendRaw(
        port,
        'GET /api/echo/x HTTP/1.1\r\nHost: a\r\nX-Note: a\rInjected: b\r\n\r\n',
      );
      expect(reply).toMatch(/^HTTP\/1\.1 400 /);
      expect(echo.seen.length).toBe(before);
    });

    it('answers 431 to a request head over limits.maxHeaderBytes', async () => {
      const reply = await sendRaw(
        port,
        `GET /api/echo/x HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(8000)}\r\n\r\n`,
      );
      expect(reply).toMatch(/^HTTP\/1\.1 431 /);
      expect(reply).toContain('header-too-large');
    });

    it('answers 413 to a body over limits.maxBodyBytes', async () => {
      const reply = await send(gateway.url, '/api/echo/upload', {
        method: 'POST',
        body: Buffer.alloc(4096, 1),
      });
      expect(reply.status).toBe(413);
    });

    it('survives random bytes on raw sockets and keeps serving', async () => {
      const payloads = Array.from({ length: 25 }, (_, i) =>
        i % 5 === 0
          ? `GET /api/echo/${randomBytes(20).toString('latin1')} HTTP/1.1\r\n\r\n`
          : randomBytes(64 + i * 37),
      );
      await Promise.all(payloads.map((payload) => sendRaw(port, payload)));
      expect((await send(gateway.url, '/api/echo/still-alive')).status).toBe(200);
    });
  });

  describe('CORS', () => {
    it('answers a preflight from an allowed origin', async () => {
      const reply = await send(gateway.url, '/api/echo/x', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
      });
      expect(reply.status).toBeLessThan(300);
      expect(reply.headers['access-control-allow-origin']).toBe('https://app.example.com');
    });
  });

  describe('operations', () => {
    it('serves /health, /health/live and /health/ready in the original shape', async () => {
      const health = await send(gateway.url, '/health');
      expect(health.status).toBe(200);
      expect(health.json()).toMatchObject({
        status: 'Healthy',
        checks: expect.arrayContaining([expect.objectContaining({ name: 'registry', status: 'Healthy' })]),
      });
      expect((await send(gateway.url, '/health/live')).status).toBe(200);
      expect((await send(gateway.url, '/health/ready')).status).toBe(200);
    });

    it('serves Prometheus metrics with the gateway series', async () => {
      await send(gateway.url, '/api/echo/metered');
      const metrics = await send(gateway.url, '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/toskamesh_gateway_requests_total\{[^}]*service="echo"[^}]*\} \d+/);
      expect(metrics.text).toContain('toskamesh_gateway_request_duration_seconds_bucket');
    });

    it('closes the admin API to callers without credentials', async () => {
      const reply = await send(gateway.url, '/admin/routes');
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('writes one access-log line per request with the correlation id', async () => {
      await send(gateway.url, '/api/echo/logged?secret=1', { headers: { 'x-correlation-id': 'log-me-1' } });
      const line = await eventually(() => {
        const found = logs
          .lines()
          .find((entry) => entry.correlationId === 'log-me-1' && entry.msg === 'request completed');
        if (!found) throw new Error('no access-log line yet');
        return found;
      });
      expect(line).toMatchObject({
        method: 'GET',
        path: '/api/echo/logged',
        status: 200,
        upstreamService: 'echo',
        attempts: 1,
        clientIp: '127.0.0.1',
      });
      expect(typeof line.durationMs).toBe('number');
      expect(line.target).toBeDefined();
    });
  });
});
