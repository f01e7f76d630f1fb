import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  engineOptions,
  ManualClock,
  RecordingLogger,
  tempDataDir,
} from '../../test/fixtures/engine-harness.js';
import { encodeAofRecord } from './aof-record.codec.js';
import { SnapshotCorruptionError } from './errors/snapshot-corruption.error.js';
import { FileKvEngine } from './file-kv.engine.js';
import { recordChecksum } from './record-checksum.js';

describe(`${FileKvEngine.name} follower side`, () => {
  let leaderDir: { dir: string; remove: () => Promise<void> };
  let followerDir: { dir: string; remove: () => Promise<void> };
  let clock: ManualClock;
  let leader: FileKvEngine;
  let follower: FileKvEngine;

  const openFollower = (): Promise<FileKvEngine> =>
    FileKvEngine.open(engineOptions(followerDir.dir), new RecordingLogger(), clock.read);

  beforeEach(async () => {
    leaderDir = await tempDataDir();
    followerDir = await tempDataDir();
    clock = new ManualClock();
    leader = await FileKvEngine.open(engineOptions(leaderDir.dir), new RecordingLogger(), clock.read);
    follower = await openFollower();
  });

  afterEach(async () => {
    await Promise.all([leader.close(), follower.close()]);
    await Promise.all([leaderDir.remove(), followerDir.remove()]);
  });

  describe('replaceWithSnapshot', () => {
    it("replaces the whole table with the leader's snapshot and truncates the local AOF", async () => {
      await follower.put('stale', 'x', null);
      await leader.put('a', '1', null);
      await leader.put('город', 'Ж', 60_000);
      const snapshot = await leader.snapshotNow();
      await follower.replaceWithSnapshot(await readFile(snapshot.path, 'utf8'));
      expect(follower.mget(['stale', 'a', 'город'])).toEqual(
        new Map([
          ['stale', null],
          ['a', '1'],
          ['город', 'Ж'],
        ]),
      );
      expect(follower.stats().aofBytes).toBe(0);
      expect(follower.replicationInfo().snapshotChecksum).toBe(snapshot.checksum);
    });

    it('throws on a bad checksum and leaves the table alone', async () => {
      await follower.put('mine', 'x', null);
      await leader.put('a', '1', null);
      const text = (await readFile((await leader.snapshotNow()).path, 'utf8')).replace('"1"', '"2"');
      await expect(follower.replaceWithSnapshot(text)).rejects.toBeInstanceOf(SnapshotCorruptionError);
      expect(follower.get('mine')?.value).toBe('x');
    });
  });

  describe('applyReplicatedLine', () => {
    it('applies a leader record and re-appends it with a checksum that verifies', async () => {
      await leader.put('k', 'v', null);
      const line = (await leader.readAof(0, 10_000)).bytes.toString('utf8');
      expect(await follower.applyReplicatedLine(line)).toBe('applied');
      const local = await readFile(join(followerDir.dir, 'toska.aof'), 'utf8');
      const record = JSON.parse(local) as Record<string, string>;
      expect(record['checksum']).toBe(recordChecksum(record));
      expect(local).toBe(line);
    });

    it('keeps replicated writes across a follower restart', async () => {
      await leader.put('k', 'ключ', null);
      await follower.applyReplicatedLine((await leader.readAof(0, 10_000)).bytes.toString('utf8'));
      await follower.close();
      follower = await openFollower();
      expect(follower.get('k')?.value).toBe('ключ');
    });

    it('skips blank, malformed and tampered lines without writing', async () => {
      const tampered = encodeAofRecord({ op: 'set', key: 'k', value: 'v', expiresAt: null })
        .toString('utf8')
        .replace('"v"', '"w"');
      expect(await follower.applyReplicatedLine('  ')).toBe('skipped');
      expect(await follower.applyReplicatedLine('{"op":')).toBe('skipped');
      expect(await follower.applyReplicatedLine(tampered)).toBe('skipped');
      expect(follower.stats().aofBytes).toBe(0);
    });

    it('turns an already-expired set into a logged delete of the older value', async () => {
      await follower.put('k', 'old', null);
      const expired = encodeAofRecord({ op: 'set', key: 'k', value: 'new', expiresAt: clock.now }).toString(
        'utf8',
      );
      expect(await follower.applyReplicatedLine(expired)).toBe('skipped');
      expect(follower.get('k')).toBeUndefined();
      expect(await readFile(join(followerDir.dir, 'toska.aof'), 'utf8')).toMatch(/"op":"del"/);
    });

    it("applies the original leader's double-encoded records once-encoded", async () => {
      const proper = encodeAofRecord({ op: 'set', key: 'город', value: '日本', expiresAt: null }).toString(
        'utf8',
      );
      const served = Buffer.from(proper, 'utf8').toString('latin1');
      expect(await follower.applyReplicatedLine(served)).toBe('applied');
      expect(follower.get('город')?.value).toBe('日本');
      expect(await readFile(join(followerDir.dir, 'toska.aof'), 'utf8')).toBe(proper);
    });
  });
});
