import { encodeValue, decodeValue } from '../../codec/json.codec.js';
import type { PingableStore } from '../../health/pingable-store.js';
import type { MemoryKeyValueOptions } from '../../key-value-options.js';
import { resolveMemoryOptions } from '../../key-value-options.validation.js';
import { KeyValueStore, type KeysOptions, type SetOptions } from '../../key-value-store.js';
import { KeyPrefix, compareKeys, resolveKeysLimit, resolveTtlMs } from '../../keys/key-prefix.js';

interface Entry {
  /** The value as JSON text, so callers can never mutate what is stored. */
  text: string;
  /** Epoch ms after which the entry is gone; absent = no expiry. */
  expiresAt?: number;
}

/** Keys per page of `entries()`, so a long iteration sees concurrent writes like the remote stores do. */
const ENTRIES_PAGE = 100;

/**
 * In-process {@link KeyValueStore}: a map of JSON text with TTLs. Expired keys vanish from every read at
 * once (lazy check) and are swept out on an unref'd timer, cleared by {@link close}. Not shared between
 * processes: for tests, local development and single-replica services.
 */
export class MemoryKeyValueStore extends KeyValueStore implements PingableStore {
  private readonly entriesByKey = new Map<string, Entry>();
  private readonly prefix: KeyPrefix;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: MemoryKeyValueOptions & { keyPrefix?: string } = {}) {
    super();
    const { sweepIntervalMs } = resolveMemoryOptions(options);
    this.prefix = new KeyPrefix(options.keyPrefix);
    this.sweepTimer = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweepTimer.unref();
  }

  override async get<T = unknown>(key: string): Promise<T | undefined> {
    const stored = this.prefix.apply(key);
    const entry = this.live(stored, Date.now());
    return entry ? decodeValue<T>(key, entry.text) : undefined;
  }

  override async set<T = unknown>(key: string, value: T, options: SetOptions = {}): Promise<void> {
    const stored = this.prefix.apply(key);
    const ttlMs = resolveTtlMs(options.ttlMs);
    const text = encodeValue(key, value);
    if (ttlMs === 0) {
      this.entriesByKey.delete(stored);
      return;
    }
    this.entriesByKey.set(stored, ttlMs === undefined ? { text } : { text, expiresAt: Date.now() + ttlMs });
  }

  override async delete(key: string): Promise<boolean> {
    const stored = this.prefix.apply(key);
    const existed = this.live(stored, Date.now()) !== undefined;
    this.entriesByKey.delete(stored);
    return existed;
  }

  override async getMany<T = unknown>(keys: readonly string[]): Promise<Map<string, T>> {
    const now = Date.now();
    const result = new Map<string, T>();
    for (const key of keys) {
      const entry = this.live(this.prefix.apply(key), now);
      if (entry && !result.has(key)) result.set(key, decodeValue<T>(key, entry.text));
    }
    return result;
  }

  override async keys(prefix = '', options: KeysOptions = {}): Promise<string[]> {
    const limit = resolveKeysLimit(options.limit);
    return limit === 0 ? [] : this.matching(prefix).slice(0, limit);
  }

  override async *entries<T = unknown>(prefix = ''): AsyncIterable<[string, T]> {
    const keys = this.matching(prefix);
    for (let start = 0; start < keys.length; start += ENTRIES_PAGE) {
      const page = await this.getMany<T>(keys.slice(start, start + ENTRIES_PAGE));
      yield* page;
    }
  }

  /** Always answers: the data lives in this process. */
  async ping(): Promise<void> {}

  override async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  /** Live caller keys under `prefix`, sorted. */
  private matching(prefix: string): string[] {
    const head = this.prefix.query(prefix);
    const now = Date.now();
    const keys: string[] = [];
    for (const stored of this.entriesByKey.keys()) {
      if (!stored.startsWith(head) || !this.live(stored, now)) continue;
      const key = this.prefix.strip(stored);
      if (key !== undefined) keys.push(key);
    }
    return keys.sort(compareKeys);
  }

  private live(stored: string, now: number): Entry | undefined {
    const entry = this.entriesByKey.get(stored);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now) {
      this.entriesByKey.delete(stored);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [stored, entry] of this.entriesByKey) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.entriesByKey.delete(stored);
    }
  }
}
