import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { MeshConfigError } from '@toskamesh/common';
import {
  KeyValueAccessDeniedError,
  KeyValueUnavailableError,
  ToskaStoreKeyValueStore,
  type ToskaStoreStoreOptions,
} from '@toskamesh/key-value';
import { describeKeyValueContract, uniqueName } from '@toskamesh/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { startToskaStore, type ToskaStoreServer } from '../../../apps/toska-store/src/index.js';

/*
 * The ToskaStore provider against the real apps/toska-store server, started in-process on 127.0.0.1:0 with a
 * temporary data dir and auth on: the shared KeyValueStore contract (plain; with the key index kept; and
 * with the key index as the only listing, behind a proxy that hides GET /kv/keys like an old server), then
 * the provider's own wire behaviour.
 */

const TOKEN = `e2e-${uniqueName('tok')}`;
const servers: ToskaStoreServer[] = [];
const dataDirs: string[] = [];
let server: ToskaStoreServer;
let oldServerProxy: Server;
let oldServerUrl: string;

async function startServer(): Promise<ToskaStoreServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'toska-kv-e2e-'));
  dataDirs.push(dataDir);
  const started = await startToskaStore(
    { host: '127.0.0.1', port: 0, dataDir, authToken: TOKEN, syncMode: 'none', ttlCheckIntervalMs: 100 },
    { logger: false },
  );
  servers.push(started);
  return started;
}

/** Forwards to `target`, except `GET /kv/keys`, which it answers as a server without the listing route. */
function hideListing(target: string): Server {
  return createServer((incoming, outgoing) => {
    if (incoming.method === 'GET' && /^\/kv\/keys(\?|$)/.test(incoming.url ?? '')) {
      incoming.resume();
      outgoing.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      outgoing.end(JSON.stringify({ error: 'Not Found', key: 'keys' }));
      return;
    }
    const upstream = forward(
      `${target}${incoming.url ?? '/'}`,
      { method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
}

function storeFor(baseUrl: string, options: ToskaStoreStoreOptions = {}): ToskaStoreKeyValueStore {
  return new ToskaStoreKeyValueStore(
    { baseUrl, authToken: TOKEN, timeoutMs: 2_000, ...options },
    { metricsRegistry: new Registry() },
  );
}

const subject = (baseUrl: () => string, options: ToskaStoreStoreOptions) => async (keyPrefix: string) => {
  const store = storeFor(baseUrl(), { keyPrefix, ...options });
  return { store, close: () => store.close() };
};

// The fallback to the key index is announced once per store; it is expected here.
const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

beforeAll(async () => {
  server = await startServer();
  oldServerProxy = hideListing(server.url);
  await new Promise<void>((resolve) => oldServerProxy.listen(0, '127.0.0.1', resolve));
  oldServerUrl = `http://127.0.0.1:${(oldServerProxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  warn.mockRestore();
  oldServerProxy.closeAllConnections();
  await new Promise((resolve) => oldServerProxy.close(resolve));
  await Promise.all(servers.map((started) => started.close()));
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describeKeyValueContract(
  'toskastore',
  subject(() => server.url, {}),
);
describeKeyValueContract(
  'toskastore with key index',
  subject(() => server.url, { enableKeyIndex: true }),
);
describeKeyValueContract(
  'toskastore key index on a server without /kv/keys',
  subject(() => oldServerUrl, { enableKeyIndex: true }),
);

describe(ToskaStoreKeyValueStore.name, () => {
  const prefix = uniqueName('kv-e2e');
  let store: ToskaStoreKeyValueStore;

  beforeAll(() => {
    store = storeFor(server.url, { keyPrefix: prefix });
  });
  afterAll(() => store.close());

  describe('set', () => {
    it.each(['a/b', '50%', 'with space', 'ünï-日本-🙂', 'q?x#y+z', '..', '%zz'])(
      'stores %p under exactly "<prefix>:<key>" and reads it back',
      async (key) => {
        await store.set(key, { key });
        expect(server.engine.get(`${prefix}:${key}`)?.value).toBe(JSON.stringify({ key }));
        await expect(store.get(key)).resolves.toEqual({ key });
        await expect(store.delete(key)).resolves.toBe(true);
      },
    );
  });

  describe('getMany', () => {
    it('finds values stored under the prefix (the .NET original sent unprefixed keys to mget)', async () => {
      await store.set('m1', 1);
      await store.set('m2', 2);
      const found = await store.getMany(['m1', 'm2', 'm3']);
      expect([...found]).toEqual([
        ['m1', 1],
        ['m2', 2],
      ]);
      await Promise.all(['m1', 'm2'].map((key) => store.delete(key)));
    });
  });

  describe('keys', () => {
    it('lists from the key index on a server without /kv/keys', async () => {
      const old = storeFor(oldServerUrl, { keyPrefix: `${prefix}-old`, enableKeyIndex: true });
      try {
        await Promise.all([old.set('b', 1), old.set('a', 2), old.set('c', 3)]);
        await old.delete('c');
        await expect(old.keys()).resolves.toEqual(['a', 'b']);
        expect(server.engine.get(`${prefix}-old:__keys`)?.value).toBe('["a","b"]');
        await Promise.all(['a', 'b'].map((key) => old.delete(key)));
      } finally {
        await old.close();
      }
    });

    it('says to enable the key index when the server has no /kv/keys and the index is off', async () => {
      const old = storeFor(oldServerUrl, { keyPrefix: prefix });
      try {
        await expect(old.keys()).rejects.toThrow(MeshConfigError);
        await expect(old.keys()).rejects.toThrow(/enableKeyIndex/);
      } finally {
        await old.close();
      }
    });
  });

  describe('errors', () => {
    it('answers a wrong or missing token with KeyValueAccessDeniedError', async () => {
      const wrong = storeFor(server.url, { keyPrefix: prefix, authToken: 'not-the-token' });
      const anonymous = storeFor(server.url, { keyPrefix: prefix, authToken: '' });
      try {
        await expect(wrong.get('x')).rejects.toThrow(KeyValueAccessDeniedError);
        await expect(anonymous.set('x', 1)).rejects.toThrow(/set authToken/);
      } finally {
        await Promise.all([wrong.close(), anonymous.close()]);
      }
    });

    it('reports KeyValueUnavailableError once the server is gone', async () => {
      const doomed = await startServer();
      const orphan = storeFor(doomed.url, { keyPrefix: prefix });
      try {
        await orphan.set('k', 1);
        await doomed.close();
        const error = await orphan.get('k').catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(KeyValueUnavailableError);
      } finally {
        await orphan.close();
      }
    });
  });

  describe('ping', () => {
    it('resolves against the running server', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
});
