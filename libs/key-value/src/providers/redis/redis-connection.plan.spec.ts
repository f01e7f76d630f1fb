import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { Cluster, Redis } from 'ioredis';
import { resolveRedisOptions } from '../../key-value-options.validation.js';
import type { RedisKeyValueOptions } from '../../key-value-options.js';
import { escapeGlob } from './redis-client.factory.js';
import { planRedisConnection, redact } from './redis-connection.plan.js';
import { RedisKeyValueStore } from './redis.store.js';

const plan = (options: RedisKeyValueOptions) => planRedisConnection(resolveRedisOptions(options));

describe('planRedisConnection', () => {
  it('connects standalone to redis://127.0.0.1:6379 by default', () => {
    expect(plan({})).toEqual({ mode: 'standalone', url: 'redis://127.0.0.1:6379' });
  });

  it('puts the database option into the URL path, overriding the URL one', () => {
    expect(plan({ url: 'rediss://u:p@cache:6380/1', database: 4 })).toEqual({
      mode: 'standalone',
      url: 'rediss://u:p@cache:6380/4',
    });
  });

  it('reads a redis-cluster:// URL as cluster seed nodes with credentials', () => {
    expect(plan({ url: 'redis-cluster://app:s%40cret@10.0.0.1:7000,10.0.0.2,[::1]:7002' })).toEqual({
      mode: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 6379 },
        { host: '::1', port: 7002 },
      ],
      username: 'app',
      password: 's@cret',
    });
  });

  it('reads a redis-sentinel:// URL as sentinels, primary name and database', () => {
    expect(plan({ url: 'redis-sentinel://:pw@s1:26380,s2/mymaster/3' })).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 's1', port: 26380 },
        { host: 's2', port: 26379 },
      ],
      name: 'mymaster',
      database: 3,
      password: 'pw',
    });
  });

  it('prefers the cluster option over the URL', () => {
    expect(
      plan({ url: 'redis://ignored', cluster: { nodes: ['n1:7000', { host: 'n2', port: 7001 }] } }),
    ).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
    });
  });

  it.each<[string, RedisKeyValueOptions, RegExp]>([
    ['an unknown scheme', { url: 'http://cache:6379' }, /keyValue\.redis\.url.*must be a Redis URL/],
    ['a cluster without nodes', { cluster: { nodes: [] } }, /keyValue\.redis\.cluster\.nodes/],
    ['a cluster node without a port number', { cluster: { nodes: ['n1:x'] } }, /not host:port/],
    ['a cluster database', { url: 'redis-cluster://n1:7000', database: 2 }, /must be 0 with Redis Cluster/],
    ['a sentinel URL without a name', { url: 'redis-sentinel://s1:26379' }, /name of the monitored primary/],
    ['a sentinel option without a name', { sentinel: { sentinels: ['s1'], name: ' ' } }, /sentinel\.name/],
    ['a negative database', { database: -1 }, /keyValue\.redis\.database/],
    ['a zero command timeout', { commandTimeoutMs: 0 }, /keyValue\.redis\.commandTimeoutMs/],
  ])('throws MeshConfigError for %s', (_label, options, message) => {
    expect(() => plan(options)).toThrow(MeshConfigError);
    expect(() => plan(options)).toThrow(message);
  });

  it('never shows the password of a rejected URL', () => {
    expect(() => plan({ url: 'redis-sentinel://user:topsecret@s1' })).not.toThrow(/topsecret/);
    expect(redact('redis://user:topsecret@h:1')).toBe('redis://user:***@h:1');
  });
});

describe(RedisKeyValueStore.name, () => {
  describe('constructor', () => {
    it('builds an ioredis Cluster for cluster options, without connecting until used', async () => {
      const store = new RedisKeyValueStore({
        cluster: { nodes: ['10.255.0.1:7000'], password: 'pw' },
        commandTimeoutMs: 750,
      });
      const cluster = store.redis as Cluster;
      expect(cluster).toBeInstanceOf(Cluster);
      expect(cluster.status).toBe('wait');
      expect(cluster.options.redisOptions).toMatchObject({ password: 'pw' });
      // The store bounds calls itself (CommandDeadlines); a per-command ioredis timer is not wanted.
      expect(cluster.options.redisOptions?.commandTimeout).toBeUndefined();
      await store.close();
      expect(['end', 'close', 'disconnecting']).toContain(cluster.status);
    });

    it('builds a Sentinel-backed Redis client for a redis-sentinel URL', async () => {
      const store = new RedisKeyValueStore({ url: 'redis-sentinel://s1:26379/primary/2' });
      const client = store.redis as Redis;
      expect(client).toBeInstanceOf(Redis);
      expect(client.options).toMatchObject({
        name: 'primary',
        db: 2,
        sentinels: [{ host: 's1', port: 26379 }],
      });
      expect(client.status).toBe('wait');
      await store.close();
    });

    it('uses a client it is given and never closes it', async () => {
      const client = new Redis({ lazyConnect: true });
      const store = new RedisKeyValueStore({ client, keyPrefix: 'p' });
      expect(store.redis).toBe(client);
      await store.close();
      expect(client.status).toBe('wait');
      client.disconnect();
    });
  });
});

describe('escapeGlob', () => {
  it('escapes every SCAN glob character', () => {
    expect(escapeGlob('a*b?c[d]e\\f')).toBe('a\\*b\\?c\\[d\\]e\\\\f');
    expect(escapeGlob('plain:key/with space')).toBe('plain:key/with space');
  });
});
