import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import type { LoggerService } from '@nestjs/common';
import type { AofOpener } from './aof-file.js';
import type { AofRecord } from './aof-record.codec.js';
import { recoverAof, type AofRecoveryReport } from './aof-recovery.js';
import { AofWriter } from './aof-writer.js';
import { SnapshotCorruptionError } from './errors/snapshot-corruption.error.js';
import type { FileKvEngineOptions } from './file-kv-engine.options.js';
import type { KvTable } from './kv-table.js';
import { readSnapshotFile } from './snapshot.codec.js';

/** The engine's knowledge of its current snapshot file. */
export interface SnapshotState {
  checksum: string | null;
  /** When it was written (or the file's `created_at` when loaded at boot). */
  createdAt: number | null;
  bytes: number;
}

/** Everything start-up needs. */
export interface StoreRecoveryOptions extends FileKvEngineOptions {
  aofPath: string;
  snapshotPath: string;
  table: KvTable;
  logger: LoggerService;
  clock: () => number;
  openAof: AofOpener;
}

/** The recovered store. `repaired`: corrupt AOF records were skipped; the caller should compact now. */
export interface RecoveredStore {
  writer: AofWriter;
  snapshot: SnapshotState;
  repaired: boolean;
}

/**
 * Start-up: snapshot, then AOF replay into `options.table`, then a writer positioned at the end of the
 * (possibly truncated) AOF. With `repair`, the damaged file is first copied to `<aof>.corrupt-<ms>` so
 * nothing is destroyed; the caller's compaction then leaves a clean snapshot and an empty AOF.
 */
export async function recoverStore(options: StoreRecoveryOptions): Promise<RecoveredStore> {
  await mkdir(options.dataDir, { recursive: true });
  // A leftover tmp file is a snapshot that never got renamed: the crash happened before it counted.
  await rm(`${options.snapshotPath}.tmp`, { force: true });
  const snapshot = await loadSnapshot(options);
  const handle = await options.openAof(options.aofPath);
  let report: AofRecoveryReport;
  try {
    const now = options.clock();
    report = await recoverAof(handle, (await handle.stat()).size, {
      path: options.aofPath,
      repair: options.repair,
      logger: options.logger,
      apply: (record) => applyRecovered(options.table, record, now),
    });
  } catch (error) {
    await handle.close();
    throw error;
  }
  logRecovery(options, report);
  if (report.corrupt.length > 0) {
    const aside = `${options.aofPath}.corrupt-${options.clock()}`;
    await copyFile(options.aofPath, aside);
    options.logger.warn(`repair: the damaged AOF was kept as ${aside}; compacting to a clean snapshot`);
  }
  const writer = new AofWriter({
    handle,
    path: options.aofPath,
    size: report.size,
    syncMode: options.syncMode,
    clock: options.clock,
    logger: options.logger,
  });
  return { writer, snapshot, repaired: report.corrupt.length > 0 };
}

/**
 * An expired `set` removes the key rather than being skipped: upstream skips it, which resurrects the
 * value the set had replaced (from the snapshot or an earlier record).
 */
function applyRecovered(table: KvTable, record: AofRecord, now: number): void {
  if (record.op === 'del' || (record.expiresAt !== null && record.expiresAt <= now)) table.delete(record.key);
  else table.set(record.key, { value: record.value, expiresAt: record.expiresAt });
}

/**
 * Decision: upstream ignores a snapshot whose checksum fails (a warning, then an empty table plus the
 * AOF tail, and the next periodic snapshot overwrites the evidence): silent loss of every key written
 * before that snapshot. This port refuses to start ({@link SnapshotCorruptionError}); with `repair` it
 * does what upstream did, but first renames the bad file to `<snapshot>.corrupt-<ms>` so it survives.
 * Legacy bare-map snapshots and snapshots without a checksum cannot be verified and load as upstream.
 */
async function loadSnapshot(options: StoreRecoveryOptions): Promise<SnapshotState> {
  let loaded: Awaited<ReturnType<typeof readSnapshotFile>>;
  try {
    loaded = await readSnapshotFile(options.snapshotPath);
  } catch (error) {
    if (!(error instanceof SnapshotCorruptionError) || !options.repair) throw error;
    const aside = `${options.snapshotPath}.corrupt-${options.clock()}`;
    await rename(options.snapshotPath, aside);
    options.logger.warn(
      `repair: snapshot ${options.snapshotPath} is corrupt (${error.reason}); kept as ${aside}, ` +
        'starting from the AOF alone',
    );
    return { checksum: null, createdAt: null, bytes: 0 };
  }
  if (!loaded) return { checksum: null, createdAt: null, bytes: 0 };
  const { snapshot } = loaded;
  const now = options.clock();
  for (const [key, entry] of snapshot.entries) {
    if (entry.expiresAt === null || entry.expiresAt > now) options.table.set(key, entry);
  }
  if (snapshot.invalidEntries > 0) {
    options.logger.warn(
      `snapshot ${options.snapshotPath}: skipped ${snapshot.invalidEntries} malformed entries`,
    );
  }
  if (snapshot.format !== 'verified') {
    options.logger.warn(
      `snapshot ${options.snapshotPath} has no checksum (${snapshot.format}); loaded unverified`,
    );
  }
  return { checksum: snapshot.checksum, createdAt: snapshot.createdAt, bytes: loaded.bytes };
}

function logRecovery(options: StoreRecoveryOptions, report: AofRecoveryReport): void {
  const notes = [
    report.tornBytes > 0 ? `${report.tornBytes} torn bytes dropped` : '',
    report.corrupt.length > 0 ? `${report.corrupt.length} corrupt records skipped` : '',
    report.unsupported > 0 ? `${report.unsupported} unsupported records skipped` : '',
    report.legacyEncoded > 0
      ? `${report.legacyEncoded} double-encoded records of the original recovered`
      : '',
  ].filter(Boolean);
  options.logger.log(
    `recovered ${options.table.size} keys: AOF ${options.aofPath} replayed ${report.applied} records` +
      (notes.length > 0 ? ` (${notes.join(', ')})` : ''),
  );
}
