import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type RequestListener,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { CorsPolicy } from '../src/security/cors-policy.js';

const ORIGIN = 'https://app.example.com';

const policy = new CorsPolicy({
  enabled: true,
  allowedOrigins: [ORIGIN],
  allowedMethods: ['GET', 'POST'],
  allowedHeaders: ['authorization', 'content-type'],
  exposedHeaders: ['x-correlation-id'],
  allowCredentials: true,
  maxAgeSeconds: 600,
});

const servers: Server[] = [];

async function listen(handler: RequestListener): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** One request over a real socket; resolves with the status, headers and body. */
function call(port: number, method: string, headers: IncomingHttpHeaders) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path: '/orders', headers, timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

let upstreamPort: number;
let writeHeadPort: number;
let proxyPort: number;

beforeAll(async () => {
  upstreamPort = await listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', vary: 'Accept-Encoding' });
    res.end('{"ok":true}');
  });
  // The node-http engine's style: the gateway writes the head with writeHead(status, headers).
  writeHeadPort = await listen((req, res) => {
    if (policy.apply(req, res)) return;
    res.writeHead(200, { 'content-type': 'application/json', 'x-correlation-id': 'c-1' });
    res.end('{"ok":true}');
  });
  // The http-proxy-middleware engine copies upstream headers with setHeader.
  const proxy = createProxyMiddleware({ target: `http://127.0.0.1:${upstreamPort}` });
  proxyPort = await listen((req, res) => {
    if (policy.apply(req, res)) return;
    void proxy(req, res, () => {
      res.statusCode = 502;
      res.end();
    });
  });
});

afterAll(async () => {
  await Promise.all(
    servers.map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

describe(CorsPolicy.name, () => {
  describe('apply on a real server', () => {
    it('answers a preflight with 204 and no body before any handler runs', async () => {
      const res = await call(proxyPort, 'OPTIONS', {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      });
      expect(res.status).toBe(204);
      expect(res.body).toBe('');
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(res.headers['access-control-allow-methods']).toBe('GET, POST');
      expect(res.headers['access-control-max-age']).toBe('600');
    });

    it('keeps its headers when the response head is written with writeHead(status, headers)', async () => {
      const res = await call(writeHeadPort, 'GET', { origin: ORIGIN });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers['access-control-expose-headers']).toBe('x-correlation-id');
      expect(res.headers.vary).toBe('Origin');
      expect(res.headers['x-correlation-id']).toBe('c-1');
    });

    it('keeps its headers through http-proxy-middleware', async () => {
      const res = await call(proxyPort, 'GET', { origin: ORIGIN });
      expect(res.status).toBe(200);
      expect(res.body).toBe('{"ok":true}');
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      // An upstream header of the same name replaces the gateway's: the forwarder must merge Vary.
      expect(res.headers.vary).toBe('Accept-Encoding');
    });

    it('refuses a preflight from an unlisted origin with a 403 problem', async () => {
      const res = await call(proxyPort, 'OPTIONS', {
        origin: 'https://evil.example',
        'access-control-request-method': 'DELETE',
      });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
