import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import { eventually } from '@toskamesh/testing';
import { readBody, refusedOrigin, send, testPolicy } from './proxy-fixtures.js';
import { ENGINES, ProxyHarness, echo } from './proxy-harness.js';

describe.each(ENGINES)('ProxyForwarder with the %s engine: retries, deadlines and limits', (engineName) => {
  const h = new ProxyHarness(engineName);

  afterEach(() => h.close());

  it('retries a refused connection on another instance', async () => {
    const ok = await h.upstream(echo);
    const gw = await h.gateway([await refusedOrigin(), ok.origin]);
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
    const ok = await h.upstream((req, res) => {
      seen += 1;
      echo(req, res);
    });
    const gw = await h.gateway([await refusedOrigin(), ok.origin]);
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
    const failing = await h.upstream((req, res) => {
      void readBody(req).then((body) => {
        firstSaw.push(body);
        res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
      });
    });
    const ok = await h.upstream(echo);
    const gw = await h.gateway([failing.origin, ok.origin]);
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
    const busy = await h.upstream((_req, res) => res.writeHead(503).end('busy'));
    const ok = await h.upstream(echo);
    const gw = await h.gateway([busy.origin, ok.origin]);
    const answer = await send(gw.port);
    expect(answer.status).toBe(200);
    expect(gw.pool.finished.map((f) => f.result)).toEqual([
      { outcome: 'failure', kind: 'status', status: 503 },
      { outcome: 'success', status: 200 },
    ]);
  });

  it('relays a 503 when every instance answers 503', async () => {
    const busy = await h.upstream((_req, res) => res.writeHead(503, { 'x-from': 'upstream' }).end('busy'));
    const gw = await h.gateway([busy.origin]);
    const answer = await send(gw.port);
    expect(answer.status).toBe(503);
    expect(answer.headers['x-from']).toBe('upstream');
    expect(answer.body).toBe('busy');
  });

  it('retries a connection reset before response headers', async () => {
    const resetting = await h.upstream((req) => req.socket.destroy());
    const ok = await h.upstream(echo);
    const gw = await h.gateway([resetting.origin, ok.origin]);
    const answer = await send(gw.port, { method: 'DELETE', path: '/items/1' });
    expect(answer.status).toBe(200);
    expect(gw.retries).toEqual(['reset']);
  });

  it('answers 504 when no response headers arrive in time, without retrying', async () => {
    let okSeen = 0;
    const silent = await h.upstream(() => undefined);
    const ok = await h.upstream((req, res) => {
      okSeen += 1;
      echo(req, res);
    });
    const gw = await h.gateway([silent.origin, ok.origin], { policy: testPolicy({ requestTimeoutMs: 300 }) });
    const answer = await send(gw.port);
    expect(answer.status).toBe(504);
    expect(JSON.parse(answer.body)).toMatchObject({ type: expect.stringContaining('upstream-timeout') });
    expect(okSeen).toBe(0);
    expect(gw.pool.finished.map((f) => f.result)).toEqual([{ outcome: 'failure', kind: 'timeout' }]);
  });

  it('answers 413 for a declared body over the limit; the upstream never sees it', async () => {
    let seen = 0;
    const ok = await h.upstream((req, res) => {
      seen += 1;
      echo(req, res);
    });
    const gw = await h.gateway([ok.origin], { maxBodyBytes: 1024 });
    const answer = await send(gw.port, { method: 'POST', body: Buffer.alloc(4096, 1) });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ type: expect.stringContaining('body-too-large') });
    expect(seen).toBe(0);
    expect(gw.pool.firstAttempts).toBe(0);
  });

  it('answers 413 for a chunked body that grows over the limit; the upstream never gets all of it', async () => {
    const completeBodies: string[] = [];
    const ok = await h.upstream((req, res) => {
      void readBody(req).then(
        (body) => {
          completeBodies.push(body);
          res.end('ok');
        },
        () => undefined,
      );
    });
    const gw = await h.gateway([ok.origin], { maxBodyBytes: 1024 });
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
    const gw = await h.gateway([]);
    const answer = await send(gw.port);
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('1');
    expect(JSON.parse(answer.body)).toMatchObject({ type: expect.stringContaining('no-healthy-instance') });
  });

  it('answers 503 circuit-open with the breaker Retry-After', async () => {
    const ok = await h.upstream(echo);
    const gw = await h.gateway([ok.origin]);
    gw.pool.breakerOpenForMs = 7500;
    const answer = await send(gw.port);
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('8');
    expect(JSON.parse(answer.body)).toMatchObject({ type: expect.stringContaining('circuit-open') });
    expect(gw.pool.finished.map((f) => f.result)).toEqual([{ outcome: 'aborted' }]);
  });
});
