import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import { eventually } from '@toskamesh/testing';
import { gate, readBody, send, within } from './proxy-fixtures.js';
import { ENGINES, ProxyHarness, echo } from './proxy-harness.js';

describe.each(ENGINES)('ProxyForwarder with the %s engine: HTTP relaying', (engineName) => {
  const h = new ProxyHarness(engineName);

  afterEach(() => h.close());

  it('forwards the method, path, query and body and relays the answer', async () => {
    const ok = await h.upstream(echo);
    const gw = await h.gateway([ok.origin]);
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
    const statuses = await h.upstream((req, res) => {
      if (req.url === '/none') res.writeHead(204).end();
      else if (req.url === '/same') res.writeHead(304, { etag: '"v1"' }).end();
      else
        res
          .writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' })
          .end(req.method === 'HEAD' ? undefined : 'hello');
    });
    const gw = await h.gateway([statuses.origin]);
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
    const sse = await h.upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: one\n\n');
      void release.promise.then(() => res.end('data: two\n\n'));
    });
    const gw = await h.gateway([sse.origin]);
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
    const sink = await h.upstream((req, res) => {
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
    const gw = await h.gateway([sink.origin]);
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
    const cookies = await h.upstream((_req, res) => {
      res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/']);
      res.setHeader('x-resp-hop', 'secret');
      res.setHeader('connection', 'keep-alive, x-resp-hop');
      res.setHeader('proxy-authenticate', 'Basic');
      res.setHeader('trailer', 'x-checksum');
      res.end('ok');
    });
    const gw = await h.gateway([cookies.origin]);
    const answer = await send(gw.port);
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(answer.headers['x-resp-hop']).toBeUndefined();
    expect(answer.headers['proxy-authenticate']).toBeUndefined();
    expect(answer.headers.trailer).toBeUndefined();
    expect(answer.body).toBe('ok');
  });

  it("lets headers the gateway already set win over the upstream's, keeping duplicates", async () => {
    const cors = await h.upstream((_req, res) => {
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('x-upstream', 'yes');
      res.end('ok');
    });
    const gw = await h.gateway([cors.origin], {
      presetHeaders: { 'access-control-allow-origin': 'https://app.example', 'ratelimit-remaining': '9' },
    });
    const answer = await send(gw.port);
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(answer.headers['x-upstream']).toBe('yes');
    expect(answer.headers['ratelimit-remaining']).toBe('9');
    const origins = answer.rawHeaders.filter(
      (_v, i) => answer.rawHeaders[i - 1]?.toLowerCase() === 'access-control-allow-origin',
    );
    expect(origins).toEqual(['https://app.example']);
  });

  it('drops hop-by-hop request headers and sets the forwarding headers', async () => {
    const ok = await h.upstream(echo);
    const gw = await h.gateway([ok.origin]);
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
    const ok = await h.upstream(echo);
    const gw = await h.gateway([ok.origin], {
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

  it('tears the upstream response down when the client leaves mid-stream', async () => {
    const upstreamClosed = gate();
    const endless = await h.upstream((_req, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: tick\n\n');
      res.on('close', () => upstreamClosed.open());
    });
    const gw = await h.gateway([endless.origin]);
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
    const breaking = await h.upstream((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const gw = await h.gateway([breaking.origin]);
    await expect(send(gw.port)).rejects.toThrow();
    await eventually(() => expect(gw.results[0]).toMatchObject({ status: 200, failure: 'reset' }));
    expect(gw.pool.finished.map((f) => f.result)).toEqual([{ outcome: 'failure', kind: 'reset' }]);
  });
});
