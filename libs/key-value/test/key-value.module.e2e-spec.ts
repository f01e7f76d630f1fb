import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  KeyValueHealthIndicator,
  KeyValueModule,
  KeyValueStore,
  keyValueOptionsFromEnv,
} from '@toskamesh/key-value';
import { uniqueName, REDIS_URL, deleteKeysUnder, rawRedis } from '@toskamesh/testing';
import type { Redis } from 'ioredis';

describe(KeyValueModule.name, () => {
  const serviceName = uniqueName('test:kv-module');
  let raw: Redis;

  beforeAll(() => {
    raw = rawRedis();
  });

  afterAll(async () => {
    await deleteKeysUnder(serviceName);
    await raw.quit();
  });

  describe('forRootAsync', () => {
    let moduleRef: TestingModule;

    beforeAll(async () => {
      const env = {
        Mesh__KeyValue__Provider: 'Redis',
        Mesh__KeyValue__Redis__ConnectionString: new URL(REDIS_URL).host,
        Mesh__Service__ServiceName: serviceName,
      };
      moduleRef = await Test.createTestingModule({
        imports: [KeyValueModule.forRootAsync({ useFactory: () => keyValueOptionsFromEnv(env) })],
      }).compile();
    });

    afterAll(async () => {
      await moduleRef.close();
    });

    it('stores through Redis under the service name as key prefix', async () => {
      const store = moduleRef.get(KeyValueStore);
      await store.set('greeting', { text: 'hi' });
      expect(await raw.get(`${serviceName}:greeting`)).toBe('{"text":"hi"}');
      expect(await store.keys()).toEqual(['greeting']);
    });

    it('reports the Redis health as up', async () => {
      expect(await moduleRef.get(KeyValueHealthIndicator).check()).toMatchObject({
        'key-value': { status: 'up', provider: 'redis' },
      });
    });
  });

  describe('forRoot', () => {
    it('reports down for an unreachable Redis and closes cleanly', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          KeyValueModule.forRoot({
            provider: 'redis',
            redis: { url: 'redis://127.0.0.1:1', commandTimeoutMs: 300 },
            healthTimeoutMs: 1_000,
          }),
        ],
      }).compile();
      expect(await moduleRef.get(KeyValueHealthIndicator).check()).toMatchObject({
        'key-value': { status: 'down' },
      });
      await moduleRef.close();
    });
  });
});
