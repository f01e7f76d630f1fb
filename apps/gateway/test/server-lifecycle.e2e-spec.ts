import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryServiceRegistry } from '@toskamesh/registry';
import { eventually } from '@toskamesh/testing';
import { startGateway, type GatewayHandle } from '../src/index.js';
import { send, startEcho, type EchoUpstream } from './server-fixtures.js';

/** A self-signed certificate for 127.0.0.1, made with the openssl CLI. */
function selfSignedCertificate(): { certFile: string; keyFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1',
  ], { stdio: 'ignore' }); // prettier-ignore
  return { certFile, keyFile };
}

function httpsGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { rejectUnauthorized: false, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gateway server (environment, TLS, live routing, shutdown)', () => {
  const registry = new MemoryServiceRegistry();
  let echo: EchoUpstream;
  let slow: Server;
  let slowStarted = 0;

  beforeAll(async () => {
    echo = await startEcho();
    slow = createServer((_req, res) => {
      slowStarted += 1;
      setTimeout(() => res.end('finally'), 800);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    await registry.register({ serviceName: 'echo', address: '127.0.0.1', port: echo.port });
    await registry.register({
      serviceName: 'slow',
      address: '127.0.0.1',
      port: (slow.address() as AddressInfo).port,
    });
  });

  afterAll(async () => {
    slow?.closeAllConnections();
    await new Promise((resolve) => slow?.close(resolve));
    await echo?.close();
    await registry.close();
  });

  it('serves HTTPS with the route prefix, port and certificate taken from the environment', async () => {
    const { certFile, keyFile } = selfSignedCertificate();
    const gateway = await startGateway(
      { host: '127.0.0.1', port: 5000 },
      {
        env: {
          Mesh__Gateway__Port: '0',
          Mesh__Gateway__Routing__RoutePrefix: 'gw',
          Mesh__Gateway__Tls__CertFile: certFile,
          Mesh__Gateway__Tls__KeyFile: keyFile,
        },
        registry,
        logging: { level: 'fatal' },
      },
    );
    try {
      expect(gateway.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const reply = await httpsGet(`${gateway.url}/gw/echo/secure`);
      expect(reply.status).toBe(200);
      const seen = JSON.parse(reply.body) as { url: string; headers: Record<string, string> };
      expect(seen.url).toBe('/secure');
      expect(seen.headers['x-forwarded-proto']).toBe('https');
    } finally {
      await gateway.close();
    }
  });

  it('routes to an instance registered after start, and stops when it leaves', async () => {
    const gateway = await startGateway(
      { host: '127.0.0.1', port: 0 },
      { env: {}, registry, logging: { level: 'fatal' } },
    );
    try {
      expect((await send(gateway.url, '/api/late/x')).status).toBe(404);
      const late = await registry.register({ serviceName: 'late', address: '127.0.0.1', port: echo.port });
      await eventually(async () => expect((await send(gateway.url, '/api/late/x')).status).toBe(200), {
        timeoutMs: 5000,
      });
      await registry.deregister(late.serviceId);
      // Known before, gone now: "try again" (503), not "no such thing".
      await eventually(async () => expect((await send(gateway.url, '/api/late/x')).status).toBe(503), {
        timeoutMs: 5000,
      });
    } finally {
      await gateway.close();
    }
  });

  it('lets an in-flight request finish when closing, and accepts no new connection', async () => {
    const gateway: GatewayHandle = await startGateway(
      { host: '127.0.0.1', port: 0 },
      { env: {}, registry, logging: { level: 'fatal' }, drainGraceMs: 5000 },
    );
    const before = slowStarted;
    const inFlight = send(gateway.url, '/api/slow/work');
    await eventually(() => expect(slowStarted).toBe(before + 1));
    const closed = gateway.close();
    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('finally');
    await closed;
    await expect(send(gateway.url, '/api/echo/x')).rejects.toThrow(/ECONNREFUSED/);
  });
});
