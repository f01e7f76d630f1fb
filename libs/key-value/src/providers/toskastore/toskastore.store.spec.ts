import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { MeshConfigError, MeshValidationError } from '@toskamesh/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { KeyValueSerializationError } from '../../errors/key-value-serialization.error.js';
import { KeyValueUnavailableError } from '../../errors/key-value-unavailable.error.js';
import { KeyValueAccessDeniedError } from './key-value-access-denied.error.js';
import { ToskaStoreKeyValueStore } from './toskastore.store.js';
import type { ToskaStoreStoreOptions } from './toskastore.options.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** The KV surface of contract §3 in memory, with its routing quirks, auth and the §1.1 body rules. */
class FakeToskaStore {
  readonly data = new Map<string, string>();
  seen: Seen[] = [];
  /** `false` plays an old server without `GET /kv/keys`. */
  listing = true;
  health = { code: 200, status: 'healthy' };
  /** Answer of the next KV request, whatever it is. */
  override: { status: number; body: unknown } | undefined;

  handle(seen: Seen, response: ServerResponse): void {
    const segments = seen.url.split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
    const query = new URL(seen.url, 'http://x').searchParams;
    if (segments[0] === 'health') return send(response, this.health.code, { status: this.health.status });
    if (seen.headers.authorization !== 'Bearer s3cret') return send(response, 401, { error: 'Unauthorized' });
    const { override } = this;
    this.override = undefined;
    if (override) return send(response, override.status, override.body);
    const [, key] = segments;
    if (segments.length !== 2 || key === undefined) return send(response, 404, { error: 'Not Found' });
    if (seen.method === 'GET' && key === 'keys' && this.listing) {
      const prefix = query.get('prefix') ?? '';
      const limit = Number(query.get('limit') ?? 100);
      const keys = [...this.data.keys()].filter((k) => k.startsWith(prefix)).reverse();
      return send(response, 200, { keys: keys.slice(0, limit) });
    }
    if (seen.method === 'POST' && key === 'mget') {
      const { keys } = seen.body as { keys: string[] };
      return send(response, 200, {
        values: Object.fromEntries(keys.map((k) => [k, this.data.get(k) ?? null])),
      });
    }
    if (seen.method === 'GET') {
      const value = this.data.get(key);
      return value === undefined
        ? send(response, 404, { error: 'Not Found', key })
        : send(response, 200, { key, value });
    }
    if (seen.method === 'DELETE') {
      this.data.delete(key);
      return send(response, 200, { ok: true, key });
    }
    if (seen.method === 'PUT') return this.put(key, seen, response);
    send(response, 404, { error: 'Not Found' });
  }

  private put(key: string, seen: Seen, response: ServerResponse): void {
    // Without a JSON content type the server ignores the body (§1.1).
    const body = (/^application\/json/.test(seen.headers['content-type'] ?? '') ? seen.body : {}) as {
      value?: unknown;
    };
    if (typeof body.value !== 'string') return send(response, 400, { error: 'Value must be a string' });
    this.data.set(key, body.value);
    send(response, 200, { ok: true, key });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
}

describe(ToskaStoreKeyValueStore.name, () => {
  const fake = new FakeToskaStore();
  let server: Server;
  let baseUrl: string;
  const stores: ToskaStoreKeyValueStore[] = [];
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

  const create = (options: ToskaStoreStoreOptions = {}) => {
    const store = new ToskaStoreKeyValueStore(
      { baseUrl, authToken: 's3cret', keyPrefix: 'svc', ...options },
      { metricsRegistry: new Registry(), retry: { maxAttempts: 1 } },
    );
    stores.push(store);
    return store;
  };
  const requests = (method: string) => fake.seen.filter((seen) => seen.method === method);

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const seen = {
          method: request.method!,
          url: request.url!,
          headers: request.headers,
          body: undefined,
        };
        fake.seen.push({ ...seen, body: text ? JSON.parse(text) : undefined });
        fake.handle(fake.seen.at(-1)!, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    fake.data.clear();
    fake.seen = [];
    fake.listing = true;
    fake.health = { code: 200, status: 'healthy' };
    fake.override = undefined;
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    warn.mockClear();
  });
  afterAll(async () => {
    warn.mockRestore();
    await new Promise((resolve) => server.close(resolve));
  });

  describe('set', () => {
    it('stores the JSON text of the value under the prefixed key, with JSON content type and bearer token', async () => {
      await create().set('user', { name: 'Ada', tags: ['x'] });
      expect(fake.data.get('svc:user')).toBe('{"name":"Ada","tags":["x"]}');
      const [put] = requests('PUT');
      expect(put!.url).toBe('/kv/svc%3Auser');
      expect(put!.headers['content-type']).toBe('application/json');
      expect(put!.headers.authorization).toBe('Bearer s3cret');
      expect(put!.body).toEqual({ value: '{"name":"Ada","tags":["x"]}' });
    });

    it.each([
      ['a/b', '/kv/svc%3Aa%2Fb'],
      ['50%', '/kv/svc%3A50%25'],
      ['with space', '/kv/svc%3Awith%20space'],
      ['ünï-日本', '/kv/svc%3A%C3%BCn%C3%AF-%E6%97%A5%E6%9C%AC'],
      ['q?x#y+z', '/kv/svc%3Aq%3Fx%23y%2Bz'],
    ])('sends key %p as one percent-encoded segment (%s) and reads it back', async (key, path) => {
      const store = create();
      await store.set(key, 1);
      expect(requests('PUT')[0]!.url).toBe(path);
      expect(fake.data.has(`svc:${key}`)).toBe(true);
      await expect(store.get(key)).resolves.toBe(1);
    });

    it('spells the keys "." and ".." with %2E so no URL parser takes them as dot segments', async () => {
      const store = create({ keyPrefix: '' });
      await store.set('..', 'up');
      expect(requests('PUT')[0]!.url).toBe('/kv/%2E%2E');
      await expect(store.get('..')).resolves.toBe('up');
    });

    it('sends ttl_ms as a whole number, rounding a fraction up', async () => {
      await create().set('t', 'v', { ttlMs: 1500.2 });
      expect(requests('PUT')[0]!.body).toEqual({ value: '"v"', ttl_ms: 1501 });
    });

    it('deletes with DELETE, not the server quirk, when ttlMs <= 0', async () => {
      fake.data.set('svc:t', '"old"');
      await create().set('t', 'v', { ttlMs: 0 });
      expect(requests('PUT')).toHaveLength(0);
      expect(requests('DELETE')[0]!.url).toBe('/kv/svc%3At');
      expect(fake.data.has('svc:t')).toBe(false);
    });

    it('refuses a value JSON cannot carry before any request', async () => {
      await expect(create().set('f', () => 1)).rejects.toThrow(KeyValueSerializationError);
      expect(fake.seen).toHaveLength(0);
    });
  });

  describe('get', () => {
    it('returns undefined when the server answers 404', async () => {
      await expect(create().get('missing')).resolves.toBeUndefined();
    });

    it('throws KeyValueSerializationError naming the key when the stored text is not JSON', async () => {
      fake.data.set('svc:raw', 'not json');
      const error = await create()
        .get('raw')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeyValueSerializationError);
      expect((error as KeyValueSerializationError).key).toBe('raw');
    });

    it('reads a stored key named "keys" through mget, since GET /kv/keys is the listing route', async () => {
      fake.data.set('keys', '"listing is not me"');
      await expect(create({ keyPrefix: '' }).get('keys')).resolves.toBe('listing is not me');
      expect(requests('POST')[0]!.body).toEqual({ keys: ['keys'] });
    });
  });

  describe('delete', () => {
    it('reports whether the key existed, since DELETE always answers 200', async () => {
      fake.data.set('svc:here', '1');
      const store = create();
      await expect(store.delete('here')).resolves.toBe(true);
      await expect(store.delete('here')).resolves.toBe(false);
      expect(requests('DELETE')).toHaveLength(2);
    });
  });

  describe('getMany', () => {
    it('asks mget for the PREFIXED keys and answers by caller key, leaving out missing ones', async () => {
      // Regression: the .NET original sent unprefixed keys to kv/mget, so listing found nothing under a prefix.
      fake.data.set('svc:a', '1');
      fake.data.set('svc:c', '{"x":3}');
      const result = await create().getMany(['a', 'b', 'c', 'a']);
      expect([...result]).toEqual([
        ['a', 1],
        ['c', { x: 3 }],
      ]);
      const [mget] = requests('POST');
      expect(mget!.url).toBe('/kv/mget');
      expect(mget!.headers['content-type']).toBe('application/json');
      expect(mget!.body).toEqual({ keys: ['svc:a', 'svc:b', 'svc:c'] });
    });

    it('splits a large key list into mget chunks of 500', async () => {
      const keys = Array.from({ length: 1201 }, (_, i) => `k${i}`);
      keys.slice(0, 3).forEach((key) => fake.data.set(`svc:${key}`, '0'));
      const result = await create().getMany(keys);
      expect(result.size).toBe(3);
      expect(requests('POST').map((seen) => (seen.body as { keys: string[] }).keys.length)).toEqual([
        500, 500, 201,
      ]);
    });
  });

  describe('keys', () => {
    it('lists under the store prefix, strips it and sorts', async () => {
      ['svc:b1', 'svc:a1', 'svc:a2', 'other:a3'].forEach((key) => fake.data.set(key, '0'));
      await expect(create().keys('a')).resolves.toEqual(['a1', 'a2']);
      expect(requests('GET')[0]!.url).toBe('/kv/keys?prefix=svc%3Aa&limit=100');
    });

    it('percent-encodes the prefix so "+" and spaces survive the query decoder, and passes the limit', async () => {
      await create().keys('a+b c', { limit: 7 });
      expect(requests('GET')[0]!.url).toBe('/kv/keys?prefix=svc%3Aa%2Bb%20c&limit=7');
    });

    it('answers [] for limit 0 without a request', async () => {
      await expect(create().keys('', { limit: 0 })).resolves.toEqual([]);
      expect(fake.seen).toHaveLength(0);
    });

    it('throws MeshConfigError saying to enable the key index when the server has no /kv/keys', async () => {
      fake.listing = false;
      const error = await create()
        .keys()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MeshConfigError);
      expect((error as MeshConfigError).key).toBe('keyValue.toskaStore.enableKeyIndex');
    });

    it('falls back to the key index on an old server and prunes listed keys that are gone', async () => {
      fake.listing = false;
      const store = create({ enableKeyIndex: true });
      await store.set('b', 2);
      await store.set('a', 1);
      await store.set('c', 3, { ttlMs: 60_000 });
      fake.data.delete('svc:c'); // as if its TTL lapsed
      await expect(store.keys()).resolves.toEqual(['a', 'b']);
      await store.close(); // waits for the queued prune
      expect(JSON.parse(fake.data.get('svc:__keys')!)).toEqual(['a', 'b']);
    });
  });

  describe('entries', () => {
    it('streams every [key, value] under the prefix in key order', async () => {
      fake.data.set('svc:x2', '2');
      fake.data.set('svc:x1', '1');
      fake.data.set('svc:y', '9');
      const seen: Array<[string, unknown]> = [];
      for await (const entry of create().entries('x')) seen.push(entry);
      expect(seen).toEqual([
        ['x1', 1],
        ['x2', 2],
      ]);
    });
  });

  describe('key index', () => {
    it('keeps the unprefixed key list under the prefixed index key and hides it from listings', async () => {
      const store = create({ enableKeyIndex: true });
      await store.set('one', 1);
      await store.set('two', 2);
      await store.delete('one');
      expect(fake.data.get('svc:__keys')).toBe('["two"]');
      await expect(store.keys()).resolves.toEqual(['two']);
    });

    it('refuses writes to the index key itself', async () => {
      await expect(create({ enableKeyIndex: true }).set('__keys', [])).rejects.toThrow(MeshValidationError);
    });
  });

  describe('errors', () => {
    it('turns 401 into KeyValueAccessDeniedError about the auth token', async () => {
      const error = await create({ authToken: 'wrong' })
        .get('k')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeyValueAccessDeniedError);
      expect((error as KeyValueAccessDeniedError).code).toBe('MESH_KV_ACCESS_DENIED');
      expect((error as Error).message).toMatch(/auth token was refused/);
    });

    it('turns 400 into MeshValidationError carrying the server message', async () => {
      fake.override = { status: 400, body: { error: 'Invalid prefix' } };
      const error = await create()
        .keys('p')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MeshValidationError);
      expect((error as MeshValidationError).errors).toEqual(['Invalid prefix (HTTP 400)']);
    });

    it('turns 500 into KeyValueUnavailableError with the status', async () => {
      fake.override = { status: 500, body: '' };
      const error = await create()
        .get('k')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeyValueUnavailableError);
      expect((error as KeyValueUnavailableError).details).toMatchObject({ status: 500 });
    });
  });

  describe('ping', () => {
    it('resolves when /health answers 200 and rejects with the status otherwise', async () => {
      const store = create({ authToken: '' });
      await expect(store.ping()).resolves.toBeUndefined();
      fake.health = { code: 503, status: 'starting' };
      const error = await store.ping().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeyValueUnavailableError);
      expect((error as KeyValueUnavailableError).details).toEqual({ provider: 'toskastore', status: 503 });
      expect((error as Error).message).toMatch(/503 \(starting\)/);
    });
  });
});
