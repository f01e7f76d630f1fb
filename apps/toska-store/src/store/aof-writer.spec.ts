import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { instrumentedAof, type InstrumentedAof } from '../../test/fixtures/engine-io.js';
import { RecordingLogger, tempDataDir } from '../../test/fixtures/engine-harness.js';
import { AofWriter } from './aof-writer.js';
import { StoreUnavailableError } from './errors/store-unavailable.error.js';
import type { SyncMode } from './kv-engine.js';

describe(AofWriter.name, () => {
  let dir: string;
  let remove: () => Promise<void>;
  let io: InstrumentedAof;
  let writer: AofWriter;
  let path: string;

  async function createWriter(syncMode: SyncMode): Promise<AofWriter> {
    const handle = await io.opener(path);
    writer = new AofWriter({
      handle,
      path,
      size: 0,
      syncMode,
      clock: () => 42,
      logger: new RecordingLogger(),
    });
    return writer;
  }

  beforeEach(async () => {
    ({ dir, remove } = await tempDataDir());
    path = join(dir, 'toska.aof');
    io = instrumentedAof();
  });

  afterEach(async () => {
    await writer.close();
    await remove();
  });

  describe('append', () => {
    it('group-commits writes issued together: one write, one fdatasync', async () => {
      await createWriter('always');
      const committed: number[] = [];
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => writer.append(Buffer.from(`${i}\n`), () => committed.push(i))),
      );
      expect(io.calls.write).toBe(1);
      expect(io.calls.datasync).toBe(1);
      expect(committed).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(writer.size).toBe((await readFile(path)).length);
      expect(writer.lastSyncAt).toBe(42);
    });

    it('batches the writes that arrive during an fsync into the next commit', async () => {
      await createWriter('always');
      const release = io.holdNextDatasync();
      const first = writer.append(Buffer.from('first\n'), () => undefined);
      await new Promise((resolve) => setImmediate(resolve));
      const resolved: string[] = [];
      const later = Array.from({ length: 10 }, (_, i) =>
        writer.append(Buffer.from(`later-${i}\n`), () => undefined).then(() => resolved.push(`later-${i}`)),
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(resolved).toEqual([]);
      release();
      await Promise.all([first, ...later]);
      expect(io.calls.write).toBe(2);
      expect(io.calls.datasync).toBe(2);
    });

    it('does not resolve or commit before the write in interval mode, and never fsyncs per write', async () => {
      await createWriter('interval');
      let committed = false;
      await writer.append(Buffer.from('x\n'), () => (committed = true));
      expect(committed).toBe(true);
      expect(io.calls.datasync).toBe(0);
      writer.syncInBackground();
      await writer.exclusive(async () => undefined);
      expect(io.calls.datasync).toBe(1);
      writer.syncInBackground();
      expect(io.calls.datasync).toBe(1);
    });

    it('rejects a failed write without committing it and cuts it off the file', async () => {
      await createWriter('always');
      await writer.append(Buffer.from('good\n'), () => undefined);
      io.failNext('write');
      let committed = false;
      await expect(writer.append(Buffer.from('bad\n'), () => (committed = true))).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
      expect(committed).toBe(false);
      await writer.append(Buffer.from('after\n'), () => undefined);
      expect(await readFile(path, 'utf8')).toBe('good\nafter\n');
    });

    it('refuses every later write once an fsync failed', async () => {
      await createWriter('always');
      io.failNext('datasync');
      await expect(writer.append(Buffer.from('a\n'), () => undefined)).rejects.toThrow(/fsync failed/);
      await expect(writer.append(Buffer.from('b\n'), () => undefined)).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
      expect(await readFile(path, 'utf8')).toBe('');
    });
  });

  describe('exclusive', () => {
    it('runs after the appends queued before it', async () => {
      await createWriter('none');
      const pending = writer.append(Buffer.from('queued\n'), () => undefined);
      const slice = await writer.exclusive(() => writer.read(0, 100));
      await pending;
      expect(slice.bytes.toString()).toBe('queued\n');
      expect(slice.size).toBe(7);
    });
  });

  describe('close', () => {
    it('finishes queued work, fsyncs and then refuses writes', async () => {
      await createWriter('none');
      const pending = writer.append(Buffer.from('last\n'), () => undefined);
      await writer.close();
      await pending;
      expect(io.calls.datasync).toBe(1);
      await expect(writer.append(Buffer.from('x\n'), () => undefined)).rejects.toThrow(/closed/);
      await expect(writer.close()).resolves.toBeUndefined();
    });
  });
});
