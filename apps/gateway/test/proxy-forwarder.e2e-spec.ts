import {
  request as httpRequest,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import { eventually } from '@toskamesh/testing';
import {
  createForwardingEngine,
  type ForwardingEngineName,
} from '../src/proxy/engines/create-forwarding-engine.js';
import type { ForwardingEngine } from '../src/proxy/forwarding-engine.js';
import { ProxyForwarder } from '../src/proxy/proxy-forwarder.js';
import type { RequestIdentity } from '../src/security/request-identity.js';
import {
  FakePool,
  gate,
  readBody,
  refusedOrigin,
  send,
  startGateway,
  startServer,
  testOptions,
  testPolicy,
  within,
  type Policy,
  type RunningServer,
} from './proxy-fixtures.js';

const ENGINES: ForwardingEngineName[] = ['http-proxy-middleware', 'node-http'];

describe.each(ENGINES)('ProxyForwarder with the %s engine', (engineName) => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function upstream(listener: RequestListener): Promise<RunningServer> {
    const server = await startServer(listener);
    cleanups.push(() => server.close());
    return server;
  }

  async function gateway(
    origins: URL[],
    options: { policy?: Policy; maxBodyBytes?: number; identity?: RequestIdentity } = {},
  ) {
    const engine: ForwardingEngine = createForwardingEngine(engineName);
    const retries: string[] = [];
    const forwarder = new ProxyForwarder({
      engine,
      options: testOptions(options.maxBodyBytes),
      onRetry: (_pool, reason) => retries.push(reason),
    });
    const pool = new FakePool('orders', origins, options.policy ?? testPolicy());
    const running = await startGateway({
      forwarder,
      pool,
      ...(options.identity ? { identity: options.identity } : {}),
    });
    cleanups.push(() => engine.close());
    cleanups.push(() => running.close());
    return { ...running, pool, retries };
  }

  const echo: RequestListener = (req, res) => {
    void readBody(req).then((body) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    });
  };

  it('forwards the method, path, query and body and relays the answer', async () => {
    const ok = await upstream(echo);
    const gw = await gateway([ok.origin]);
    const answer = await send(gw.port, { method: 'PATCH', path: '/items/7?x=1&y=%20', body: 'hello' });
    expect(answer.status).toBe(200);
    const seen = JSON.parse(answer.body) as { method: string; url: string; body: string };
    expect(seen).toMatchObject({ method: 'PATCH', url: '/items/7?x=1&y=%20', body: 'hello' });
    await eventually(() =>
      expect(gw.results).toEqual([{ status: 200, attempts: 1, retries: 0, targetId: 'orders-0' }]),
    );
    expect(gw.pool.finished).toEqual([{ targetId: 'orders-0', result: { outcome: 'success', status: 200 } }]);
    expect(gw.pool.inFlight).toBe(0);
  });

  it('relays HEAD, 204 and 304 answers without a body, keeping the connection usable', async () => {
    const statuses = await upstream((req, res) => {
      if (req.url === '/none') res.writeHead(204).end();
      else if (req.url === '/same') res.writeHead(304, { etag: '"v1"' }).end();
      else
        res
          .writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' })
          .end(req.method === 'HEAD' ? undefined : 'hello');
    });
    const gw = await gateway([statuses.origin]);
    const head = await send(gw.port, { method: 'HEAD', path: '/thing' });
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe('5');
    expect(await send(gw.port, { path: '/none' })).toMatchObject({ status: 204, body: '' });
    const notModified = await send(gw.port, { path: '/same', headers: { 'if-none-match': '"v1"' } });
    expect(notModified).toMatchObject({ status: 304, body: '' });
    expect(notModified.headers.etag).toBe('"v1"');
    expect((await send(gw.port, { path: '/thing' })).body).toBe('hello');
  });

  it('streams server-sent events to the client before the upstream ends', async () => {
    const release = gate();
    const sse = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: one\n\n');
      void release.promise.then(() => res.end('data: two\n\n'));
    });
    const gw = await gateway([sse.origin]);
    const pieces: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port: gw.port, path: '/events', agent: false },
        (response) => {
          expect(response.headers['content-type']).toBe('text/event-stream');
          response.setEncoding('utf8');
          response.on('data', (piece: string) => {
            pieces.push(piece);
            // Only the first event was written: the second is sent once the client has the first.
            if (pieces.length === 1) release.open();
          });
          response.on('end', resolve);
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end();
    });
    await within(done, 10_000, 'the event stream');
    expect(pieces[0]).toBe('data: one\n\n');
    expect(pieces.join('')).toBe('data: one\n\ndata: two\n\n');
  });

  it('streams a chunked upload to the upstream as it comes', async () => {
    const firstChunkArrived = gate<string>();
    const sink = await upstream((req, res) => {
      const chunks: string[] = [];
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        chunks.push(chunk);
        if (chunks.length === 1) firstChunkArrived.open(chunk);
      });
      req.on('end', () =>
        res.end(JSON.stringify({ body: chunks.join(''), te: req.headers['transfer-encoding'] })),
      );
    });
    const gw = await gateway([sink.origin]);
    const answer = new Promise<string>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port: gw.port, method: 'POST', path: '/upload', agent: false },
        (response) => void readBody(response).then(resolve, reject),
      );
      request.on('error', reject);
      request.write('part-1;');
      // The upstream sees the first part while the client has not finished sending.
      void within(firstChunkArrived.promise, 10_000, 'the first chunk upstream').then(
        () => request.end('part-2'),
        reject,
      );
    });
    expect(await within(firstChunkArrived.promise, 10_000, 'first chunk')).toBe('part-1;');
    expect(JSON.parse(await within(answer, 10_000, 'the answer'))).toEqual({
      body: 'part-1;part-2',
      te: 'chunked',
    });
  });

  it('keeps duplicate set-cookie headers and drops hop-by-hop response headers', async () => {
    const cookies = await upstream((_req, res) => {
      res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/']);
      res.setHeader('x-resp-hop', 'secret');
      res.setHeader('connection', 'keep-alive, x-resp-hop');
      res.setHeader('proxy-authenticate', 'Basic');
      res.setHeader('trailer', 'x-checksum');
      res.end('ok');
    });
    const gw = await gateway([cookies.origin]);
    const answer = await send(gw.port);
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(answer.headers['x-resp-hop']).toBeUndefined();
    expect(answer.headers['proxy-authenticate']).toBeUndefined();
    expect(answer.headers.trailer).toBeUndefined();
    expect(answer.body).toBe('ok');
  });

  it('drops hop-by-hop request headers and sets the forwarding headers', async () => {
    const ok = await upstream(echo);
    const gw = await gateway([ok.origin]);
    const answer = await send(gw.port, {
      headers: {
        connection: 'keep-alive, x-custom-hop',
        'x-custom-hop': 'drop me',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'proxy-authorization': 'Basic Zm9vOmJhcg==',
        'proxy-connection': 'keep-alive',
        upgrade: 'h2c',
        'x-forwarded-for': '203.0.113.7',
        'x-correlation-id': 'spoofed',
        'x-end-to-end': 'kept',
      },
    });
    const { headers } = JSON.parse(answer.body) as { headers: Record<string, string> };
    for (const name of [
      'x-custom-hop',
      'keep-alive',
      'te',
      'proxy-authorization',
      'proxy-connection',
      'upgrade',
    ]) {
      expect(headers[name]).toBeUndefined();
    }
    expect(headers['x-end-to-end']).toBe('kept');
    expect(headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe(`127.0.0.1:${gw.port}`);
    expect(headers.forwarded).toBe(`for=127.0.0.1;host="127.0.0.1:${gw.port}";proto=http`);
    expect(headers['x-correlation-id']).toBe('corr-test');
    expect(headers.host).toBe(`127.0.0.1:${ok.port}`);
  });

  it('replaces client-sent identity headers with the gateway identity', async () => {
    const ok = await upstream(echo);
    const gw = await gateway([ok.origin], {
      identity: { user: 'alice', roles: ['reader', 'writer'], via: 'jwt' },
    });
    const answer = await send(gw.port, {
      headers: { 'x-mesh-user': 'mallory', 'x-mesh-roles': 'admin', 'x-mesh-tenant': 'evil' },
    });
    const { headers } = JSON.parse(answer.body) as { headers: Record<string, string> };
    expect(headers['x-mesh-user']).toBe('alice');
    expect(headers['x-mesh-roles']).toBe('reader,writer');
    expect(headers['x-mesh-tenant']).toBeUndefined();
  });

  it('retries a refused connection on another instance', async () => {
    const ok = await upstream(echo);
    const gw = await gateway([await refusedOrigin(), ok.origin]);
    const answer = await send(gw.port, { path: '/retry' });
    expect(answer.status).toBe(200);
    expect(gw.retries).toEqual(['connect']);
    await eventually(() => expect(gw.results[0]).toMatchObject({ status: 200, attempts: 2, retries: 1 }));
    expect(gw.pool.finished.map((f) => f.result)).toEqual([
      { outcome: 'failure', kind: 'connect' },
      { outcome: 'success', status: 200 },
    ]);
    expect(gw.pool.doubleFinishes).toEqual([]);
  });

  it('does not retry a POST without Idempotency-Key', async () => {
    let seen = 0;
    const ok = await upstream((req, res) => {
      seen += 1;
      echo(req, res);
    });
    const gw = await gateway([await refusedOrigin(), ok.origin]);
    const answer = await send(gw.port, { method: 'POST', body: 'once' });
    expect(answer.status).toBe(502);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({
      status: 502,
      type: expect.stringContaining('upstream-unavailable'),
    });
    expect(seen).toBe(0);
    await eventually(() =>
      expect(gw.results[0]).toMatchObject({ status: 502, attempts: 1, failure: 'connect' }),
    );
  });

  it('retries a POST with Idempotency-Key, replaying the same body', async () => {
    const firstSaw: string[] = [];
    const failing = await upstream((req, res) => {
      void readBody(req).then((body) => {
        firstSaw.push(body);
        res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
      });
    });
    const ok = await upstream(echo);
    const gw = await gateway([failing.origin, ok.origin]);
    const body = JSON.stringify({ order: 42, note: 'x'.repeat(2000) });
    const answer = await send(gw.port, {
      method: 'POST',
      headers: { 'idempotency-key': 'k-1', 'content-type': 'application/json' },
      body,
    });
    expect(answer.status).toBe(200);
    expect(firstSaw).toEqual([body]);
    expect((JSON.parse(answer.body) as { body: string }).body).toBe(body);
    expect(gw.retries).toEqual(['status-503']);
  });

  it('retries a 503 answer on another instance', async () => {
    const busy = await upstream((_req, res) => res.writeHead(503).end('busy'));
    const ok = await upstream(echo);
    const gw = await gateway([busy.origin, ok.origin]);
    const answer = await send(gw.port);
    expect(answer.status).toBe(200);
    expect(gw.pool.finished.map((f) => f.result)).toEqual([
      { outcome: 'failure', kind: 'status', status: 503 },
      { outcome: 'success', status: 200 },
    ]);
  });

  it('relays a 503 when every instance answers 503', async () => {
    const busy = await upstream((_req, res) => res.writeHead(503, { 'x-from': 'upstream' }).end('busy'));
    const gw = await gateway([busy.origin]);
    const answer = await send(gw.port);
    expect(answer.status).toBe(503);
    expect(answer.headers['x-from']).toBe('upstream');
    expect(answer.body).toBe('busy');
  });

  it('retries a connection reset before response headers', async () => {
    const resetting = await upstream((req) => req.socket.destroy());
    const ok = await upstream(echo);
    const gw = await gateway([resetting.origin, ok.origin]);
    const answer = await send(gw.port, { method: 'DELETE', path: '/items/1' });
    expect(answer.status).toBe(200);
    expect(gw.retries).toEqual(['reset']);
  });

  it('answers 504 when no response headers arrive in time, without retrying', async () => {
    let okSeen = 0;
    const silent = await upstream(() => undefined);
    const ok = await upstream((req, res) => {
      okSeen += 1;
      echo(req, res);
    });
    const gw = await gateway([silent.origin, ok.origin], { policy: testPolicy({ requestTimeoutMs: 300 }) });
    const answer = await send(gw.port);
    expect(answer.status).toBe(504);
    expect(JSON.parse(answer.body)).toMatchObject({ type: expect.stringContaining('upstream-timeout') });
    expect(okSeen).toBe(0);
    expect(gw.pool.finished.map((f) => f.result)).toEqual([{ outcome: 'failure', kind: 'timeout' }]);
  });

  it('answers 413 for a declared body over the limit; the upstream never sees it', async () => {
    let seen = 0;
    const ok = await upstream((req, res) => {
      seen += 1;
      echo(req, res);
    });
    const gw = await gateway([ok.origin], { maxBodyBytes: 1024 });
    const answer = await send(gw.port, { method: 'POST', body: Buffer.alloc(4096, 1) });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ type: expect.stringContaining('body-too-large') });
    expect(seen).toBe(0);
    expect(gw.pool.firstAttempts).toBe(0);
  });

  it('answers 413 for a chunked body that grows over the limit; the upstream never gets all of it', async () => {
    const completeBodies: string[] = [];
    const ok = await upstream((req, res) => {
      void readBody(req).then(
        (body) => {
          completeBodies.push(body);
          res.end('ok');
        },
        () => undefined,
      );
    });
    const gw = await gateway([ok.origin], { maxBodyBytes: 1024 });
    for (const method of ['PUT', 'POST']) {
      const answer = await new Promise<number>((resolve, reject) => {
        const request = httpRequest(
          { host: '127.0.0.1', port: gw.port, method, path: '/big', agent: false },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        request.on('error', reject);
        for (let i = 0; i < 8; i += 1) request.write(Buffer.alloc(512, 2));
        request.end();
      });
      expect(answer).toBe(413);
    }
    expect(completeBodies).toEqual([]);
  });

  it('answers 503 no-healthy-instance with Retry-After when the pool is empty', async () => {
    const gw = await gateway([]);
    const answer = await send(gw.port);
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('1');
    expect(JSON.parse(answer.body)).toMatchObject({ type: expect.stringContaining('no-healthy-instance') });
  });

  it('answers 503 circuit-open with the breaker Retry-After', async () => {
    const ok = await upstream(echo);
    const gw = await gateway([ok.origin]);
    gw.pool.breakerOpenForMs = 7500;
    const answer = await send(gw.port);
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('8');
    expect(JSON.parse(answer.body)).toMatchObject({ type: expect.stringContaining('circuit-open') });
    expect(gw.pool.finished.map((f) => f.result)).toEqual([{ outcome: 'aborted' }]);
  });

  it('tears the upstream response down when the client leaves mid-stream', async () => {
    const upstreamClosed = gate();
    const endless = await upstream((_req, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: tick\n\n');
      res.on('close', () => upstreamClosed.open());
    });
    const gw = await gateway([endless.origin]);
    await new Promise<void>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port: gw.port, agent: false },
        (response: IncomingMessage) => {
          response.once('data', () => {
            request.destroy();
            resolve();
          });
        },
      );
      request.on('error', () => undefined);
      request.on('response', () => undefined);
      request.end();
      setTimeout(() => reject(new Error('no first event')), 10_000).unref();
    });
    await within(upstreamClosed.promise, 10_000, 'the upstream response to close');
    await eventually(() => expect(gw.pool.finished.map((f) => f.result)).toEqual([{ outcome: 'aborted' }]));
    await eventually(() => expect(gw.results[0]).toMatchObject({ status: 200, failure: 'aborted' }));
  });

  it('cuts the client answer when the upstream breaks off mid-body', async () => {
    const breaking = await upstream((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const gw = await gateway([breaking.origin]);
    await expect(send(gw.port)).rejects.toThrow();
    await eventually(() => expect(gw.results[0]).toMatchObject({ status: 200, failure: 'reset' }));
    expect(gw.pool.finished.map((f) => f.result)).toEqual([{ outcome: 'failure', kind: 'reset' }]);
  });
});
