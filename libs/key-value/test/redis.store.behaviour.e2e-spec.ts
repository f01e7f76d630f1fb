import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  KeyValueSerializationError,
  KeyValueUnavailableError,
  RedisKeyValueStore,
} from '@toskamesh/key-value';
import { uniqueName, REDIS_URL, deleteKeysUnder, rawRedis } from '@toskamesh/testing';
import type { Redis } from 'ioredis';

/** What the Redis provider does beneath the contract: commands, wire format, errors, connections. */
describe(RedisKeyValueStore.name, () => {
  const keyPrefix = uniqueName('test:kv');
  let store: RedisKeyValueStore;
  let raw: Redis;

  beforeAll(() => {
    store = new RedisKeyValueStore({ url: REDIS_URL, keyPrefix, batchSize: 7, scanCount: 10 });
    raw = rawRedis();
  });

  afterAll(async () => {
    await store.close();
    await deleteKeysUnder(keyPrefix);
    await raw.quit();
  });

  describe('set', () => {
    it('writes JSON under "<prefix>:<key>" with a PX expiry', async () => {
      await store.set('user/1', { name: 'Ada' }, { ttlMs: 60_000 });
      expect(await raw.get(`${keyPrefix}:user/1`)).toBe('{"name":"Ada"}');
      const pttl = await raw.pttl(`${keyPrefix}:user/1`);
      expect(pttl).toBeGreaterThan(55_000);
      expect(pttl).toBeLessThanOrEqual(60_000);
    });

    it('clears the expiry with a plain SET', async () => {
      await store.set('ttl', 1, { ttlMs: 60_000 });
      await store.set('ttl', 2);
      expect(await raw.pttl(`${keyPrefix}:ttl`)).toBe(-1);
    });
  });

  describe('get', () => {
    it('reads keys written by the .NET original (prefix with ":" and camelCase JSON)', async () => {
      const dotnet = new RedisKeyValueStore({ url: REDIS_URL, keyPrefix: `${keyPrefix}:` });
      await raw.set(`${keyPrefix}:profile:42`, '{"displayName":"Grace","tags":["a"]}');
      expect(await dotnet.get('profile:42')).toEqual({ displayName: 'Grace', tags: ['a'] });
      expect(await store.get('profile:42')).toEqual({ displayName: 'Grace', tags: ['a'] });
      await dotnet.close();
    });

    it('throws KeyValueSerializationError for stored bytes that are not JSON', async () => {
      await raw.set(`${keyPrefix}:garbage`, 'not json {');
      await expect(store.get('garbage')).rejects.toBeInstanceOf(KeyValueSerializationError);
      await expect(store.getMany(['garbage'])).rejects.toThrow(
        /"garbage" is stored as text that is not JSON/,
      );
    });

    it('treats an empty stored string as missing, like the .NET original', async () => {
      await raw.set(`${keyPrefix}:empty`, '');
      expect(await store.get('empty')).toBeUndefined();
    });
  });

  describe('getMany', () => {
    it('splits a long key list into pipelined MGET chunks and keeps the caller keys', async () => {
      const keys = Array.from({ length: 30 }, (_, index) => `many/${index}`);
      for (const key of keys.filter((_, index) => index % 3 === 0)) await store.set(key, key);
      const found = await store.getMany([...keys, 'many/0']);
      expect([...found.keys()].sort()).toEqual(keys.filter((_, index) => index % 3 === 0).sort());
      expect(found.get('many/27')).toBe('many/27');
    });
  });

  describe('ping', () => {
    it('answers for a reachable server', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });

  describe('database', () => {
    it('selects the database from the option', async () => {
      const other = new RedisKeyValueStore({ url: REDIS_URL, keyPrefix, database: 3 });
      await other.set('db-check', 'three');
      expect(await store.get('db-check')).toBeUndefined();
      expect(await other.get('db-check')).toBe('three');
      await other.delete('db-check');
      await other.close();
    });
  });

  describe('errors', () => {
    it('fails with KeyValueUnavailableError when Redis cannot be reached', async () => {
      // Port 1 on loopback refuses at once; the bounded retry gives up quickly.
      const down = new RedisKeyValueStore({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 500 });
      const started = Date.now();
      const error = await down.get('k').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(KeyValueUnavailableError);
      expect(error).toMatchObject({ code: 'MESH_KV_UNAVAILABLE', retryable: true });
      expect(Date.now() - started).toBeLessThan(5_000);
      await expect(down.ping()).rejects.toBeInstanceOf(KeyValueUnavailableError);
      await down.close();
    });
  });

  describe('close', () => {
    it('quits its own connection and is safe to call twice', async () => {
      const own = new RedisKeyValueStore({ url: REDIS_URL, keyPrefix });
      await own.ping();
      await own.close();
      await own.close();
      expect(own.redis.status).toBe('end');
    });
  });
});
