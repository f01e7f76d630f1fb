import type { LoggerService } from '@nestjs/common';
import type { AofHandle } from './aof-file.js';
import { StoreUnavailableError } from './errors/store-unavailable.error.js';
import type { AofSlice, SyncMode } from './kv-engine.js';

/** How the writer is set up. */
export interface AofWriterOptions {
  handle: AofHandle;
  path: string;
  /** Current file size (after recovery). */
  size: number;
  syncMode: SyncMode;
  clock: () => number;
  logger: LoggerService;
  /** Upper bound of one group-commit write (a single larger record still goes alone). @default 4 MiB */
  maxBatchBytes?: number;
}

interface AppendTask {
  kind: 'append';
  bytes: Buffer;
  commit: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface ExclusiveTask {
  kind: 'exclusive';
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Task = AppendTask | ExclusiveTask;

/**
 * The single writer of the AOF. Every mutation goes through one queue, so records land in call order.
 * Appends waiting together become one group commit: one `write` of their concatenated bytes and, in
 * `always` mode, one `fdatasync`; only then is each `commit` run (the in-memory change) and each promise
 * resolved, so nothing is visible or acknowledged before it is in the file. Exclusive tasks (snapshot,
 * truncate, read) run between batches with the file quiet.
 *
 * A failed write is cut back off the file (`ftruncate` to the size before it) so later records do not
 * follow a fragment; if that fails too, or an fsync fails (the kernel may have dropped the dirty pages,
 * "fsyncgate"), the writer refuses all further work until a restart recovers from disk.
 */
export class AofWriter {
  private readonly queue: Task[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private readonly maxBatchBytes: number;
  private draining = false;
  private failure: StoreUnavailableError | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;
  private dirty = false;
  private backgroundSync: Promise<void> | null = null;
  private currentSize: number;
  private lastSync: number | null = null;

  constructor(private readonly options: AofWriterOptions) {
    this.currentSize = options.size;
    this.maxBatchBytes = options.maxBatchBytes ?? 4 * 1024 * 1024;
  }

  /** Bytes in the file, counting every completed write. */
  get size(): number {
    return this.currentSize;
  }

  /** Epoch ms (engine clock) of the last fsync, or `null`. */
  get lastSyncAt(): number | null {
    return this.lastSync;
  }

  /** Appends `bytes` (whole records); runs `commit` once they are written (and synced in `always`). */
  append(bytes: Buffer, commit: () => void): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'append', bytes, commit, resolve, reject }));
  }

  /** Runs `run` after everything queued before it, with no append in progress. */
  exclusive<T>(run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.enqueue({ kind: 'exclusive', run, resolve: resolve as (value: unknown) => void, reject }),
    );
  }

  /** Interval mode: fsync now if anything was written since the last one, without blocking appends. */
  syncInBackground(): void {
    if (!this.dirty || this.backgroundSync || this.failure || this.closed) return;
    this.dirty = false;
    this.backgroundSync = this.options.handle
      .datasync()
      .then(
        () => {
          this.lastSync = this.options.clock();
        },
        (error: unknown) => {
          this.fail('fsync', error);
        },
      )
      .finally(() => {
        this.backgroundSync = null;
      });
  }

  /** Only inside {@link exclusive}: fsync the file. */
  async sync(): Promise<void> {
    await this.options.handle.datasync();
    this.dirty = false;
    this.lastSync = this.options.clock();
  }

  /** Only inside {@link exclusive}: empties the file durably. A failure stops the writer. */
  async truncate(): Promise<void> {
    try {
      await this.options.handle.truncate(0);
      await this.options.handle.sync();
    } catch (error) {
      throw this.fail('truncate', error);
    }
    this.currentSize = 0;
    this.dirty = false;
    this.lastSync = this.options.clock();
  }

  /** Only inside {@link exclusive}: `[since, since + maxBytes)` of the file. */
  async read(since: number, maxBytes: number): Promise<AofSlice> {
    const size = this.currentSize;
    if (since >= size) return { size, offset: since, bytes: Buffer.alloc(0) };
    const bytes = Buffer.allocUnsafe(Math.min(size - since, maxBytes));
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await this.options.handle.read(
        bytes,
        filled,
        bytes.length - filled,
        since + filled,
      );
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { size, offset: since, bytes: bytes.subarray(0, filled) };
  }

  /** Refuses new work, finishes what is queued, fsyncs and closes the file. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    this.closed = true;
    if (this.draining) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.backgroundSync;
    try {
      if (this.dirty && !this.failure) await this.sync();
    } finally {
      await this.options.handle.close();
    }
  }

  private enqueue(task: Task): void {
    const refusal = this.failure ?? (this.closed ? new StoreUnavailableError('the engine is closed') : null);
    if (refusal) {
      task.reject(refusal);
      return;
    }
    this.queue.push(task);
    if (this.draining) return;
    this.draining = true;
    // Start on a microtask so that every write issued in the same tick joins the first batch.
    queueMicrotask(() => void this.drain());
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      if (this.failure) {
        for (const task of this.queue.splice(0)) task.reject(this.failure);
        break;
      }
      if (this.queue[0]!.kind === 'exclusive') await this.runExclusive(this.queue.shift() as ExclusiveTask);
      else await this.writeBatch(this.takeBatch());
    }
    this.draining = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private takeBatch(): AppendTask[] {
    let count = 0;
    let bytes = 0;
    for (const task of this.queue) {
      if (task.kind !== 'append' || (count > 0 && bytes + task.bytes.length > this.maxBatchBytes)) break;
      bytes += task.bytes.length;
      count++;
    }
    return this.queue.splice(0, count) as AppendTask[];
  }

  private async runExclusive(task: ExclusiveTask): Promise<void> {
    await this.backgroundSync;
    try {
      task.resolve(await task.run());
    } catch (error) {
      task.reject(error);
    }
  }

  private async writeBatch(batch: AppendTask[]): Promise<void> {
    const bytes = batch.length === 1 ? batch[0]!.bytes : Buffer.concat(batch.map((task) => task.bytes));
    const before = this.currentSize;
    let error = await this.writeAll(bytes);
    if (!error) {
      this.currentSize += bytes.length;
      this.dirty = true;
      if (this.options.syncMode === 'always') error = await this.syncAfterWrite(before);
    } else {
      error = await this.rollback(before, error);
    }
    for (const task of batch) {
      if (error) {
        task.reject(error);
        continue;
      }
      task.commit();
      task.resolve();
    }
  }

  private async writeAll(bytes: Buffer): Promise<unknown> {
    try {
      for (let offset = 0; offset < bytes.length;) {
        const { bytesWritten } = await this.options.handle.write(bytes, offset, bytes.length - offset);
        if (bytesWritten <= 0) throw new Error('write() wrote nothing');
        offset += bytesWritten;
      }
      return null;
    } catch (error) {
      return error ?? new Error('write failed');
    }
  }

  private async syncAfterWrite(before: number): Promise<StoreUnavailableError | null> {
    try {
      await this.sync();
      return null;
    } catch (error) {
      const failure = this.fail('fsync', error);
      await this.options.handle.truncate(before).catch(() => undefined);
      return failure;
    }
  }

  private async rollback(before: number, cause: unknown): Promise<StoreUnavailableError> {
    try {
      await this.options.handle.truncate(before);
      this.currentSize = before;
    } catch {
      return this.fail('append (and cutting the fragment off)', cause);
    }
    this.options.logger.error(`AOF ${this.options.path}: append failed, write rejected: ${String(cause)}`);
    return new StoreUnavailableError(`appending to the AOF failed (${String(cause)})`, cause);
  }

  private fail(operation: string, cause: unknown): StoreUnavailableError {
    this.failure ??= new StoreUnavailableError(
      `AOF ${this.options.path}: ${operation} failed (${String(cause)}); writes are refused until a restart ` +
        'recovers from disk',
      cause,
    );
    this.options.logger.error(this.failure.message);
    return this.failure;
  }
}
