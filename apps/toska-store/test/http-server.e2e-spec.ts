import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { sleep } from '@toskamesh/common';
import { eventually } from '@toskamesh/testing';
import { connect } from 'node:net';
import {
  FOLLOWER_STATUS_SOURCE,
  KvEngine,
  ReplicaFollower,
  STARTING_PERIOD_MS,
  ToskaHttpServer,
  ToskaStoreModule,
  startToskaStore,
  type FollowerStatusSource,
  type ToskaStoreModuleOptions,
  type ToskaStoreServer,
} from '../src/index.js';
import { postJson, putJson, send, tempDataDir } from './http-e2e.helpers.js';

/** An engine whose every call fails, as upstream's KV GenServer being down. */
class DownEngine extends KvEngine {
  private fail(): never {
    throw new Error('engine is down');
  }
  get = () => this.fail();
  put = () => Promise.reject(new Error('engine is down'));
  delete = () => Promise.reject(new Error('engine is down'));
  mget = () => this.fail();
  keys = () => this.fail();
  stats = () => this.fail();
  replicationInfo = () => this.fail();
  snapshotNow = () => Promise.reject(new Error('disk full'));
  readAof = () => Promise.reject(new Error('AOF closed'));
  replaceWithSnapshot = () => Promise.reject(new Error('engine is down'));
  applyReplicatedLine = () => Promise.reject(new Error('engine is down'));
  compact = () => Promise.reject(new Error('engine is down'));
}

/** Starts the module with providers swapped, the way the app context would run it. */
async function startWith(
  options: ToskaStoreModuleOptions,
  overrides: { engine?: KvEngine; follower?: FollowerStatusSource },
): Promise<{ url: string; moduleRef: TestingModule }> {
  let builder = Test.createTestingModule({ imports: [ToskaStoreModule.forRoot(options)] });
  if (overrides.engine) builder = builder.overrideProvider(KvEngine).useValue(overrides.engine);
  if (overrides.follower) {
    builder = builder
      .overrideProvider(ReplicaFollower)
      .useValue({})
      .overrideProvider(FOLLOWER_STATUS_SOURCE)
      .useValue(overrides.follower);
  }
  const moduleRef = await builder.compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  const address = await moduleRef.get(ToskaHttpServer).listen();
  return { url: `http://127.0.0.1:${address.port}`, moduleRef };
}

describe(ToskaHttpServer.name, () => {
  describe('server endpoints (contract §4)', () => {
    const data = tempDataDir('server');
    let server: ToskaStoreServer;
    let url: string;

    beforeAll(async () => {
      server = await startToskaStore({ port: 0, dataDir: data.dir, env: 'test' }, { logger: false });
      url = server.url;
    });

    afterAll(async () => {
      await server.close();
      data.remove();
    });

    it('GET /health answers 503 starting, then 200 healthy after 500 ms', async () => {
      const early = await send(url, { path: '/health' });
      expect(early.status).toBe(503);
      expect(early.json()).toEqual({
        status: 'starting',
        timestamp: expect.any(Number),
        uptime: expect.any(Number),
      });
      await sleep(STARTING_PERIOD_MS + 50);
      const later = await send(url, { path: '/health' });
      expect(later.status).toBe(200);
      expect(later.json()).toMatchObject({ status: 'healthy' });
    });

    it('GET /status answers the status with the bound port', async () => {
      const res = await send(url, { path: '/status' });
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({
        status: 'running',
        uptime: expect.any(Number),
        config: { host: '127.0.0.1', port: server.port, env: 'test', daemon: false },
        pid: String(process.pid),
        node: expect.stringMatching(/^toska@/),
      });
    });

    it('GET / answers the HTML welcome page', async () => {
      const res = await send(url, { path: '/' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.text).toContain('<title>Toska Server</title>');
      expect(res.text).toContain('Server Status: RUNNING');
    });

    it('GET /stats answers every field in snake_case', async () => {
      await putJson(url, '/kv/s', { value: 'v' });
      const res = await send(url, { path: '/stats' });
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({
        keys: 1,
        memory_words: expect.any(Number),
        aof_path: `${data.dir}/toska.aof`,
        aof_bytes: expect.any(Number),
        snapshot_path: `${data.dir}/toska_snapshot.json`,
        snapshot_bytes: 0,
        snapshot_checksum: null,
        snapshot_version: 1,
        aof_version: 1,
        sync_mode: 'interval',
        sync_interval_ms: 1000,
        snapshot_interval_ms: 60000,
        ttl_check_interval_ms: 1000,
        compaction_interval_ms: 300000,
        compaction_aof_bytes: 10485760,
        last_snapshot_at: null,
        last_sync_at: null,
      });
    });

    it('gzips a large answer when the client accepts it, and says vary: accept-encoding', async () => {
      await putJson(url, '/kv/large', { value: 'y'.repeat(4000) });
      const zipped = await send(url, { path: '/kv/large', headers: { 'accept-encoding': 'gzip, deflate' } });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers.vary).toBe('accept-encoding');
      expect(zipped.raw.length).toBeLessThan(1000);
      expect(zipped.json()).toEqual({ key: 'large', value: 'y'.repeat(4000) });
      const plain = await send(url, { path: '/kv/large', headers: { 'accept-encoding': 'gzip;q=0' } });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.json()).toEqual({ key: 'large', value: 'y'.repeat(4000) });
    });
  });

  describe('ToskaStoreModule.forRootAsync', () => {
    it('builds the server from options given by a factory', async () => {
      const data = tempDataDir('async');
      const moduleRef = await Test.createTestingModule({
        imports: [
          ToskaStoreModule.forRootAsync({
            useFactory: () => Promise.resolve({ port: 0, dataDir: data.dir, authToken: 'async' }),
          }),
        ],
      }).compile();
      moduleRef.useLogger(false);
      try {
        await moduleRef.init();
        const { port } = await moduleRef.get(ToskaHttpServer).listen();
        const url = `http://127.0.0.1:${port}`;
        expect((await send(url, { path: '/stats' })).status).toBe(401);
        expect((await send(url, { path: '/stats', headers: { authorization: 'async' } })).status).toBe(200);
      } finally {
        await moduleRef.close();
        data.remove();
      }
    });
  });

  describe('graceful shutdown', () => {
    it('finishes an in-flight request, refuses new connections, then closes the engine', async () => {
      const data = tempDataDir('shutdown');
      const server = await startToskaStore({ port: 0, dataDir: data.dir }, { logger: false });
      const { port } = new URL(server.url);
      const socket = connect(Number(port), '127.0.0.1');
      const received: string[] = [];
      const socketClosed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('data', (chunk: Buffer) => received.push(chunk.toString('latin1')));
      const body = '{"value":"in flight"}';
      socket.write(
        'PUT /kv/inflight HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n' +
          `expect: 100-continue\r\ncontent-length: ${body.length}\r\n\r\n`,
      );
      // 100 Continue means the server has the request and waits for its body: it is in flight.
      await eventually(() => expect(received.join('')).toContain('100 Continue'));
      const closing = server.close();
      await sleep(50);
      await expect(send(server.url, { path: '/status' })).rejects.toThrow();
      socket.write(body);
      await closing;
      await socketClosed;
      const answer = received.join('');
      expect(answer).toMatch(/HTTP\/1\.1 200 OK/);
      expect(answer).toContain('{"key":"inflight","ok":true}');
      // The write was acknowledged before the engine closed, so it is on disk.
      const reopened = await startToskaStore({ port: 0, dataDir: data.dir }, { logger: false });
      expect(reopened.engine.get('inflight')?.value).toBe('in flight');
      await reopened.close();
      await expect(server.engine.put('after', 'close', null)).rejects.toThrow();
      data.remove();
    });
  });

  describe('store failures', () => {
    const data = tempDataDir('down');
    let url: string;
    let moduleRef: TestingModule;

    beforeAll(async () => {
      ({ url, moduleRef } = await startWith({ port: 0, dataDir: data.dir }, { engine: new DownEngine() }));
    });

    afterAll(async () => {
      await moduleRef.close();
      data.remove();
    });

    it.each([
      ['GET', '/kv/k', undefined, 'KV store unavailable', 'engine is down'],
      ['PUT', '/kv/k', '{"value":"v"}', 'KV store unavailable', 'engine is down'],
      ['DELETE', '/kv/k', undefined, 'KV store unavailable', 'engine is down'],
      ['POST', '/kv/mget', '{"keys":["a"]}', 'KV store unavailable', 'engine is down'],
      ['GET', '/kv/keys', undefined, 'KV store unavailable', 'engine is down'],
      ['GET', '/stats', undefined, 'KV store unavailable', 'engine is down'],
      ['GET', '/replication/info', undefined, 'KV store unavailable', 'engine is down'],
      ['GET', '/replication/snapshot', undefined, 'Snapshot unavailable', 'disk full'],
      ['GET', '/replication/aof', undefined, 'AOF unavailable', 'AOF closed'],
    ])('answers %s %s with 503 and a string reason', async (method, path, body, error, reason) => {
      const res = await send(url, { method, path, body, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(503);
      expect(res.json()).toEqual({ error, reason });
    });
  });

  describe('GET /replication/status', () => {
    const data = tempDataDir('status');
    const started: TestingModule[] = [];

    afterAll(async () => {
      for (const moduleRef of started) await moduleRef.close();
      data.remove();
    });

    async function statusWith(
      follower: FollowerStatusSource,
      replicaUrl = 'http://127.0.0.1:9',
    ): Promise<{ status: number; body: unknown }> {
      const { url, moduleRef } = await startWith({ port: 0, dataDir: data.dir, replicaUrl }, { follower });
      started.push(moduleRef);
      const res = await send(url, { path: '/replication/status' });
      return { status: res.status, body: res.json() };
    }

    it('never answers 500: a throwing follower gives 503 with a string reason', async () => {
      const answer = await statusWith({
        status: () => {
          throw new Error('leader unreachable');
        },
      });
      expect(answer).toEqual({
        status: 503,
        body: { error: 'Follower unavailable', reason: 'leader unreachable' },
      });
    });

    it('gives 503, not 500, for a status that cannot be serialized', async () => {
      const answer = await statusWith({ status: () => ({ last_error: 10n }) });
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({ error: 'Follower unavailable', reason: expect.any(String) });
    });

    it('gives 404 when the follower reports it is not running', async () => {
      const answer = await statusWith({ status: () => null });
      expect(answer).toEqual({ status: 404, body: { error: 'Follower not running' } });
    });

    it('answers the status of an async source', async () => {
      const answer = await statusWith({
        status: () => Promise.resolve({ leader_url: 'http://x', offset: 3 }),
      });
      expect(answer).toEqual({ status: 200, body: { leader_url: 'http://x', offset: 3 } });
    });
  });

  describe('mget of a follower', () => {
    it('is not a write: POST /kv/mget works on a follower', async () => {
      const data = tempDataDir('ro-mget');
      const { url, moduleRef } = await startWith(
        { port: 0, dataDir: data.dir, replicaUrl: 'http://127.0.0.1:9' },
        { follower: { status: () => null } },
      );
      try {
        const res = await postJson(url, '/kv/mget', { keys: ['a'] });
        expect(res.json()).toEqual({ values: { a: null } });
      } finally {
        await moduleRef.close();
        data.remove();
      }
    });
  });
});
