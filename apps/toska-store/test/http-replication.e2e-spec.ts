import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { eventually } from '@toskamesh/testing';
import { ToskaHttpServer, startToskaStore, type ToskaStoreServer } from '../src/index.js';
import { postJson, putJson, send, tempDataDir } from './http-e2e.helpers.js';

describe(ToskaHttpServer.name, () => {
  describe('replication endpoints (contract §8)', () => {
    const data = tempDataDir('repl');
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

    it('GET /replication/info answers snapshot and AOF metadata', async () => {
      await putJson(url, '/kv/info-key', { value: 'v' });
      const res = await send(url, { path: '/replication/info' });
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({
        snapshot_path: `${data.dir}/toska_snapshot.json`,
        snapshot_checksum: null,
        snapshot_created_at: null,
        snapshot_version: 1,
        aof_path: `${data.dir}/toska.aof`,
        aof_size: expect.any(Number),
        aof_version: 1,
      });
      expect((res.json() as { aof_size: number }).aof_size).toBeGreaterThan(0);
    });

    it('GET /replication/aof answers a byte range with its headers', async () => {
      const size = server.engine.replicationInfo().aofSize;
      const res = await send(url, { path: '/replication/aof?since=2&max_bytes=10' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/octet-stream; charset=utf-8');
      expect(res.headers['x-toska-aof-size']).toBe(String(size));
      expect(res.headers['x-toska-aof-offset']).toBe('2');
      expect(res.raw).toEqual(readFileSync(`${data.dir}/toska.aof`).subarray(2, 12));
    });

    it('GET /replication/aof defaults to since=0 and 1 MiB, and treats a bad max_bytes as the default', async () => {
      const whole = readFileSync(`${data.dir}/toska.aof`);
      for (const path of [
        '/replication/aof',
        '/replication/aof?max_bytes=0',
        '/replication/aof?max_bytes=x',
        '/replication/aof?since=%2B0',
      ]) {
        const res = await send(url, { path });
        expect(res.status).toBe(200);
        expect(res.raw).toEqual(whole);
      }
    });

    it('GET /replication/aof answers 204 with the size at or past the end', async () => {
      const size = server.engine.replicationInfo().aofSize;
      for (const since of [size, size + 100]) {
        const res = await send(url, { path: `/replication/aof?since=${since}` });
        expect(res.status).toBe(204);
        expect(res.raw).toHaveLength(0);
        expect(res.headers['x-toska-aof-size']).toBe(String(size));
      }
    });

    it.each(['abc', '1.5', '', 'since[]='])(
      'GET /replication/aof answers 400 "Invalid offset" for since=%s',
      async (since) => {
        const query = since.includes('[') ? since : `since=${since}`;
        const res = await send(url, { path: `/replication/aof?${query}` });
        expect(res.status).toBe(400);
        expect(res.json()).toEqual({ error: 'Invalid offset' });
      },
    );

    it('GET /replication/aof answers 400 "Offset must be >= 0" for a negative since', async () => {
      const res = await send(url, { path: '/replication/aof?since=-1' });
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ error: 'Offset must be >= 0' });
    });

    it('GET /replication/snapshot writes a snapshot, truncates the AOF and streams the file', async () => {
      await putJson(url, '/kv/snap', { value: 'shot' });
      const res = await send(url, { path: '/replication/snapshot' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const body = res.json() as { checksum: string; data: Record<string, unknown>; version: number };
      expect(body.version).toBe(1);
      expect(body.data.snap).toEqual({ expires_at: null, value: 'shot' });
      expect(res.headers['x-toska-snapshot-checksum']).toBe(body.checksum);
      expect(res.headers['x-toska-snapshot-version']).toBe('1');
      expect(res.headers['x-toska-aof-version']).toBe('1');
      expect(res.raw).toEqual(readFileSync(`${data.dir}/toska_snapshot.json`));
      expect(server.engine.replicationInfo().aofSize).toBe(0);
      expect((await send(url, { path: '/replication/info' })).json()).toMatchObject({
        snapshot_checksum: body.checksum,
      });
    });

    it('GET /replication/snapshot is gzip-compressed when the client accepts it', async () => {
      for (let i = 0; i < 40; i++) await server.engine.put(`bulk-${i}`, 'x'.repeat(40), null);
      const res = await send(url, { path: '/replication/snapshot', headers: { 'accept-encoding': 'gzip' } });
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers.vary).toBe('accept-encoding');
      const body = JSON.parse(res.text) as { checksum: string };
      expect(res.headers['x-toska-snapshot-checksum']).toBe(body.checksum);
      expect(createHash('sha256').update(res.text).digest('hex')).toBe(
        createHash('sha256')
          .update(readFileSync(`${data.dir}/toska_snapshot.json`))
          .digest('hex'),
      );
    });

    it('GET /replication/status answers 404 on a server that is not a follower', async () => {
      const res = await send(url, { path: '/replication/status' });
      expect(res.status).toBe(404);
      expect(res.json()).toEqual({ error: 'Follower not running' });
    });
  });

  describe('follower mode (contract §7)', () => {
    const leaderData = tempDataDir('leader');
    const followerData = tempDataDir('follower');
    let leader: ToskaStoreServer;
    let follower: ToskaStoreServer;

    beforeAll(async () => {
      leader = await startToskaStore(
        { port: 0, dataDir: leaderData.dir, replicationAuthToken: 'r' },
        { logger: false },
      );
      await putJson(leader.url, '/kv/replicated', { value: 'from leader' });
      follower = await startToskaStore(
        {
          port: 0,
          dataDir: followerData.dir,
          replicaUrl: leader.url,
          replicaPollMs: 50,
          replicationAuthToken: 'r',
        },
        { logger: false },
      );
    });

    afterAll(async () => {
      await follower.close();
      await leader.close();
      followerData.remove();
      leaderData.remove();
    });

    it('serves the leader data once replicated, reads and mget included', async () => {
      await eventually(async () => {
        expect((await send(follower.url, { path: '/kv/replicated' })).json()).toEqual({
          key: 'replicated',
          value: 'from leader',
        });
      });
      await putJson(leader.url, '/kv/later', { value: 'tailed' });
      await eventually(async () => {
        const res = await postJson(
          follower.url,
          '/kv/mget',
          { keys: ['later'] },
          { authorization: 'Bearer r' },
        );
        expect(res.json()).toEqual({ values: { later: 'tailed' } });
      });
    });

    it.each([
      ['PUT', '/kv/x', '{"value":"v"}'],
      ['PUT', '/kv/x', '{"value":5}'],
      ['DELETE', '/kv/replicated', undefined],
      ['PUT', '//kv//x', '{"value":"v"}'],
    ])('answers 403 "Read-only follower" to %s %s', async (method, path, body) => {
      const res = await send(follower.url, {
        method,
        path,
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(403);
      expect(res.json()).toEqual({ error: 'Read-only follower' });
    });

    it('still answers a malformed body with the parser 400', async () => {
      const res = await putJson(follower.url, '/kv/x', '{bad');
      expect(res.status).toBe(400);
    });

    it('GET /replication/status answers the follower state', async () => {
      const res = await send(follower.url, {
        path: '/replication/status',
        headers: { authorization: 'Bearer r' },
      });
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({
        leader_url: leader.url,
        offset: expect.any(Number),
        last_snapshot_at: expect.any(Number),
        last_poll_at: expect.any(Number),
        last_error: null,
        poll_interval_ms: 50,
        http_timeout_ms: 5000,
      });
    });
  });
});
