import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { KeyValueSerializationError } from '../../errors/key-value-serialization.error.js';
import { MemoryKeyValueStore } from './memory.store.js';

describe(MemoryKeyValueStore.name, () => {
  let store: MemoryKeyValueStore;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    store = new MemoryKeyValueStore({ keyPrefix: 'svc', sweepIntervalMs: 1_000 });
  });

  afterEach(async () => {
    await store.close();
    jest.useRealTimers();
  });

  /** Number of entries held in the map, expired or not (what the sweep frees). */
  const held = (target: MemoryKeyValueStore) =>
    (target as unknown as { entriesByKey: Map<string, unknown> }).entriesByKey.size;

  describe('set', () => {
    it('expires a key exactly when its TTL has passed', async () => {
      await store.set('k', 'v', { ttlMs: 500 });
      jest.advanceTimersByTime(499);
      expect(await store.get('k')).toBe('v');
      jest.advanceTimersByTime(1);
      expect(await store.get('k')).toBeUndefined();
    });

    it('clears an earlier TTL when set again without one', async () => {
      await store.set('k', 1, { ttlMs: 100 });
      await store.set('k', 2);
      jest.advanceTimersByTime(10_000);
      expect(await store.get('k')).toBe(2);
    });

    it('deletes the key when ttlMs <= 0', async () => {
      await store.set('k', 1);
      await store.set('k', 2, { ttlMs: 0 });
      expect(await store.get('k')).toBeUndefined();
      expect(held(store)).toBe(0);
    });

    it('stores JSON text, so later mutation by the caller does not leak in', async () => {
      const value = { list: [1] };
      await store.set('k', value);
      value.list.push(2);
      expect(await store.get('k')).toEqual({ list: [1] });
    });

    it('rejects a value JSON cannot carry and keeps the old one', async () => {
      await store.set('k', 'old');
      await expect(store.set('k', { f: () => 1 })).rejects.toBeInstanceOf(KeyValueSerializationError);
      expect(await store.get('k')).toBe('old');
    });
  });

  describe('sweep', () => {
    it('frees expired entries on the timer even when nobody reads them', async () => {
      await store.set('a', 1, { ttlMs: 200 });
      await store.set('b', 2);
      expect(held(store)).toBe(2);
      jest.advanceTimersByTime(1_000);
      expect(held(store)).toBe(1);
    });

    it('stops on close (no timer left behind)', async () => {
      const other = new MemoryKeyValueStore({ sweepIntervalMs: 50 });
      expect(jest.getTimerCount()).toBe(2);
      await other.close();
      await other.close();
      expect(jest.getTimerCount()).toBe(1);
    });
  });

  describe('keys', () => {
    it('lists sorted caller keys under the prefix, without expired ones, up to limit', async () => {
      await store.set('user/b', 1);
      await store.set('user/a', 1);
      await store.set('user/c', 1, { ttlMs: 10 });
      await store.set('order/1', 1);
      jest.advanceTimersByTime(10);
      expect(await store.keys('user/')).toEqual(['user/a', 'user/b']);
      expect(await store.keys('', { limit: 2 })).toEqual(['order/1', 'user/a']);
      expect(await store.keys('user/', { limit: 0 })).toEqual([]);
    });

    it('does not see keys of a store with another prefix sharing nothing', async () => {
      const other = new MemoryKeyValueStore({ keyPrefix: 'other' });
      await other.set('k', 1);
      expect(await store.keys()).toEqual([]);
      await other.close();
    });
  });

  describe('entries', () => {
    it('pages through every live entry in key order', async () => {
      for (let index = 0; index < 250; index += 1)
        await store.set(`k${String(index).padStart(3, '0')}`, index);
      const seen: Array<[string, unknown]> = [];
      for await (const entry of store.entries('k')) seen.push(entry);
      expect(seen).toHaveLength(250);
      expect(seen[0]).toEqual(['k000', 0]);
      expect(seen[249]).toEqual(['k249', 249]);
    });
  });

  describe('getMany', () => {
    it('returns present keys once each and skips expired ones', async () => {
      await store.set('a', 1);
      await store.set('b', 2, { ttlMs: 5 });
      jest.advanceTimersByTime(5);
      const found = await store.getMany(['a', 'b', 'a', 'zz']);
      expect([...found]).toEqual([['a', 1]]);
    });
  });

  describe('constructor', () => {
    it('rejects a non-positive sweep interval with MeshConfigError', () => {
      expect(() => new MemoryKeyValueStore({ sweepIntervalMs: 0 })).toThrow(MeshConfigError);
    });
  });
});
