import { pingStore, type PingableStore } from '../health/pingable-store.js';
import { KeyValueStore, type KeysOptions, type SetOptions } from '../key-value-store.js';
import {
  keyValueMetrics,
  type KeyValueMetrics,
  type KeyValueOperation,
  type KeyValueOutcome,
} from './key-value.metrics.js';

/**
 * A {@link KeyValueStore} that forwards every call to `inner` and records
 * `toskamesh_kv_operations_total` and `toskamesh_kv_operation_duration_seconds` for it, so providers
 * stay free of metrics code. `ping` and `close` are forwarded unmeasured.
 */
export class InstrumentedKeyValueStore extends KeyValueStore implements PingableStore {
  private readonly metrics: KeyValueMetrics = keyValueMetrics();

  constructor(
    /** The store doing the work. */
    readonly inner: KeyValueStore,
    /** Value of the `provider` label. */
    readonly provider: string,
  ) {
    super();
  }

  override get<T = unknown>(key: string): Promise<T | undefined> {
    return this.measure('get', () => this.inner.get<T>(key));
  }

  override set<T = unknown>(key: string, value: T, options?: SetOptions): Promise<void> {
    return this.measure('set', () => this.inner.set<T>(key, value, options));
  }

  override delete(key: string): Promise<boolean> {
    return this.measure('delete', () => this.inner.delete(key));
  }

  override getMany<T = unknown>(keys: readonly string[]): Promise<Map<string, T>> {
    return this.measure('get_many', () => this.inner.getMany<T>(keys));
  }

  override keys(prefix?: string, options?: KeysOptions): Promise<string[]> {
    return this.measure('keys', () => this.inner.keys(prefix, options));
  }

  /** Counts one `entries` operation per iteration; its duration excludes the time the consumer spends between pages. */
  override async *entries<T = unknown>(prefix?: string): AsyncIterable<[string, T]> {
    let busyMs = 0;
    let outcome: KeyValueOutcome = 'success';
    try {
      const iterator = this.inner.entries<T>(prefix)[Symbol.asyncIterator]();
      try {
        for (;;) {
          const started = performance.now();
          const step = await iterator.next();
          busyMs += performance.now() - started;
          if (step.done) break;
          yield step.value;
        }
      } finally {
        await iterator.return?.();
      }
    } catch (error) {
      outcome = 'error';
      throw error;
    } finally {
      this.record('entries', outcome, busyMs);
    }
  }

  /** The inner store's `ping`, or a cheap read when it has none. */
  ping(signal?: AbortSignal): Promise<void> {
    return pingStore(this.inner, signal);
  }

  override close(): Promise<void> {
    return this.inner.close();
  }

  private async measure<R>(operation: KeyValueOperation, run: () => Promise<R>): Promise<R> {
    const started = performance.now();
    try {
      const result = await run();
      this.record(operation, 'success', performance.now() - started);
      return result;
    } catch (error) {
      this.record(operation, 'error', performance.now() - started);
      throw error;
    }
  }

  private record(operation: KeyValueOperation, outcome: KeyValueOutcome, elapsedMs: number): void {
    const { provider } = this;
    this.metrics.operations.inc({ provider, operation, outcome });
    this.metrics.duration.observe({ provider, operation }, elapsedMs / 1_000);
  }
}

/** Wraps `store` so its operations are measured under `provider` (see {@link InstrumentedKeyValueStore}). */
export function instrumentStore(store: KeyValueStore, provider: string): InstrumentedKeyValueStore {
  return new InstrumentedKeyValueStore(store, provider);
}
