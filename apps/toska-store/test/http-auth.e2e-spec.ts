import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sleep } from '@toskamesh/common';
import { ToskaHttpServer, startToskaStore, type ToskaStoreServer } from '../src/index.js';
import { putJson, send, tempDataDir } from './http-e2e.helpers.js';

describe(ToskaHttpServer.name, () => {
  describe('auth (contract §5)', () => {
    const data = tempDataDir('auth');
    let server: ToskaStoreServer;
    let url: string;

    beforeAll(async () => {
      server = await startToskaStore({ port: 0, dataDir: data.dir, authToken: 's3cret' }, { logger: false });
      url = server.url;
      await server.engine.put('k', 'v', null);
    });

    afterAll(async () => {
      await server.close();
      data.remove();
    });

    it.each([
      ['Authorization: Bearer <token>', { authorization: 'Bearer s3cret' }],
      ['Authorization: <token>', { authorization: 's3cret' }],
      ['X-Toska-Token: <token>', { 'x-toska-token': 's3cret' }],
      ['X-Toska-Token: Bearer <token>', { 'x-toska-token': 'Bearer s3cret' }],
      [
        'a wrong Authorization with a right X-Toska-Token',
        { authorization: 'nope', 'x-toska-token': 's3cret' },
      ],
    ])('accepts %s', async (_label, headers) => {
      const res = await send(url, { path: '/kv/k', headers });
      expect(res.status).toBe(200);
    });

    it.each([
      ['no credential', {}],
      ['a wrong token', { authorization: 'Bearer wrong' }],
      ['a lowercase scheme', { authorization: 'bearer s3cret' }],
      ['another scheme', { authorization: 'Token s3cret' }],
      ['a prefix of the token', { authorization: 'Bearer s3cre' }],
      ['the token with a suffix', { 'x-toska-token': 's3cretX' }],
      ['a second X-Toska-Token only', { 'x-toska-token': ['wrong', 's3cret'] }],
    ])('answers 401 for %s', async (_label, headers) => {
      const res = await send(url, { path: '/kv/k', headers });
      expect(res.status).toBe(401);
      expect(res.json()).toEqual({ error: 'Unauthorized' });
    });

    it.each([
      '/kv/k',
      '/kv/keys',
      '/kvanything',
      '/stats',
      '/replication/info',
      '//kv//k',
      '/stats/',
      '/%6Bv/k',
    ])('protects %s (before routing, so unrouted paths get 401 too)', async (path) => {
      expect((await send(url, { path })).status).toBe(401);
    });

    it.each(['/', '/status', '/health', '/nowhere'])('never protects %s', async (path) => {
      expect((await send(url, { path })).status).not.toBe(401);
    });

    it('uses the auth token for /replication when no replication token is set', async () => {
      const res = await send(url, { path: '/replication/info', headers: { authorization: 'Bearer s3cret' } });
      expect(res.status).toBe(200);
    });

    it('runs the body parser before auth: malformed JSON gets 400 without a token', async () => {
      const res = await putJson(url, '/kv/k', '{nope');
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ error: 'Request body is not valid JSON (UTF-8)' });
    });
  });

  describe('replication token', () => {
    const data = tempDataDir('repl-auth');
    let server: ToskaStoreServer;

    beforeAll(async () => {
      server = await startToskaStore(
        { port: 0, dataDir: data.dir, authToken: 'kv-token', replicationAuthToken: 'repl-token' },
        { logger: false },
      );
    });

    afterAll(async () => {
      await server.close();
      data.remove();
    });

    it('protects /replication with the replication token only', async () => {
      const path = '/replication/info';
      expect((await send(server.url, { path, headers: { authorization: 'Bearer repl-token' } })).status).toBe(
        200,
      );
      expect((await send(server.url, { path, headers: { authorization: 'Bearer kv-token' } })).status).toBe(
        401,
      );
    });

    it('protects /kv and /stats with the auth token only', async () => {
      const path = '/stats';
      expect((await send(server.url, { path, headers: { authorization: 'Bearer kv-token' } })).status).toBe(
        200,
      );
      expect((await send(server.url, { path, headers: { authorization: 'Bearer repl-token' } })).status).toBe(
        401,
      );
    });
  });

  describe('auth off', () => {
    const data = tempDataDir('no-auth');
    let server: ToskaStoreServer;

    beforeAll(async () => {
      server = await startToskaStore({ port: 0, dataDir: data.dir }, { logger: false });
    });

    afterAll(async () => {
      await server.close();
      data.remove();
    });

    it('ignores credential headers when no token is configured', async () => {
      const res = await send(server.url, { path: '/kv/x', headers: { authorization: 'Bearer anything' } });
      expect(res.status).toBe(404);
    });
  });

  describe('rate limit (contract §6)', () => {
    const data = tempDataDir('rate');
    let server: ToskaStoreServer;
    let url: string;

    beforeAll(async () => {
      server = await startToskaStore(
        { port: 0, dataDir: data.dir, authToken: 't', rateLimitPerSec: 20, rateLimitBurst: 3 },
        { logger: false },
      );
      url = server.url;
    });

    afterAll(async () => {
      await server.close();
      data.remove();
    });

    const authorized = { authorization: 'Bearer t' };

    it('allows the burst, then answers 429 with Retry-After, and refills continuously', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await send(url, { path: '/kv/a', headers: authorized })).status);
      expect(statuses.slice(0, 3)).toEqual([404, 404, 404]);
      expect(statuses.at(-1)).toBe(429);
      const limited = await send(url, { path: '/kv/a', headers: authorized });
      expect(limited.status).toBe(429);
      expect(limited.json()).toEqual({ error: 'Rate limit exceeded' });
      expect(limited.headers['retry-after']).toBe('1');
      // 20 tokens/s: one is back after 50 ms.
      await sleep(120);
      expect((await send(url, { path: '/kv/a', headers: authorized })).status).toBe(404);
    });

    it('never limits /status and /health, and a 401 costs no token', async () => {
      await sleep(200);
      for (let i = 0; i < 6; i++) {
        expect((await send(url, { path: '/status' })).status).toBe(200);
        expect((await send(url, { path: '/kv/a' })).status).toBe(401);
      }
      expect((await send(url, { path: '/kv/a', headers: authorized })).status).toBe(404);
    });
  });
});
