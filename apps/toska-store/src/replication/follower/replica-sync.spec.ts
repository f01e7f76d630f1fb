import { beforeEach, describe, expect, it } from '@jest/globals';
import { canonicalJson, type JsonValue } from '../../store/canonical-json.js';
import {
  type AofSlice,
  KvEngine,
  type ReplicationInfo,
  type SnapshotFile,
  type StoreStats,
  type StoredEntry,
} from '../../store/kv-engine.js';
import { sha256Hex } from '../../store/record-checksum.js';
import type { LeaderAofSlice, LeaderApi, LeaderInfo, LeaderSnapshot } from './leader.client.js';
import type { ReplicaPosition } from './replica-position.js';
import { AOF_READ_BYTES, ReplicaSync } from './replica-sync.js';

/** A leader in memory with the original's semantics: a snapshot truncates the AOF, nothing else does. */
class MemoryLeader implements LeaderApi {
  readonly baseUrl = 'http://leader:4000';
  data = new Map<string, string>();
  aofBytes = Buffer.alloc(0);
  snapshots = 0;
  private snapshotId: { checksum: string; createdAt: number } | null = null;
  private clock = 1_000;

  put(key: string, value: string): void {
    this.data.set(key, value);
    this.append({ op: 'set', key, value, expires_at: null });
  }

  del(key: string): void {
    this.data.delete(key);
    this.append({ op: 'del', key });
  }

  takeSnapshot(): string {
    const data = Object.fromEntries(
      [...this.data].map(([key, value]) => [key, { expires_at: null, value }]),
    ) as Record<string, JsonValue>;
    const checksum = sha256Hex(canonicalJson(data));
    this.snapshotId = { checksum, createdAt: ++this.clock };
    this.snapshots += 1;
    this.aofBytes = Buffer.alloc(0);
    return JSON.stringify({ checksum, created_at: this.clock, data, version: 1 }, null, 2);
  }

  async info(): Promise<LeaderInfo> {
    return {
      snapshotChecksum: this.snapshotId?.checksum ?? null,
      snapshotCreatedAt: this.snapshotId?.createdAt ?? null,
      aofSize: this.aofBytes.length,
    };
  }

  async snapshot(): Promise<LeaderSnapshot> {
    const json = this.takeSnapshot();
    return { json, checksum: this.snapshotId!.checksum };
  }

  async aof(since: number, maxBytes: number): Promise<LeaderAofSlice> {
    const size = this.aofBytes.length;
    if (since >= size) return { status: 204, size, bytes: Buffer.alloc(0) };
    return { status: 200, size, bytes: Buffer.from(this.aofBytes.subarray(since, since + maxBytes)) };
  }

  private append(record: Record<string, unknown>): void {
    this.aofBytes = Buffer.concat([this.aofBytes, Buffer.from(`${JSON.stringify(record)}\n`)]);
  }
}

/** Just enough of an engine for the follower: a map, snapshot replace and record apply. */
class MemoryEngine extends KvEngine {
  entries = new Map<string, StoredEntry>();
  applied = 0;
  failOnKey: string | undefined;

  get(key: string): StoredEntry | undefined {
    return this.entries.get(key);
  }
  keys(prefix: string, limit: number): string[] {
    return [...this.entries.keys()].filter((key) => key.startsWith(prefix)).slice(0, limit);
  }
  async replaceWithSnapshot(json: string): Promise<void> {
    const { data } = JSON.parse(json) as { data: Record<string, { value: string; expires_at: null }> };
    this.entries = new Map(Object.entries(data).map(([k, v]) => [k, { value: v.value, expiresAt: null }]));
  }
  async applyReplicatedLine(line: string): Promise<'applied' | 'skipped'> {
    if (line.trim() === '') return 'skipped';
    const record = JSON.parse(line) as { op: string; key: string; value: string };
    if (record.key === this.failOnKey) throw new Error('disk full');
    if (record.op === 'set') this.entries.set(record.key, { value: record.value, expiresAt: null });
    else this.entries.delete(record.key);
    this.applied += 1;
    return 'applied';
  }
  values(): Record<string, string> {
    return Object.fromEntries([...this.entries].map(([key, entry]) => [key, entry.value]));
  }
  put(): Promise<void> {
    throw new Error('not used');
  }
  delete(): Promise<void> {
    throw new Error('not used');
  }
  mget(): Map<string, string | null> {
    throw new Error('not used');
  }
  stats(): StoreStats {
    throw new Error('not used');
  }
  replicationInfo(): ReplicationInfo {
    throw new Error('not used');
  }
  snapshotNow(): Promise<SnapshotFile> {
    throw new Error('not used');
  }
  readAof(): Promise<AofSlice> {
    throw new Error('not used');
  }
  compact(): Promise<boolean> {
    throw new Error('not used');
  }
}

class MemoryPositionFile {
  stored: ReplicaPosition | undefined;
  async read(): Promise<ReplicaPosition | undefined> {
    return this.stored;
  }
  async write(position: ReplicaPosition): Promise<void> {
    this.stored = structuredClone(position);
  }
}

const quiet = { log: () => undefined, warn: () => undefined, debug: () => undefined };

/** Polls until two polls in a row find nothing to do (a bootstrap alone is idle once); bounded. */
async function catchUp(sync: ReplicaSync): Promise<number> {
  let idle = 0;
  for (let polls = 1; polls <= 200; polls++) {
    idle = (await sync.poll()) === 'idle' ? idle + 1 : 0;
    if (idle === 2) return polls;
  }
  throw new Error('the follower never caught up');
}

describe(ReplicaSync.name, () => {
  let leader: MemoryLeader;
  let engine: MemoryEngine;
  let positions: MemoryPositionFile;
  let sync: ReplicaSync;

  beforeEach(() => {
    leader = new MemoryLeader();
    engine = new MemoryEngine();
    positions = new MemoryPositionFile();
    sync = new ReplicaSync({ engine, leader, positionFile: positions, log: quiet, now: () => 77 });
  });

  describe('poll', () => {
    it('bootstraps from a snapshot first, then applies the writes that follow', async () => {
      leader.put('a', '1');
      await catchUp(sync);
      expect(leader.snapshots).toBe(1);
      expect(sync.lastSnapshotAt).toBe(77);
      leader.put('b', '2');
      leader.del('a');
      await catchUp(sync);
      expect(engine.values()).toEqual({ b: '2' });
      expect(sync.cursor.committed).toBe(leader.aofBytes.length);
      expect(positions.stored).toMatchObject({ offset: leader.aofBytes.length, leaderUrl: leader.baseUrl });
      expect(positions.stored?.generation?.createdAt).not.toBeNull();
    });

    it('reads a backlog larger than one slice without skipping, even records cut at the boundary', async () => {
      await catchUp(sync);
      for (let i = 0; i < 2_000; i++) leader.put(`key-${i}`, `value-${i}-${'x'.repeat(i % 97)}`);
      expect(leader.aofBytes.length).toBeGreaterThan(3 * AOF_READ_BYTES);
      const polls = await catchUp(sync);
      expect(polls).toBeGreaterThan(3);
      expect(engine.applied).toBe(2_000);
      expect(engine.entries.size).toBe(2_000);
      expect(sync.cursor.committed).toBe(leader.aofBytes.length);
    });

    it('goes on at offset 0 without a new snapshot when it was caught up as the leader snapshotted', async () => {
      await catchUp(sync);
      leader.put('a', '1');
      await catchUp(sync);
      leader.takeSnapshot();
      leader.put('b', '2');
      await catchUp(sync);
      expect(leader.snapshots).toBe(2);
      expect(engine.values()).toEqual({ a: '1', b: '2' });
      expect(sync.cursor.committed).toBe(leader.aofBytes.length);
    });

    it('re-bootstraps when the leader snapshotted writes it had not read yet', async () => {
      await catchUp(sync);
      leader.put('a', '1');
      leader.takeSnapshot();
      leader.put('b', '2');
      await catchUp(sync);
      expect(leader.snapshots).toBe(3);
      expect(engine.values()).toEqual({ a: '1', b: '2' });
    });

    it('notices a truncated AOF that grew past its old offset again before the next poll', async () => {
      // The original follower's bug: it resumed mid-line in the new file and lost everything in between.
      await catchUp(sync);
      leader.put('a', 'short');
      await catchUp(sync);
      leader.put('lost-by-the-original', 'x');
      leader.takeSnapshot();
      for (let i = 0; i < 20; i++) leader.put(`after-${i}`, 'y'.repeat(50));
      expect(leader.aofBytes.length).toBeGreaterThan(sync.cursor.committed);
      await catchUp(sync);
      expect(engine.entries.size).toBe(22);
      expect(engine.values()['lost-by-the-original']).toBe('x');
    });

    it('commits only the records applied when an apply fails, and resumes at the failed one', async () => {
      await catchUp(sync);
      leader.put('a', '1');
      leader.put('bad', '2');
      leader.put('c', '3');
      engine.failOnKey = 'bad';
      await expect(sync.poll()).rejects.toThrow('disk full');
      expect(engine.values()).toEqual({ a: '1' });
      expect(positions.stored?.offset).toBe(sync.cursor.committed);
      engine.failOnKey = undefined;
      await catchUp(sync);
      expect(engine.values()).toEqual({ a: '1', bad: '2', c: '3' });
    });
  });

  describe('restore', () => {
    async function restartWith(position: ReplicaPosition | undefined): Promise<ReplicaSync> {
      positions.stored = position;
      const restarted = new ReplicaSync({ engine, leader, positionFile: positions, log: quiet });
      await restarted.restore();
      return restarted;
    }

    it('resumes at the stored offset of the same leader generation without a snapshot', async () => {
      await catchUp(sync);
      leader.put('a', '1');
      await catchUp(sync);
      const restarted = await restartWith(positions.stored);
      leader.put('b', '2');
      await catchUp(restarted);
      expect(leader.snapshots).toBe(1);
      expect(engine.values()).toEqual({ a: '1', b: '2' });
    });

    it('re-syncs from an original plain-integer offset, whose generation is unknown', async () => {
      leader.put('a', '1');
      leader.takeSnapshot();
      leader.put('b', '2');
      const restarted = await restartWith({ offset: 8_377_035, leaderUrl: null, generation: null });
      await catchUp(restarted);
      expect(engine.values()).toEqual({ a: '1', b: '2' });
      expect(restarted.cursor.committed).toBe(leader.aofBytes.length);
    });

    it('does not trust the position of another leader', async () => {
      await catchUp(sync);
      const foreign = { ...positions.stored!, leaderUrl: 'http://other:4000' };
      const restarted = await restartWith(foreign);
      expect(restarted.currentGeneration).toBeNull();
    });
  });
});
