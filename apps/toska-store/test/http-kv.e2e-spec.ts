import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ToskaHttpServer, startToskaStore, type ToskaStoreServer } from '../src/index.js';
import { postJson, putJson, send, tempDataDir } from './http-e2e.helpers.js';

describe(ToskaHttpServer.name, () => {
  const data = tempDataDir('kv');
  let server: ToskaStoreServer;
  let url: string;

  beforeAll(async () => {
    server = await startToskaStore({ port: 0, dataDir: data.dir }, { logger: false });
    url = server.url;
  });

  afterAll(async () => {
    await server.close();
    data.remove();
  });

  describe('GET /kv/:key', () => {
    it('answers the stored value with the decoded key', async () => {
      await putJson(url, '/kv/hello', { value: 'world' });
      const res = await send(url, { path: '/kv/hello' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.json()).toEqual({ key: 'hello', value: 'world' });
    });

    it('answers 404 with the key when it is missing', async () => {
      const res = await send(url, { path: '/kv/missing-key' });
      expect(res.status).toBe(404);
      expect(res.json()).toEqual({ error: 'Not Found', key: 'missing-key' });
    });

    it('addresses the same key through trailing and duplicate slashes', async () => {
      await putJson(url, '/kv/same', { value: 'v' });
      for (const path of ['/kv/same/', '//kv//same', '/kv/same']) {
        expect((await send(url, { path })).json()).toEqual({ key: 'same', value: 'v' });
      }
    });

    it('decodes %2F, spaces, + and non-ASCII escapes in a key', async () => {
      await putJson(url, '/kv/a%2Fb%20c+d%E6%97%A5', { value: 'x' });
      const res = await send(url, { path: '/kv/a%2Fb%20c+d%E6%97%A5' });
      expect(res.json()).toEqual({ key: 'a/b c+d日', value: 'x' });
      const listed = await send(url, { path: '/kv/keys?prefix=a%2Fb' });
      expect(listed.json()).toEqual({ keys: ['a/b c+d日'] });
    });

    it('keeps a malformed escape literally', async () => {
      await putJson(url, '/kv/%zz', { value: 'literal' });
      expect((await send(url, { path: '/kv/%zz' })).json()).toEqual({ key: '%zz', value: 'literal' });
    });

    it('answers 400 (not upstream 500) when the key decodes to invalid UTF-8', async () => {
      const res = await send(url, { path: '/kv/%FF' });
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ error: 'Key must be valid UTF-8' });
    });

    it('answers 414 for a key longer than maxKeyBytes', async () => {
      const res = await send(url, { path: `/kv/${'k'.repeat(8193)}` });
      expect(res.status).toBe(414);
      expect(res.json()).toEqual({ error: 'Key too long', max_key_bytes: 8192 });
      expect((await send(url, { path: `/kv/${'k'.repeat(8192)}` })).status).toBe(404);
    });

    it('escapes control characters Jason-style, with uppercase hex', async () => {
      await putJson(url, '/kv/ctrl', { value: 'a\u001fb\n' });
      const res = await send(url, { path: '/kv/ctrl' });
      expect(res.text).toBe('{"key":"ctrl","value":"a\\u001Fb\\n"}');
    });
  });

  describe('PUT /kv/:key', () => {
    it('stores a value and answers {"key","ok":true}', async () => {
      const res = await putJson(url, '/kv/put-me', { value: '', extra: 1 });
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ key: 'put-me', ok: true });
      expect(server.engine.get('put-me')?.value).toBe('');
    });

    it.each([
      ['missing', {}],
      ['null', { value: null }],
      ['a number', { value: 5 }],
      ['a boolean', { value: true }],
      ['an object', { value: { a: 1 } }],
      ['an array', { value: ['a'] }],
    ])('answers 400 and writes nothing when value is %s', async (_label, body) => {
      const res = await putJson(url, '/kv/bad-value', body);
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ error: 'Value must be a string' });
      expect(server.engine.get('bad-value')).toBeUndefined();
    });

    it('replaces an earlier TTL when written again without ttl_ms', async () => {
      await putJson(url, '/kv/ttl-reset', { value: 'a', ttl_ms: 60_000 });
      expect(server.engine.get('ttl-reset')?.expiresAt).not.toBeNull();
      await putJson(url, '/kv/ttl-reset', { value: 'b' });
      expect(server.engine.get('ttl-reset')).toEqual({ value: 'b', expiresAt: null });
    });
  });

  describe('PUT /kv/:key ttl_ms', () => {
    it.each([
      ['an integer', '600000'],
      ['an integer string', '"600000"'],
      ['a +integer string', '"+600000"'],
    ])('sets an expiry for %s', async (_label, ttl) => {
      const before = Date.now();
      const res = await putJson(url, '/kv/ttl-int', `{"value":"v","ttl_ms":${ttl}}`);
      expect(res.status).toBe(200);
      const expiresAt = server.engine.get('ttl-int')!.expiresAt!;
      expect(expiresAt).toBeGreaterThanOrEqual(before + 600_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 600_000);
    });

    it.each([['null', 'null']])('stores without expiry for %s', async (_label, ttl) => {
      await putJson(url, '/kv/ttl-null', `{"value":"v","ttl_ms":${ttl}}`);
      expect(server.engine.get('ttl-null')).toEqual({ value: 'v', expiresAt: null });
    });

    it.each([
      ['0', '0'],
      ['-1', '-1'],
      ['"-1"', '"-1"'],
    ])('deletes the key and answers 200 for ttl_ms %s', async (_label, ttl) => {
      await putJson(url, '/kv/ttl-del', { value: 'present' });
      const res = await putJson(url, '/kv/ttl-del', `{"value":"v","ttl_ms":${ttl}}`);
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ key: 'ttl-del', ok: true });
      expect((await send(url, { path: '/kv/ttl-del' })).status).toBe(404);
    });

    it.each([
      ['a word', '"soon"'],
      ['a unit', '"5s"'],
      ['a fraction', '500.5'],
      ['an exponent', '1e3'],
      ['a float with .0', '1000.0'],
      ['a boolean', 'true'],
      ['an object', '{"ms":5}'],
      ['a padded string', '" 500"'],
      ['an integer beyond 2^53', '9007199254740993'],
    ])('answers 400 "Invalid ttl_ms" and writes nothing for %s', async (_label, ttl) => {
      await putJson(url, '/kv/ttl-bad', { value: 'kept' });
      const res = await putJson(url, '/kv/ttl-bad', `{"value":"new","ttl_ms":${ttl}}`);
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ error: 'Invalid ttl_ms' });
      expect(server.engine.get('ttl-bad')).toEqual({ value: 'kept', expiresAt: null });
    });

    it('lets a key expire: GET answers 404 once expires_at has passed', async () => {
      await putJson(url, '/kv/short', { value: 'v', ttl_ms: 30 });
      const deadline = Date.now() + 2_000;
      let status = 200;
      while (status === 200 && Date.now() < deadline) {
        status = (await send(url, { path: '/kv/short' })).status;
      }
      expect(status).toBe(404);
    });
  });

  describe('DELETE /kv/:key', () => {
    it('answers 200 whether or not the key existed', async () => {
      await putJson(url, '/kv/del-me', { value: 'v' });
      for (let i = 0; i < 2; i++) {
        const res = await send(url, { method: 'DELETE', path: '/kv/del-me' });
        expect(res.status).toBe(200);
        expect(res.json()).toEqual({ key: 'del-me', ok: true });
      }
      expect(server.engine.get('del-me')).toBeUndefined();
    });

    it('deletes without a body or content-type', async () => {
      await putJson(url, '/kv/del-bare', { value: 'v' });
      expect((await send(url, { method: 'DELETE', path: '/kv/del-bare' })).status).toBe(200);
      expect(server.engine.get('del-bare')).toBeUndefined();
    });
  });

  describe('POST /kv/mget', () => {
    it('answers an object of values with null for missing keys', async () => {
      await putJson(url, '/kv/m1', { value: 'one' });
      const res = await postJson(url, '/kv/mget', { keys: ['m1', 'm-missing', 'm1'] });
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ values: { m1: 'one', 'm-missing': null } });
    });

    it('answers {"values":{}} for an empty list', async () => {
      expect((await postJson(url, '/kv/mget', { keys: [] })).json()).toEqual({ values: {} });
    });

    it('renders non-string keys like Elixir to_string and never looks them up', async () => {
      await putJson(url, '/kv/5', { value: 'five' });
      const res = await postJson(url, '/kv/mget', '{"keys":[5,true,false,null,1.5,1e3,100.0]}');
      expect(res.json()).toEqual({
        values: { '5': null, true: null, false: null, nil: null, '1.5': null, '1.0e3': null, '100.0': null },
      });
    });

    it.each([
      ['missing', {}],
      ['null', { keys: null }],
      ['a string', { keys: 'a' }],
      ['an object', { keys: { a: 1 } }],
    ])('answers 400 "Keys must be a list" when keys is %s', async (_label, body) => {
      const res = await postJson(url, '/kv/mget', body);
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ error: 'Keys must be a list' });
    });

    it('answers 400 "Keys must be a list" for a JSON array body (wrapped as _json)', async () => {
      const res = await postJson(url, '/kv/mget', ['a']);
      expect(res.json()).toEqual({ error: 'Keys must be a list' });
    });

    it('answers 400 (not upstream 500) for an object entry', async () => {
      const res = await postJson(url, '/kv/mget', { keys: ['a', { b: 1 }] });
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ error: 'Keys must be strings or scalars, not objects or arrays' });
    });
  });

  describe('GET /kv/keys', () => {
    beforeAll(async () => {
      for (const key of ['list/a', 'list/b', 'list/c', 'List/d'])
        await putJson(url, `/kv/${encodeURIComponent(key)}`, { value: 'v' });
    });

    it('lists keys with a case-sensitive prefix', async () => {
      const res = await send(url, { path: '/kv/keys?prefix=list%2F' });
      expect(res.status).toBe(200);
      expect((res.json() as { keys: string[] }).keys.sort()).toEqual(['list/a', 'list/b', 'list/c']);
    });

    it('answers exactly min(limit, matches) keys', async () => {
      expect((await send(url, { path: '/kv/keys?prefix=list/&limit=2' })).json()).toEqual({
        keys: expect.any(Array),
      });
      expect(
        ((await send(url, { path: '/kv/keys?prefix=list/&limit=2' })).json() as { keys: [] }).keys,
      ).toHaveLength(2);
      expect((await send(url, { path: '/kv/keys?prefix=list/&limit=0' })).json()).toEqual({ keys: [] });
      expect(
        ((await send(url, { path: '/kv/keys?prefix=list/&limit=%2B2' })).json() as { keys: [] }).keys,
      ).toHaveLength(2);
    });

    // `+` in a query is a space, and Integer.parse(" 2") fails: the fallback applies.
    it.each(['abc', '-1', '5x', '', '1.5', '+2'])('falls back to 100 for limit=%s', async (limit) => {
      const res = await send(url, { path: `/kv/keys?prefix=list/&limit=${limit}` });
      expect((res.json() as { keys: [] }).keys).toHaveLength(3);
    });

    it.each(['prefix[]=a', 'prefix[x]=y'])('answers 400 "Invalid prefix" for %s', async (query) => {
      const res = await send(url, { path: `/kv/keys?${query}` });
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ error: 'Invalid prefix' });
    });

    it('is the listing even when a key named "keys" exists, which PUT and DELETE still address', async () => {
      await putJson(url, '/kv/keys', { value: 'named keys' });
      expect((await send(url, { path: '/kv/keys?prefix=keys' })).json()).toEqual({ keys: ['keys'] });
      expect((await postJson(url, '/kv/mget', { keys: ['keys'] })).json()).toEqual({
        values: { keys: 'named keys' },
      });
      expect((await send(url, { method: 'DELETE', path: '/kv/keys' })).status).toBe(200);
      expect(server.engine.get('keys')).toBeUndefined();
    });

    it('treats GET/PUT/DELETE /kv/mget as the key "mget"', async () => {
      expect((await putJson(url, '/kv/mget', { value: 'm' })).json()).toEqual({ key: 'mget', ok: true });
      expect((await send(url, { path: '/kv/mget' })).json()).toEqual({ key: 'mget', value: 'm' });
    });
  });
});
