import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ToskaHttpServer, startToskaStore, type ToskaStoreServer } from '../src/index.js';
import { putJson, rawExchange, send, tempDataDir } from './http-e2e.helpers.js';

describe(ToskaHttpServer.name, () => {
  const data = tempDataDir('parser');
  let server: ToskaStoreServer;
  let url: string;

  beforeAll(async () => {
    server = await startToskaStore(
      { port: 0, dataDir: data.dir, maxBodyBytes: 64 * 1024, authToken: 'secret' },
      { logger: false },
    );
    url = server.url;
  });

  afterAll(async () => {
    await server.close();
    data.remove();
  });

  const auth = { authorization: 'Bearer secret' };

  describe('request bodies (contract §1.1)', () => {
    it.each(['application/json', 'application/json; charset=utf-8', 'application/vnd.toska+json'])(
      'parses a JSON body sent as %s',
      async (type) => {
        const res = await send(url, {
          method: 'PUT',
          path: '/kv/typed',
          headers: { ...auth, 'content-type': type },
          body: '{"value":"v"}',
        });
        expect(res.status).toBe(200);
      },
    );

    it('ignores the body without content-type (so PUT answers "Value must be a string")', async () => {
      const res = await send(url, {
        method: 'PUT',
        path: '/kv/untyped',
        headers: auth,
        body: '{"value":"v"}',
      });
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ error: 'Value must be a string' });
    });

    it('treats an empty JSON body as {}', async () => {
      const res = await send(url, {
        method: 'PUT',
        path: '/kv/empty',
        headers: { ...auth, 'content-type': 'application/json' },
      });
      expect(res.json()).toEqual({ error: 'Value must be a string' });
    });

    it.each(['"a string"', '5', '["value"]'])(
      'wraps a non-object body %s, so value is missing',
      async (body) => {
        const res = await putJson(url, '/kv/wrapped', body, auth);
        expect(res.status).toBe(400);
        expect(res.json()).toEqual({ error: 'Value must be a string' });
      },
    );

    it.each(['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'garbage'])(
      'answers 415 saying what to send, with connection: close, for %s, before auth',
      async (type) => {
        const res = await send(url, {
          method: 'PUT',
          path: '/kv/x',
          headers: { 'content-type': type },
          body: 'x',
        });
        expect(res.status).toBe(415);
        expect(res.json()).toEqual({ error: 'Unsupported content-type: send application/json' });
        expect(res.headers.connection).toBe('close');
      },
    );

    it.each([
      ['malformed JSON', Buffer.from('{"value":')],
      ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x76, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])],
      ['a lone surrogate escape', Buffer.from('{"value":"\\ud800"}')],
      ['whitespace only', Buffer.from('  ')],
    ])('answers 400 with a clear message and connection: close for %s, before auth', async (_label, body) => {
      const res = await send(url, {
        method: 'POST',
        path: '/kv/mget',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.json()).toEqual({ error: 'Request body is not valid JSON (UTF-8)' });
      expect(res.headers.connection).toBe('close');
    });

    it('writes nothing for a PUT whose body is not JSON', async () => {
      const res = await putJson(url, '/kv/not-json', '{"value":"half', auth);
      expect(res.status).toBe(400);
      expect(server.engine.get('not-json')).toBeUndefined();
    });

    it('does not parse GET bodies', async () => {
      const res = await send(url, {
        path: '/kv/typed',
        headers: { ...auth, 'content-type': 'text/plain' },
        body: 'ignored',
      });
      expect(res.status).toBe(200);
    });
  });

  describe('body size limit', () => {
    it('answers 413 naming the limit, with connection: close, for a declared length over it', async () => {
      const res = await putJson(url, '/kv/big', { value: 'x'.repeat(70 * 1024) }, auth);
      expect(res.status).toBe(413);
      expect(res.json()).toEqual({ error: 'Request body too large', max_body_bytes: 64 * 1024 });
      expect(res.headers.connection).toBe('close');
      expect(server.engine.get('big')).toBeUndefined();
    });

    it('accepts a body just under the limit', async () => {
      const res = await putJson(url, '/kv/fits', { value: 'x'.repeat(60 * 1024) }, auth);
      expect(res.status).toBe(200);
    });

    it('answers 413 before a declared-length body is sent', async () => {
      const head =
        'PUT /kv/huge HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n' +
        `authorization: Bearer secret\r\ncontent-length: ${1024 * 1024 * 1024}\r\n\r\n`;
      const result = await rawExchange(url, head, [], 3_000);
      expect(result.text).toMatch(/^HTTP\/1\.1 413 /);
      expect(result.text.toLowerCase()).toContain('connection: close');
      expect(result.closed).toBe(true);
    });

    it('answers Expect: 100-continue with 413 and no 100 when the declared body is too large', async () => {
      const head =
        'PUT /kv/expect HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n' +
        `expect: 100-continue\r\ncontent-length: ${1024 * 1024}\r\n\r\n`;
      const result = await rawExchange(url, head, [], 3_000);
      expect(result.text).toMatch(/^HTTP\/1\.1 413 /);
      expect(result.text).not.toContain('100 Continue');
    });

    it('sends 100 Continue, then the answer, for an acceptable body', async () => {
      const body = '{"value":"v"}';
      const head =
        'PUT /kv/expect-ok HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nconnection: close\r\n' +
        `authorization: Bearer secret\r\nexpect: 100-continue\r\ncontent-length: ${body.length}\r\n\r\n`;
      const result = await rawExchange(url, head + body, [], 3_000);
      expect(result.text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
      expect(server.engine.get('expect-ok')?.value).toBe('v');
    });

    it('stops reading a chunked body once it passes the limit, without buffering the rest', async () => {
      const chunk = Buffer.from(`10000\r\n${'x'.repeat(0x10000)}\r\n`);
      const chunks = Array.from({ length: 400 }, () => chunk);
      const head =
        'PUT /kv/stream HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n' +
        'transfer-encoding: chunked\r\n\r\n';
      const result = await rawExchange(url, head, chunks, 5_000);
      expect(result.text).toMatch(/^HTTP\/1\.1 413 /);
      expect(result.text).toContain('{"error":"Request body too large","max_body_bytes":65536}');
      expect(result.closed).toBe(true);
      // The client could not push anywhere near the 26 MB it tried: the server stopped reading.
      expect(result.bodyBytesWritten).toBeLessThan(chunk.length * 400);
      expect(server.engine.get('stream')).toBeUndefined();
    });
  });

  describe('query strings', () => {
    it('answers 400 with a message for a query that is not UTF-8', async () => {
      const res = await send(url, { path: '/status?x=%FF' });
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ error: 'Invalid query string: not valid UTF-8' });
    });
  });

  describe('routing (contract §1.2)', () => {
    it.each([
      ['POST', '/kv/x'],
      ['PATCH', '/kv/x'],
      ['GET', '/kv/a/b'],
      ['GET', '/kv'],
      ['GET', '/kv/'],
      ['GET', '/nowhere'],
      ['PUT', '/status'],
      ['GET', '/replication/unknown'],
    ])('answers the 404 catch-all with the raw path for %s %s', async (method, path) => {
      const res = await send(url, {
        method,
        path,
        headers: { ...auth, 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      });
      expect(res.status).toBe(404);
      expect(res.json()).toEqual({ error: 'Not Found', path });
    });

    it('answers HEAD with the 404 catch-all (HEAD is not routed)', async () => {
      const res = await send(url, { method: 'HEAD', path: '/status' });
      expect(res.status).toBe(404);
      expect(res.raw).toHaveLength(0);
    });

    it('routes on decoded segments, like Plug.Router', async () => {
      const res = await send(url, { path: '/%73tatus' });
      expect(res.status).toBe(200);
    });
  });
});
