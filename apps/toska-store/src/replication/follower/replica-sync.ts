import type { KvEngine } from '../../store/kv-engine.js';
import { AofCursor } from './aof-cursor.js';
import { compareGeneration } from './leader-generation.js';
import type { LeaderApi, LeaderInfo } from './leader.client.js';
import { localDataChecksum } from './local-data-checksum.js';
import type { LeaderGeneration, ReplicaPositionFile } from './replica-position.js';

/** Bytes asked for per AOF read, as the original follower asks. */
export const AOF_READ_BYTES = 65_536;

/** `more`: poll again at once (more AOF is waiting, or the position just moved); `idle`: wait an interval. */
export type PollOutcome = 'idle' | 'more';

/** Where the follower logs what it does; Nest's `Logger` fits. */
export interface ReplicaLog {
  log(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** Collaborators of {@link ReplicaSync}. */
export interface ReplicaSyncDeps {
  engine: KvEngine;
  leader: LeaderApi;
  positionFile: Pick<ReplicaPositionFile, 'read' | 'write'>;
  log: ReplicaLog;
  now?: () => number;
}

/**
 * One follower's replication state and steps, without scheduling (the service runs it on a timer).
 *
 * Each poll reads the next AOF slice, then asks `/replication/info` which snapshot the leader's AOF counts
 * from. A slice is applied only when that generation is still the one the offset counts in; otherwise
 * the slice may come from a truncated-and-regrown file and is dropped. On a new generation the follower
 * re-syncs: when its data already equals the leader's new snapshot it just restarts at offset 0 (no
 * snapshot request, so other followers' offsets survive), else it bootstraps from a fresh snapshot.
 */
export class ReplicaSync {
  readonly cursor = new AofCursor();
  lastSnapshotAt: number | null = null;
  lastPollAt: number | null = null;
  private generation: LeaderGeneration | null = null;
  private readonly now: () => number;

  constructor(private readonly deps: ReplicaSyncDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The leader's base URL (no trailing `/`). */
  get leaderUrl(): string {
    return this.deps.leader.baseUrl;
  }

  /** The generation the offset counts in (`null` = unknown: the next poll re-syncs). */
  get currentGeneration(): LeaderGeneration | null {
    return this.generation;
  }

  /**
   * Loads `replica.offset`. A position of another leader, or the original's plain integer (which says
   * nothing about the generation), is not trusted: the first poll re-syncs.
   */
  async restore(): Promise<void> {
    const position = await this.deps.positionFile.read();
    if (!position) return;
    const sameLeader = position.leaderUrl === this.deps.leader.baseUrl;
    this.cursor.reset(position.offset);
    this.generation = sameLeader ? position.generation : null;
  }

  /** One replication step; throws on a failed request or apply (the caller backs off and retries). */
  async poll(signal?: AbortSignal): Promise<PollOutcome> {
    const { leader } = this.deps;
    if (this.generation === null) return this.resync(await leader.info(signal), signal);
    const slice = await leader.aof(this.cursor.readOffset, AOF_READ_BYTES, signal);
    const info = await leader.info(signal);
    this.lastPollAt = this.now();
    const truncated = slice.size !== null && slice.size < this.cursor.readOffset;
    const verdict = compareGeneration(this.generation, info, this.cursor.committed);
    if (truncated || verdict === 'changed') return this.resync(info, signal);
    if (verdict === 'adopt') {
      // The slice may predate the snapshot being confirmed; read it again in the confirmed generation.
      this.generation = { checksum: this.generation.checksum, createdAt: info.snapshotCreatedAt };
      this.cursor.rewind();
      await this.persist();
      return 'more';
    }
    if (slice.status === 204 || slice.bytes.length === 0) return 'idle';
    if (!(await this.applySlice(slice.bytes, signal))) return 'idle';
    const more =
      slice.size === null ? slice.bytes.length >= AOF_READ_BYTES : this.cursor.readOffset < slice.size;
    return more ? 'more' : 'idle';
  }

  /** Replaces all local data with a fresh leader snapshot and restarts at offset 0 of its AOF. */
  async bootstrap(signal?: AbortSignal): Promise<void> {
    const snapshot = await this.deps.leader.snapshot(signal);
    if (!snapshot.checksum) throw new Error('the leader snapshot carries no checksum');
    // Forget the old position first: a crash half-way must not resume an offset of the old data.
    this.generation = null;
    this.cursor.reset(0);
    await this.persist();
    await this.deps.engine.replaceWithSnapshot(snapshot.json);
    this.generation = { checksum: snapshot.checksum, createdAt: null };
    this.lastSnapshotAt = this.now();
    await this.persist();
    this.deps.log.log(`Bootstrapped from the leader snapshot ${snapshot.checksum.slice(0, 12)}`);
  }

  private async resync(info: LeaderInfo, signal?: AbortSignal): Promise<PollOutcome> {
    if (info.snapshotChecksum !== null && localDataChecksum(this.deps.engine) === info.snapshotChecksum) {
      const from = this.cursor.readOffset;
      this.generation = { checksum: info.snapshotChecksum, createdAt: info.snapshotCreatedAt };
      this.cursor.reset(0);
      await this.persist();
      this.deps.log.log(
        `The leader AOF restarted after snapshot ${info.snapshotChecksum.slice(0, 12)}; ` +
          `the local data matches it, so replication goes on at offset 0 (was ${from})`,
      );
      return 'more';
    }
    if (this.generation !== null) {
      this.deps.log.warn('The leader AOF was truncated (snapshot or compaction); re-syncing from a snapshot');
    }
    await this.bootstrap(signal);
    // Not 'more': a bootstrap makes the leader snapshot, and other followers must not be chased in a loop.
    return 'idle';
  }

  /** Applies the whole lines the slice completes; `false` when it had to bootstrap instead. */
  private async applySlice(bytes: Buffer, signal?: AbortSignal): Promise<boolean> {
    let lines;
    try {
      lines = this.cursor.push(bytes);
    } catch (error) {
      // A record too long to buffer is in the leader's data; its snapshot carries it.
      this.deps.log.warn(`${(error as Error).message}; re-syncing from a snapshot`);
      this.cursor.rewind();
      await this.bootstrap(signal);
      return false;
    }
    let skipped = 0;
    try {
      for (const line of lines) {
        if ((await this.deps.engine.applyReplicatedLine(line.text)) === 'skipped') skipped++;
        this.cursor.commit(line.bytes);
      }
      if (skipped > 0) {
        // Already-expired sets are skipped routinely, so this is no warning.
        this.deps.log.debug(`Skipped ${skipped} of ${lines.length} leader AOF records`);
      }
    } catch (error) {
      this.cursor.rewind();
      throw error;
    } finally {
      await this.persist();
    }
    return true;
  }

  private persist(): Promise<void> {
    return this.deps.positionFile.write({
      offset: this.cursor.committed,
      leaderUrl: this.deps.leader.baseUrl,
      generation: this.generation,
    });
  }
}
