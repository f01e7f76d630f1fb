import { appendFile, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  engineOptions,
  ManualClock,
  RecordingLogger,
  tempDataDir,
} from '../../test/fixtures/engine-harness.js';
import { encodeAofRecord } from './aof-record.codec.js';
import { AofCorruptionError } from './errors/aof-corruption.error.js';
import { SnapshotCorruptionError } from './errors/snapshot-corruption.error.js';
import type { FileKvEngineOptions } from './file-kv-engine.options.js';
import { FileKvEngine } from './file-kv.engine.js';

const set = (key: string, value: string, expiresAt: number | null = null): string =>
  encodeAofRecord({ op: 'set', key, value, expiresAt }).toString('utf8');

describe(`${FileKvEngine.name} start-up recovery`, () => {
  let dir: string;
  let remove: () => Promise<void>;
  let logger: RecordingLogger;
  let clock: ManualClock;
  const engines: FileKvEngine[] = [];

  const aofPath = (): string => join(dir, 'toska.aof');
  const snapshotPath = (): string => join(dir, 'toska_snapshot.json');

  async function open(overrides: Partial<FileKvEngineOptions> = {}): Promise<FileKvEngine> {
    const engine = await FileKvEngine.open(engineOptions(dir, overrides), logger, clock.read);
    engines.push(engine);
    return engine;
  }

  beforeEach(async () => {
    ({ dir, remove } = await tempDataDir());
    logger = new RecordingLogger();
    clock = new ManualClock();
  });

  afterEach(async () => {
    await Promise.all(engines.splice(0).map((engine) => engine.close()));
    await remove();
  });

  describe('torn tail', () => {
    it('drops a last record without trailing newline, warns and truncates the file', async () => {
      const good = set('a', '1') + set('b', '2');
      await writeFile(aofPath(), good + set('c', '3').slice(0, 40));
      const engine = await open();
      expect(engine.mget(['a', 'b', 'c'])).toEqual(
        new Map([
          ['a', '1'],
          ['b', '2'],
          ['c', null],
        ]),
      );
      expect(logger.warnings.join('\n')).toMatch(/torn final record \(40 bytes at byte offset \d+\)/);
      expect((await stat(aofPath())).size).toBe(Buffer.byteLength(good));
      await engine.put('d', '4', null);
      expect(await readFile(aofPath(), 'utf8')).toBe(good + set('d', '4'));
    });

    it('drops an unparsable last line even when it ends in a newline', async () => {
      await writeFile(aofPath(), `${set('a', '1')}{"checksum":"0\n\n`);
      const engine = await open();
      expect(engine.get('a')?.value).toBe('1');
      expect((await stat(aofPath())).size).toBe(Buffer.byteLength(set('a', '1')));
    });
  });

  describe('corrupt record', () => {
    it('stops start-up naming the byte offset of a bad record in the middle', async () => {
      const first = set('a', '1');
      await writeFile(aofPath(), first + set('b', '2').replace('"2"', '"3"') + set('c', '3'));
      const failure = await open().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AofCorruptionError);
      const error = failure as AofCorruptionError;
      expect(error.code).toBe('MESH_TOSKASTORE_AOF_CORRUPT');
      expect(error.offset).toBe(Buffer.byteLength(first));
      expect(error.message).toContain(`byte offset ${Buffer.byteLength(first)} (line 2)`);
      expect(error.message).toContain('checksum mismatch');
      expect(error.message).toMatch(/repair/);
    });

    it('treats an unparsable line followed by records as corruption, not a torn write', async () => {
      await writeFile(aofPath(), `${set('a', '1')}garbage\n${set('c', '3')}`);
      await expect(open()).rejects.toThrow(/byte offset \d+ \(line 2\): not JSON/);
    });

    it('treats a complete last record with a bad checksum as corruption', async () => {
      await writeFile(aofPath(), set('a', '1') + set('b', '2').replace('"2"', '"x"'));
      await expect(open()).rejects.toBeInstanceOf(AofCorruptionError);
    });

    it('skips it with repair, keeps the damaged file aside and compacts to a clean state', async () => {
      await writeFile(aofPath(), set('a', '1') + set('b', '2').replace('"2"', '"3"') + set('c', '3'));
      const engine = await open({ repair: true });
      expect(engine.mget(['a', 'b', 'c'])).toEqual(
        new Map([
          ['a', '1'],
          ['b', null],
          ['c', '3'],
        ]),
      );
      expect(logger.warnings.join('\n')).toMatch(/skipping the corrupt record at byte offset/);
      expect((await readdir(dir)).some((name) => name.startsWith('toska.aof.corrupt-'))).toBe(true);
      expect((await stat(aofPath())).size).toBe(0);
      await engine.close();
      const clean = await open();
      expect(clean.get('c')?.value).toBe('3');
    });
  });

  describe('record forms', () => {
    it('accepts records without a checksum and skips unknown ones with a warning', async () => {
      await writeFile(
        aofPath(),
        '{"op":"set","key":"a","value":"1","v":1}\n  \n{"op":"incr","key":"a","v":1}\n{"op":"del","key":"x"}\n',
      );
      const engine = await open();
      expect(engine.get('a')?.value).toBe('1');
      expect(logger.warnings.join('\n')).toContain('unknown op "incr"');
    });

    it("recovers the original server's double-encoded non-ASCII records", async () => {
      await writeFile(
        aofPath(),
        Buffer.from(Buffer.from(set('ключ', '日本'), 'utf8').toString('latin1'), 'utf8'),
      );
      const engine = await open();
      expect(engine.get('ключ')?.value).toBe('日本');
    });

    it('lets an expired set remove the older value instead of resurrecting it', async () => {
      const first = await open();
      await first.put('k', 'old', null);
      await first.snapshotNow();
      await first.close();
      await appendFile(aofPath(), set('k', 'new', clock.now - 1));
      const engine = await open();
      expect(engine.get('k')).toBeUndefined();
    });
  });

  describe('snapshot', () => {
    it('loads a legacy bare-map snapshot unverified', async () => {
      await writeFile(snapshotPath(), '{"a":"1","b":{"value":"2","expires_at":null}}');
      const engine = await open();
      expect(engine.mget(['a', 'b'])).toEqual(
        new Map([
          ['a', '1'],
          ['b', '2'],
        ]),
      );
      expect(logger.warnings.join('\n')).toContain('loaded unverified');
    });

    it('refuses to start on a flipped byte, and sets the file aside with repair', async () => {
      const first = await open();
      await first.put('snap', 'shot', null);
      await first.snapshotNow();
      await first.put('tail', 'record', null);
      await first.close();
      const bytes = await readFile(snapshotPath());
      const at = bytes.indexOf('shot');
      bytes[at] = bytes[at]! ^ 0x20;
      await writeFile(snapshotPath(), bytes);

      const failure = await open().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SnapshotCorruptionError);
      expect((failure as Error).message).toContain('checksum mismatch');

      const repaired = await open({ repair: true });
      expect(repaired.mget(['snap', 'tail'])).toEqual(
        new Map([
          ['snap', null],
          ['tail', 'record'],
        ]),
      );
      expect((await readdir(dir)).some((name) => name.startsWith('toska_snapshot.json.corrupt-'))).toBe(true);
    });

    it('drops expired snapshot entries and removes a leftover tmp file', async () => {
      const first = await open();
      await first.put('short', 'v', 10);
      await first.put('long', 'v', null);
      await first.snapshotNow();
      await first.close();
      await writeFile(`${snapshotPath()}.tmp`, '{"half":');
      clock.now += 10;
      const engine = await open();
      expect(engine.mget(['short', 'long'])).toEqual(
        new Map([
          ['short', null],
          ['long', 'v'],
        ]),
      );
      expect(await readdir(dir)).not.toContain('toska_snapshot.json.tmp');
    });
  });
});
