import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MeshRouteResolver } from '../src/routing/mesh-route-resolver.js';

/*
 * The traversal defence relies on `req.url` being the request target exactly as the client sent it.
 * These requests go over a raw socket (clients such as curl or `fetch` normalise `..` before sending)
 * to a real node:http server that answers with what the resolver made of `req.url`.
 */
const resolver = new MeshRouteResolver('/api/', [
  {
    name: 'legacy',
    pathPrefix: '/legacy/',
    upstreams: [new URL('http://127.0.0.1:1/base')],
    stripPrefix: true,
    strategy: 'RoundRobin',
  },
]);
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(resolver.resolve(req.url ?? '')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends `GET <target>` byte for byte and returns the status and body (bounded by a 5 s deadline). */
function rawGet(target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy(new Error(`no answer for ${target}`)));
    socket.on('connect', () =>
      socket.write(
        Buffer.from(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'latin1'),
      ),
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

describe('routing over a real node:http server', () => {
  it.each([
    '/api/svc/../other/x',
    '/api/svc/%2e%2e/other',
    '/api/svc/%2E%2e/other',
    '/api/svc/.%2e/other',
    '/api/%2e%2e/x',
    '/api/svc/a%2fb',
    '/api/svc/a%5cb',
    '/api/svc/a\\b',
    '/api/svc/%00',
    '/api/svc/%zz',
    '/api/svc/%c3%28',
    '/api/svc/..;/admin',
    '/legacy/../api/svc/x',
    '/legacy/%2e%2e/admin',
    'http://x/../api/svc/x',
    '/api/svc/x#frag',
  ])('refuses %s', async (target) => {
    const { status, body } = await rawGet(target);
    // node:http itself answers 400 to a few forms; everything it passes on the resolver refuses.
    if (status === 400) return;
    expect(JSON.parse(body)).toMatchObject({ kind: 'rejected', status: 400 });
  });

  it.each([
    ['/api/svc/a%20b/c?x=%2F..&y', { kind: 'service', service: 'svc', upstreamPath: '/a%20b/c?x=%2F..&y' }],
    ['/api//svc//x', { kind: 'service', service: 'svc', upstreamPath: '/x' }],
    ['/legacy/a%2Bb?q', { kind: 'static', route: 'legacy', upstreamPath: '/a%2Bb?q' }],
    ['/health', { kind: 'none' }],
  ])('routes %s', async (target, expected) => {
    const { status, body } = await rawGet(target);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual(expected);
  });
});
