/** A live entry: its string value and absolute expiry (epoch ms, server clock) or `null`. */
export interface StoredEntry {
  value: string;
  expiresAt: number | null;
}

/** What `GET /stats` reports (contract §4); field names are mapped to snake_case by the HTTP layer. */
export interface StoreStats {
  keys: number;
  memoryWords: number;
  aofPath: string;
  aofBytes: number;
  snapshotPath: string;
  snapshotBytes: number;
  snapshotChecksum: string | null;
  snapshotVersion: 1;
  aofVersion: 1;
  syncMode: SyncMode;
  syncIntervalMs: number;
  snapshotIntervalMs: number;
  ttlCheckIntervalMs: number;
  compactionIntervalMs: number;
  compactionAofBytes: number;
  lastSnapshotAt: number | null;
  lastSyncAt: number | null;
}

/** What `GET /replication/info` reports (contract §8). */
export interface ReplicationInfo {
  snapshotPath: string;
  snapshotChecksum: string | null;
  snapshotCreatedAt: number | null;
  snapshotVersion: 1;
  aofPath: string;
  aofSize: number;
  aofVersion: 1;
}

/** A byte range of the current AOF file (`GET /replication/aof`). */
export interface AofSlice {
  /** Current AOF size in bytes (`x-toska-aof-size`). */
  size: number;
  /** Start of `bytes` (`x-toska-aof-offset`). */
  offset: number;
  /** Empty when `offset >= size`. */
  bytes: Buffer;
}

/** A snapshot just written. */
export interface SnapshotFile {
  path: string;
  checksum: string;
  createdAt: number;
}

/** When the AOF is fsynced: before every reply, on a timer, or only on snapshot/compaction/shutdown. */
export type SyncMode = 'always' | 'interval' | 'none';

/**
 * The durable key/value engine behind apps/toska-store: an in-memory table, an append-only file of
 * checksummed JSON records (the original's exact format), snapshots, compaction and TTL. Writes are
 * applied one after another; a write's promise resolves only once its record is in the AOF (and fsynced
 * in `always` mode, several writes sharing one fsync), so an acknowledged write survives a crash.
 *
 * The DI token of the engine (the abstract class itself).
 */
export abstract class KvEngine {
  /** The live entry, or `undefined` (an expired entry is deleted lazily here, not logged). */
  abstract get(key: string): StoredEntry | undefined;

  /** Sets value and expiry (`ttlMs` null = none; `<= 0` = delete, logged as `del`). */
  abstract put(key: string, value: string, ttlMs: number | null): Promise<void>;

  /** Deletes (idempotent; a `del` record is logged either way, as upstream). */
  abstract delete(key: string): Promise<void>;

  /** Live values by key; missing or expired keys map to `null`. */
  abstract mget(keys: readonly string[]): Map<string, string | null>;

  /** At most `limit` live keys starting with `prefix` (byte-wise, case-sensitive), sorted. */
  abstract keys(prefix: string, limit: number): string[];

  abstract stats(): StoreStats;

  abstract replicationInfo(): ReplicationInfo;

  /** Writes a snapshot of every live key (tmp + rename), then truncates the AOF to 0 bytes. */
  abstract snapshotNow(): Promise<SnapshotFile>;

  /** Reads `[since, since + maxBytes)` of the current AOF. */
  abstract readAof(since: number, maxBytes: number): Promise<AofSlice>;

  /**
   * Follower bootstrap: verifies the leader snapshot's checksum, replaces the whole table with its data,
   * writes it as the local snapshot and truncates the local AOF. Throws on a bad checksum.
   */
  abstract replaceWithSnapshot(snapshotJson: string): Promise<void>;

  /**
   * Follower apply of one leader AOF line: verifies its checksum, applies it, and appends it to the local
   * AOF with a checksum that verifies (the original's follower wrote ones that never did).
   * `skipped` for blank, malformed, unverifiable or already-expired records.
   */
  abstract applyReplicatedLine(line: string): Promise<'applied' | 'skipped'>;

  /** Snapshot + truncate when the AOF reached `compactionAofBytes` (or always when `force`). */
  abstract compact(force?: boolean): Promise<boolean>;
}
