import { resolve } from 'node:path';
import { Logger, type LoggerService, type OnApplicationShutdown } from '@nestjs/common';
import { MeshValidationError } from '@toskamesh/common';
import { openAofFile, type AofOpener } from './aof-file.js';
import { encodeAofRecord, decodeAofLine, type AofRecord } from './aof-record.codec.js';
import type { AofWriter } from './aof-writer.js';
import { StoreUnavailableError } from './errors/store-unavailable.error.js';
import { validateEngineOptions, type FileKvEngineOptions } from './file-kv-engine.options.js';
import { stringProblems, ttlProblems } from './write-validation.js';
import {
  KvEngine,
  type AofSlice,
  type ReplicationInfo,
  type SnapshotFile,
  type StoreStats,
  type StoredEntry,
} from './kv-engine.js';
import { KvTable } from './kv-table.js';
import { parseSnapshot, writeSnapshotFile } from './snapshot.codec.js';
import { recoverStore, type SnapshotState } from './store-recovery.js';

/**
 * The durable {@link KvEngine}: a {@link KvTable} in memory, every write appended to the AOF by one
 * group-committing {@link AofWriter} before it is applied and acknowledged, snapshots that truncate the
 * AOF, timer-driven fsync (interval mode), TTL sweep, snapshot and compaction. Reads are synchronous.
 *
 * Create with {@link FileKvEngine.open} (or `new` + {@link start}); {@link close} flushes, fsyncs and stops
 * the timers (also called by Nest on application shutdown).
 */
export class FileKvEngine extends KvEngine implements OnApplicationShutdown {
  private readonly table: KvTable;
  private readonly aofPath: string;
  private readonly snapshotPath: string;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly busy = new Set<string>();
  private writer: AofWriter | null = null;
  private state: 'new' | 'starting' | 'open' | 'closed' = 'new';
  private closing: Promise<void> | null = null;
  private snapshot: SnapshotState = { checksum: null, createdAt: null, bytes: 0 };

  /**
   * @param openAof opens the AOF; replace it only to observe or fail I/O in tests.
   */
  constructor(
    private readonly options: FileKvEngineOptions,
    private readonly logger: LoggerService = new Logger(FileKvEngine.name),
    private readonly clock: () => number = Date.now,
    private readonly openAof: AofOpener = openAofFile,
  ) {
    super();
    validateEngineOptions(options);
    this.table = new KvTable(clock);
    this.aofPath = resolve(options.dataDir, options.aofFile);
    this.snapshotPath = resolve(options.dataDir, options.snapshotFile);
  }

  /** Creates the engine and recovers it from disk ({@link start}). */
  static async open(
    options: FileKvEngineOptions,
    logger?: LoggerService,
    clock?: () => number,
    openAof?: AofOpener,
  ): Promise<FileKvEngine> {
    const engine = new FileKvEngine(options, logger, clock, openAof);
    await engine.start();
    return engine;
  }

  /**
   * Loads the snapshot, replays the AOF (dropping a torn tail; a corrupt record stops start-up unless
   * `repair`), then starts the timers. Throws `AofCorruptionError` / `SnapshotCorruptionError`.
   */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new StoreUnavailableError(`start() called on a ${this.state} engine`);
    this.state = 'starting';
    try {
      const recovered = await recoverStore({
        ...this.options,
        aofPath: this.aofPath,
        snapshotPath: this.snapshotPath,
        table: this.table,
        logger: this.logger,
        clock: this.clock,
        openAof: this.openAof,
      });
      this.writer = recovered.writer;
      this.snapshot = recovered.snapshot;
      if (recovered.repaired) await this.writer.exclusive(() => this.snapshotAndTruncate());
    } catch (error) {
      this.state = 'closed';
      await this.writer?.close().catch(() => undefined);
      throw error;
    }
    this.state = 'open';
    this.startTimers();
  }

  /** Stops the timers, lets queued writes finish, fsyncs and closes the AOF. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  /** Nest lifecycle: runs after the HTTP server stopped taking requests. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  override get(key: string): StoredEntry | undefined {
    return this.table.live(key);
  }

  override async put(key: string, value: string, ttlMs: number | null): Promise<void> {
    const problems = [
      ...stringProblems('key', key),
      ...stringProblems('value', value),
      ...ttlProblems(ttlMs),
    ];
    if (problems.length > 0) throw new MeshValidationError('write', problems);
    if (ttlMs !== null && ttlMs <= 0) return this.append({ op: 'del', key });
    const expiresAt = ttlMs === null ? null : Math.min(this.clock() + ttlMs, Number.MAX_SAFE_INTEGER);
    return this.append({ op: 'set', key, value, expiresAt });
  }

  override async delete(key: string): Promise<void> {
    const problems = stringProblems('key', key);
    if (problems.length > 0) throw new MeshValidationError('delete', problems);
    return this.append({ op: 'del', key });
  }

  override mget(keys: readonly string[]): Map<string, string | null> {
    const now = this.clock();
    return new Map(keys.map((key) => [key, this.table.live(key, now)?.value ?? null]));
  }

  override keys(prefix: string, limit: number): string[] {
    return this.table.keys(prefix, limit);
  }

  override stats(): StoreStats {
    const { options } = this;
    return {
      keys: this.table.size,
      memoryWords: this.table.memoryWords,
      aofPath: this.aofPath,
      aofBytes: this.writer?.size ?? 0,
      snapshotPath: this.snapshotPath,
      snapshotBytes: this.snapshot.bytes,
      snapshotChecksum: this.snapshot.checksum,
      snapshotVersion: 1,
      aofVersion: 1,
      syncMode: options.syncMode,
      syncIntervalMs: options.syncIntervalMs,
      snapshotIntervalMs: options.snapshotIntervalMs,
      ttlCheckIntervalMs: options.ttlCheckIntervalMs,
      compactionIntervalMs: options.compactionIntervalMs,
      compactionAofBytes: options.compactionAofBytes,
      lastSnapshotAt: this.snapshot.createdAt,
      lastSyncAt: this.writer?.lastSyncAt ?? null,
    };
  }

  override replicationInfo(): ReplicationInfo {
    return {
      snapshotPath: this.snapshotPath,
      snapshotChecksum: this.snapshot.checksum,
      snapshotCreatedAt: this.snapshot.createdAt,
      snapshotVersion: 1,
      aofPath: this.aofPath,
      aofSize: this.writer?.size ?? 0,
      aofVersion: 1,
    };
  }

  override async snapshotNow(): Promise<SnapshotFile> {
    return this.openWriter().exclusive(() => this.snapshotAndTruncate());
  }

  override async readAof(since: number, maxBytes: number): Promise<AofSlice> {
    if (!Number.isSafeInteger(since) || since < 0 || !Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
      throw new MeshValidationError('AOF range', [`since ${since} must be >= 0, maxBytes ${maxBytes} > 0`]);
    }
    const writer = this.openWriter();
    return writer.exclusive(() => writer.read(since, maxBytes));
  }

  override async replaceWithSnapshot(snapshotJson: string): Promise<void> {
    const parsed = parseSnapshot(snapshotJson, 'from the leader', false);
    await this.openWriter().exclusive(async () => {
      const now = this.clock();
      this.table.clear();
      for (const [key, entry] of parsed.entries) {
        if (entry.expiresAt === null || entry.expiresAt > now) this.table.set(key, entry);
      }
      await this.snapshotAndTruncate();
    });
    this.logger.log(
      `replaced the table with a leader snapshot of ${this.table.size} keys (${parsed.format})`,
    );
  }

  /**
   * An already-expired `set` is not stored; it is logged locally as a `del` instead (the leader no longer
   * has the key, so an older local value must go too) and reported as `skipped`.
   */
  override async applyReplicatedLine(line: string): Promise<'applied' | 'skipped'> {
    const text = line.trim();
    if (text === '') return 'skipped';
    const result = decodeAofLine(text);
    if (result.status !== 'ok') {
      this.logger.warn(`replication: skipping a leader record: ${result.reason}`);
      return 'skipped';
    }
    const { record } = result;
    if (record.op === 'set' && record.expiresAt !== null && record.expiresAt <= this.clock()) {
      await this.append({ op: 'del', key: record.key });
      return 'skipped';
    }
    await this.append(record);
    return 'applied';
  }

  override async compact(force = false): Promise<boolean> {
    const writer = this.openWriter();
    return writer.exclusive(async () => {
      if (!force && (writer.size === 0 || writer.size < this.options.compactionAofBytes)) return false;
      await this.snapshotAndTruncate();
      return true;
    });
  }

  /** Deletes every expired entry now (not logged, as upstream); the TTL timer calls this. */
  sweepExpired(): number {
    return this.table.sweep();
  }

  private append(record: AofRecord): Promise<void> {
    return this.openWriter().append(encodeAofRecord(record), () => {
      if (record.op === 'del') this.table.delete(record.key);
      else this.table.set(record.key, { value: record.value, expiresAt: record.expiresAt });
    });
  }

  /** Inside the writer's queue: every earlier write is in the table, none is in flight. */
  private async snapshotAndTruncate(): Promise<SnapshotFile> {
    const createdAt = this.clock();
    const written = await writeSnapshotFile(this.snapshotPath, this.table.liveEntries(createdAt), createdAt);
    this.snapshot = { checksum: written.checksum, createdAt: this.clock(), bytes: written.bytes };
    // A crash before this truncate replays records the snapshot already holds: harmless, each record is an
    // absolute set or del and the last one per key is what the snapshot has.
    await this.writer!.truncate();
    return { path: this.snapshotPath, checksum: written.checksum, createdAt };
  }

  private openWriter(): AofWriter {
    if (this.state !== 'open' && !(this.state === 'starting' && this.writer)) {
      throw new StoreUnavailableError(`the engine is ${this.state === 'new' ? 'not started' : this.state}`);
    }
    return this.writer!;
  }

  private startTimers(): void {
    const every = (ms: number, task: () => void): void => {
      const timer = setInterval(task, ms);
      timer.unref();
      this.timers.push(timer);
    };
    const writer = this.writer!;
    if (this.options.syncMode === 'interval')
      every(this.options.syncIntervalMs, () => writer.syncInBackground());
    every(this.options.ttlCheckIntervalMs, () => this.sweepExpired());
    every(this.options.snapshotIntervalMs, () => {
      // Nothing written since the last snapshot: rewriting the same data would only cost I/O.
      if (writer.size > 0 || this.snapshot.checksum === null)
        this.inBackground('snapshot', () => this.snapshotNow());
    });
    every(this.options.compactionIntervalMs, () => this.inBackground('compaction', () => this.compact()));
  }

  /** Runs a timer task unless the previous one is still going; failures are logged, never thrown. */
  private inBackground(name: string, task: () => Promise<unknown>): void {
    if (this.busy.has(name) || this.state !== 'open') return;
    this.busy.add(name);
    void task()
      .catch((error: unknown) => this.logger.error(`${name} failed: ${String(error)}`))
      .finally(() => this.busy.delete(name));
  }

  private async closeOnce(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.state = 'closed';
    await this.writer?.close();
  }
}
