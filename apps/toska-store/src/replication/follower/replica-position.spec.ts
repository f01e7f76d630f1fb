import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  formatReplicaPosition,
  parseReplicaPosition,
  type ReplicaPosition,
  ReplicaPositionFile,
} from './replica-position.js';

const POSITION: ReplicaPosition = {
  offset: 4242,
  leaderUrl: 'http://leader:4000',
  generation: { checksum: 'ab'.repeat(32), createdAt: 1_795_323_885_013 },
};

describe('parseReplicaPosition', () => {
  it.each([
    ['8377035', 8_377_035],
    ['8377035\n', 8_377_035],
    ['+5', 5],
    ['-3', 0],
  ])('reads the original plain integer %p as offset %p with no generation', (text, offset) => {
    expect(parseReplicaPosition(text)).toEqual({ offset, leaderUrl: null, generation: null });
  });

  it('reads back what formatReplicaPosition writes', () => {
    expect(parseReplicaPosition(formatReplicaPosition(POSITION))).toEqual(POSITION);
  });

  it('keeps an unknown created_at as null', () => {
    const text = formatReplicaPosition({ ...POSITION, generation: { checksum: 'c1', createdAt: null } });
    expect(parseReplicaPosition(text)?.generation).toEqual({ checksum: 'c1', createdAt: null });
  });

  it.each(['', 'abc', '1.5', '{"offset":-1}', '{"offset":"7"}', '[]', 'null', '{'])('rejects %p', (text) => {
    expect(parseReplicaPosition(text)).toBeUndefined();
  });
});

describe('formatReplicaPosition', () => {
  it('writes snake_case JSON with a version', () => {
    expect(JSON.parse(formatReplicaPosition(POSITION))).toEqual({
      version: 1,
      offset: 4242,
      leader_url: 'http://leader:4000',
      snapshot_checksum: 'ab'.repeat(32),
      snapshot_created_at: 1_795_323_885_013,
    });
  });
});

describe(ReplicaPositionFile.name, () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'replica-position-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('read', () => {
    it('returns undefined when there is no file', async () => {
      await expect(new ReplicaPositionFile(join(dir, 'replica.offset')).read()).resolves.toBeUndefined();
    });

    it('reads a file the original follower wrote', async () => {
      const path = join(dir, 'replica.offset');
      await writeFile(path, '42663');
      await expect(new ReplicaPositionFile(path).read()).resolves.toEqual({
        offset: 42_663,
        leaderUrl: null,
        generation: null,
      });
    });
  });

  describe('write', () => {
    it('creates the directory and replaces the file whole', async () => {
      const path = join(dir, 'nested', 'replica.offset');
      const file = new ReplicaPositionFile(path);
      await file.write(POSITION);
      await file.write({ ...POSITION, offset: 7 });
      await expect(file.read()).resolves.toEqual({ ...POSITION, offset: 7 });
      expect(await readFile(path, 'utf8')).toMatch(/^\{"version":1,"offset":7,/);
    });
  });
});
