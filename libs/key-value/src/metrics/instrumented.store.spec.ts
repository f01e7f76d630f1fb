import { describe, expect, it } from '@jest/globals';
import { register } from 'prom-client';
import { KeyValueSerializationError } from '../errors/key-value-serialization.error.js';
import { KeyValueUnavailableError } from '../errors/key-value-unavailable.error.js';
import { KeyValueStore } from '../key-value-store.js';
import { MemoryKeyValueStore } from '../providers/memory/memory.store.js';
import { InstrumentedKeyValueStore, instrumentStore } from './instrumented.store.js';
import { KV_OPERATIONS_TOTAL, KV_OPERATION_DURATION_SECONDS } from './key-value.metrics.js';

/** Current value of a counter series (0 when absent). */
async function count(labels: Record<string, string>): Promise<number> {
  const metric = register.getSingleMetric(KV_OPERATIONS_TOTAL);
  const { values } = await metric!.get();
  const match = values.find((value) => Object.entries(labels).every(([k, v]) => value.labels[k] === v));
  return match?.value ?? 0;
}

/** Observation count of the duration histogram for one series. */
async function observations(labels: Record<string, string>): Promise<number> {
  const metric = register.getSingleMetric(KV_OPERATION_DURATION_SECONDS);
  const { values } = await metric!.get();
  const match = values.find(
    (value) =>
      (value as { metricName?: string }).metricName === `${KV_OPERATION_DURATION_SECONDS}_count` &&
      Object.entries(labels).every(([k, v]) => value.labels[k] === v),
  );
  return match?.value ?? 0;
}

/** A store whose entries() fails after one item, and whose other calls fail outright. */
class BrokenStore extends KeyValueStore {
  override get(): Promise<undefined> {
    return Promise.reject(new KeyValueUnavailableError('broken', 'down'));
  }
  override set(): Promise<void> {
    return Promise.reject(new KeyValueUnavailableError('broken', 'down'));
  }
  override delete(): Promise<boolean> {
    return Promise.resolve(false);
  }
  override getMany<T>(): Promise<Map<string, T>> {
    return Promise.resolve(new Map());
  }
  override keys(): Promise<string[]> {
    return Promise.resolve([]);
  }
  override async *entries<T>(): AsyncIterable<[string, T]> {
    yield ['a', 1 as T];
    throw new KeyValueUnavailableError('broken', 'lost the connection');
  }
}

describe(InstrumentedKeyValueStore.name, () => {
  const provider = `test-${Math.random().toString(16).slice(2, 8)}`;

  describe('operations', () => {
    it('counts successes and errors per operation and observes their duration', async () => {
      const store = instrumentStore(new MemoryKeyValueStore(), provider);
      await store.set('a', 1);
      await store.get('a');
      await store.get('missing');
      await expect(store.set('bad', () => 1)).rejects.toBeInstanceOf(KeyValueSerializationError);
      await store.getMany(['a']);
      await store.keys();
      await store.delete('a');

      expect(await count({ provider, operation: 'get', outcome: 'success' })).toBe(2);
      expect(await count({ provider, operation: 'set', outcome: 'success' })).toBe(1);
      expect(await count({ provider, operation: 'set', outcome: 'error' })).toBe(1);
      expect(await count({ provider, operation: 'get_many', outcome: 'success' })).toBe(1);
      expect(await count({ provider, operation: 'keys', outcome: 'success' })).toBe(1);
      expect(await count({ provider, operation: 'delete', outcome: 'success' })).toBe(1);
      expect(await observations({ provider, operation: 'set' })).toBe(2);
      await store.close();
    });

    it('passes results and errors through unchanged', async () => {
      const broken = instrumentStore(new BrokenStore(), `${provider}-broken`);
      await expect(broken.get('x')).rejects.toBeInstanceOf(KeyValueUnavailableError);
      expect(await count({ provider: `${provider}-broken`, operation: 'get', outcome: 'error' })).toBe(1);
    });
  });

  describe('entries', () => {
    it('counts one success per complete or abandoned iteration', async () => {
      const memory = new MemoryKeyValueStore();
      const store = instrumentStore(memory, `${provider}-entries`);
      for (const key of ['a', 'b', 'c']) await memory.set(key, key);
      const all: string[] = [];
      for await (const [key] of store.entries()) all.push(key);
      for await (const entry of store.entries()) {
        expect(entry[0]).toBe('a');
        break;
      }
      expect(all).toEqual(['a', 'b', 'c']);
      expect(await count({ provider: `${provider}-entries`, operation: 'entries', outcome: 'success' })).toBe(
        2,
      );
      await store.close();
    });

    it('counts an error when the inner iteration fails', async () => {
      const store = instrumentStore(new BrokenStore(), `${provider}-entries-broken`);
      const seen: string[] = [];
      const run = async () => {
        for await (const [key] of store.entries()) seen.push(key);
      };
      await expect(run()).rejects.toBeInstanceOf(KeyValueUnavailableError);
      expect(seen).toEqual(['a']);
      const labels = { provider: `${provider}-entries-broken`, operation: 'entries' };
      expect(await count({ ...labels, outcome: 'error' })).toBe(1);
      expect(await count({ ...labels, outcome: 'success' })).toBe(0);
    });
  });

  describe('metrics registration', () => {
    it('reuses the registered metrics when many stores are created', () => {
      instrumentStore(new BrokenStore(), 'a');
      instrumentStore(new BrokenStore(), 'b');
      expect(register.getSingleMetric(KV_OPERATIONS_TOTAL)).toBeDefined();
    });
  });
});
