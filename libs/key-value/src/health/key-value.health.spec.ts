import { describe, expect, it, jest } from '@jest/globals';
import { HealthIndicatorService } from '@nestjs/terminus';
import { KeyValueUnavailableError } from '../errors/key-value-unavailable.error.js';
import type { KeyValueModuleOptions } from '../key-value-options.js';
import type { KeyValueStore } from '../key-value-store.js';
import { instrumentStore } from '../metrics/instrumented.store.js';
import { MemoryKeyValueStore } from '../providers/memory/memory.store.js';
import { KeyValueHealthIndicator } from './key-value.health.js';
import { HEALTH_PROBE_KEY } from './pingable-store.js';

function indicator(store: KeyValueStore, options: KeyValueModuleOptions = {}): KeyValueHealthIndicator {
  return new KeyValueHealthIndicator(store, new HealthIndicatorService(), options);
}

/** A memory store whose ping is replaced. */
function withPing(ping: (signal?: AbortSignal) => Promise<void>): KeyValueStore {
  const store = new MemoryKeyValueStore();
  store.ping = ping;
  return instrumentStore(store, 'redis');
}

describe(KeyValueHealthIndicator.name, () => {
  describe('check', () => {
    it('reports up with the provider name for a store that answers', async () => {
      const store = instrumentStore(new MemoryKeyValueStore(), 'memory');
      expect(await indicator(store).check()).toEqual({
        'key-value': { status: 'up', provider: 'memory', responseTime: expect.any(Number) },
      });
      await store.close();
    });

    it('uses the key it is given', async () => {
      const store = new MemoryKeyValueStore();
      expect(await indicator(store).check('cache')).toMatchObject({ cache: { status: 'up' } });
      await store.close();
    });

    it('reports down with the error message when the ping fails, without throwing', async () => {
      const store = withPing(() =>
        Promise.reject(new KeyValueUnavailableError('redis', 'PING failed: ECONNREFUSED')),
      );
      expect(await indicator(store).check()).toMatchObject({
        'key-value': { status: 'down', message: expect.stringMatching(/ECONNREFUSED/) },
      });
    });

    it('reports down once healthTimeoutMs passes and aborts the ping', async () => {
      let aborted = false;
      const store = withPing(
        (signal) =>
          new Promise<void>(() => {
            signal?.addEventListener('abort', () => (aborted = true));
          }),
      );
      expect(await indicator(store, { healthTimeoutMs: 20 }).check()).toMatchObject({
        'key-value': { status: 'down', message: 'timeout of 20ms exceeded' },
      });
      expect(aborted).toBe(true);
    });

    it('falls back to one get of the probe key for a store without ping', async () => {
      const store = new MemoryKeyValueStore();
      const plain = instrumentStore(
        Object.assign(Object.create(store) as MemoryKeyValueStore, { ping: undefined }),
        'custom',
      );
      const get = jest.spyOn(store, 'get');
      expect(await indicator(plain).check()).toMatchObject({ 'key-value': { status: 'up' } });
      expect(get).toHaveBeenCalledWith(HEALTH_PROBE_KEY);
      await store.close();
    });
  });
});
