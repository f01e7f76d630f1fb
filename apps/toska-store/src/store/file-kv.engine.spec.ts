import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { MeshValidationError } from '@toskamesh/common';
import { instrumentedAof, type InstrumentedAof } from '../../test/fixtures/engine-io.js';
import {
  engineOptions,
  ManualClock,
  RecordingLogger,
  tempDataDir,
} from '../../test/fixtures/engine-harness.js';
import { encodeAofRecord } from './aof-record.codec.js';
import { StoreUnavailableError } from './errors/store-unavailable.error.js';
import type { FileKvEngineOptions } from './file-kv-engine.options.js';
import { FileKvEngine } from './file-kv.engine.js';

describe(FileKvEngine.name, () => {
  let dir: string;
  let remove: () => Promise<void>;
  let clock: ManualClock;
  let io: InstrumentedAof;
  let engine: FileKvEngine;

  async function openEngine(overrides: Partial<FileKvEngineOptions> = {}): Promise<FileKvEngine> {
    engine = await FileKvEngine.open(
      engineOptions(dir, overrides),
      new RecordingLogger(),
      clock.read,
      io.opener,
    );
    return engine;
  }

  async function reopen(overrides: Partial<FileKvEngineOptions> = {}): Promise<FileKvEngine> {
    await engine.close();
    return openEngine(overrides);
  }

  const aof = (): Promise<string> => readFile(join(dir, 'toska.aof'), 'utf8');

  beforeEach(async () => {
    ({ dir, remove } = await tempDataDir());
    clock = new ManualClock();
    io = instrumentedAof();
    await openEngine();
  });

  afterEach(async () => {
    jest.useRealTimers();
    await engine.close();
    await remove();
  });

  describe('put', () => {
    it('stores the value and appends the original record format before resolving', async () => {
      await engine.put('hello', 'world', null);
      expect(engine.get('hello')).toEqual({ value: 'world', expiresAt: null });
      expect(await aof()).toBe(
        encodeAofRecord({ op: 'set', key: 'hello', value: 'world', expiresAt: null }).toString(),
      );
    });

    it('expires the key ttlMs later on the injected clock', async () => {
      await engine.put('k', 'v', 500);
      expect(engine.get('k')?.expiresAt).toBe(clock.now + 500);
      clock.now += 499;
      expect(engine.get('k')?.value).toBe('v');
      clock.now += 1;
      expect(engine.get('k')).toBeUndefined();
    });

    it('deletes the key and logs a del record when ttlMs <= 0', async () => {
      await engine.put('k', 'v', null);
      await engine.put('k', 'v2', 0);
      expect(engine.get('k')).toBeUndefined();
      expect((await aof()).trim().split('\n').pop()).toContain('"op":"del"');
      await engine.put('k', 'v3', -1);
      expect((await aof()).trim().split('\n')).toHaveLength(3);
    });

    it('removes an earlier expiry when written again without ttlMs', async () => {
      await engine.put('k', 'v', 10);
      await engine.put('k', 'v', null);
      clock.now += 1_000;
      expect(engine.get('k')?.value).toBe('v');
    });

    it('rejects a fractional ttl or a lone surrogate without writing', async () => {
      await expect(engine.put('k', 'v', 1.5)).rejects.toBeInstanceOf(MeshValidationError);
      await expect(engine.put('k', '\ud800', null)).rejects.toBeInstanceOf(MeshValidationError);
      expect(await aof()).toBe('');
    });

    it('keeps non-ASCII keys and values across a restart', async () => {
      await engine.put('город/😀', '日本語 Ж', null);
      await engine.put('ctl\u001f', 'x\u0000y', null);
      await reopen();
      expect(engine.get('город/😀')?.value).toBe('日本語 Ж');
      expect(engine.get('ctl\u001f')?.value).toBe('x\u0000y');
      expect(await aof()).toContain('"key":"город/😀"');
    });

    it('fsyncs concurrent writes as one group commit in always mode', async () => {
      const before = { ...io.calls };
      await Promise.all(Array.from({ length: 25 }, (_, i) => engine.put(`k${i}`, `v${i}`, null)));
      expect(io.calls.write - before.write).toBe(1);
      expect(io.calls.datasync - before.datasync).toBe(1);
      expect(engine.keys('k', 100)).toHaveLength(25);
    });

    it('fails with StoreUnavailableError after close', async () => {
      await engine.close();
      await expect(engine.put('k', 'v', null)).rejects.toBeInstanceOf(StoreUnavailableError);
    });
  });

  describe('delete', () => {
    it('logs a del record whether or not the key existed', async () => {
      await engine.delete('never');
      await engine.put('k', 'v', null);
      await engine.delete('k');
      expect(engine.get('k')).toBeUndefined();
      expect((await aof()).match(/"op":"del"/g)).toHaveLength(2);
    });
  });

  describe('mget', () => {
    it('maps missing and expired keys to null', async () => {
      await engine.put('a', '1', null);
      await engine.put('b', '2', 5);
      clock.now += 5;
      expect(engine.mget(['a', 'b', 'c', 'a'])).toEqual(
        new Map([
          ['a', '1'],
          ['b', null],
          ['c', null],
        ]),
      );
    });
  });

  describe('keys', () => {
    it('lists at most limit live keys with the prefix, sorted', async () => {
      for (const key of ['p3', 'p1', 'q1', 'p2', 'pX']) await engine.put(key, 'v', key === 'pX' ? 1 : null);
      clock.now += 1;
      expect(engine.keys('p', 100)).toEqual(['p1', 'p2', 'p3']);
      expect(engine.keys('p', 2)).toEqual(['p1', 'p2']);
      expect(engine.keys('', 0)).toEqual([]);
    });
  });

  describe('sweepExpired', () => {
    it('removes expired rows without logging them, and runs on the ttl timer', async () => {
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      await reopen({ ttlCheckIntervalMs: 1_000 });
      await engine.put('gone', 'v', 10);
      await engine.put('kept', 'v', null);
      const logged = await aof();
      clock.now += 10;
      expect(engine.stats().keys).toBe(2);
      jest.advanceTimersByTime(1_000);
      expect(engine.stats().keys).toBe(1);
      expect(await aof()).toBe(logged);
    });
  });

  describe('snapshotNow', () => {
    it('writes every live key, truncates the AOF and reports the snapshot', async () => {
      await engine.put('a', '1', null);
      await engine.put('b', '2', 1);
      clock.now += 1;
      const snapshot = await engine.snapshotNow();
      expect(snapshot).toEqual({
        path: join(dir, 'toska_snapshot.json'),
        checksum: expect.any(String),
        createdAt: clock.now,
      });
      expect(await aof()).toBe('');
      const file = JSON.parse(await readFile(snapshot.path, 'utf8')) as { data: object; checksum: string };
      expect(file.data).toEqual({ a: { expires_at: null, value: '1' } });
      expect(engine.replicationInfo()).toMatchObject({
        snapshotChecksum: file.checksum,
        aofSize: 0,
        snapshotCreatedAt: clock.now,
      });
      expect(engine.stats()).toMatchObject({
        snapshotChecksum: file.checksum,
        aofBytes: 0,
        lastSnapshotAt: clock.now,
      });
      await engine.put('c', '3', null);
      await reopen();
      expect(engine.mget(['a', 'b', 'c'])).toEqual(
        new Map([
          ['a', '1'],
          ['b', null],
          ['c', '3'],
        ]),
      );
      expect(engine.replicationInfo().snapshotChecksum).toBe(file.checksum);
    });
  });

  describe('compact', () => {
    it('compacts only once the AOF reached compactionAofBytes, unless forced', async () => {
      await reopen({ compactionAofBytes: 400 });
      await engine.put('a', 'x'.repeat(100), null);
      expect(await engine.compact()).toBe(false);
      await engine.put('a', 'y'.repeat(300), null);
      expect(engine.stats().aofBytes).toBeGreaterThanOrEqual(400);
      expect(await engine.compact()).toBe(true);
      expect(engine.stats().aofBytes).toBe(0);
      expect(await aof()).toBe('');
      expect(await engine.compact(true)).toBe(true);
      await reopen();
      expect(engine.get('a')?.value).toBe('y'.repeat(300));
    });

    it('runs on the compaction timer', async () => {
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      await reopen({ compactionAofBytes: 1, compactionIntervalMs: 50 });
      await engine.put('a', '1', null);
      jest.advanceTimersByTime(50);
      await engine.readAof(0, 10);
      expect(engine.stats().aofBytes).toBe(0);
    });

    it('never loses a write issued while it runs', async () => {
      await Promise.all([
        ...Array.from({ length: 50 }, (_, i) => engine.put(`k${i}`, `${i}`, null)),
        engine.compact(true),
        ...Array.from({ length: 50 }, (_, i) => engine.put(`k${i + 50}`, `${i + 50}`, null)),
      ]);
      await reopen();
      expect(engine.keys('k', 1_000)).toHaveLength(100);
    });
  });

  describe('readAof', () => {
    it('sees records of writes that are still queued', async () => {
      const pending = engine.put('k', 'v', null);
      const slice = await engine.readAof(0, 1_000_000);
      await pending;
      expect(slice.bytes.toString()).toContain('"key":"k"');
      expect(slice).toMatchObject({ offset: 0, size: slice.bytes.length });
    });

    it('returns a bounded range and nothing past the end', async () => {
      await engine.put('k', 'v', null);
      const size = engine.stats().aofBytes;
      expect((await engine.readAof(2, 5)).bytes).toHaveLength(5);
      expect(await engine.readAof(size, 5)).toEqual({ size, offset: size, bytes: Buffer.alloc(0) });
      await expect(engine.readAof(-1, 5)).rejects.toBeInstanceOf(MeshValidationError);
    });
  });

  describe('interval sync mode', () => {
    it('fsyncs on the timer, not per write', async () => {
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      await reopen({ syncMode: 'interval', syncIntervalMs: 1_000 });
      const before = io.calls.datasync;
      await Promise.all([engine.put('a', '1', null), engine.put('b', '2', null)]);
      expect(io.calls.datasync).toBe(before);
      jest.advanceTimersByTime(1_000);
      await engine.readAof(0, 1);
      expect(io.calls.datasync).toBe(before + 1);
      expect(engine.stats().lastSyncAt).toBe(clock.now);
    });
  });
});
