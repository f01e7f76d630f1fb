import { Logger } from '@nestjs/common';
import { MeshConfigError, MeshValidationError } from '@toskamesh/common';
import { decodeValue, encodeValue } from '../../codec/json.codec.js';
import { KeyValueUnavailableError } from '../../errors/key-value-unavailable.error.js';
import type { PingableStore } from '../../health/pingable-store.js';
import { KeyValueStore, type KeysOptions, type SetOptions } from '../../key-value-store.js';
import { KeyPrefix, compareKeys, resolveKeysLimit, resolveTtlMs } from '../../keys/key-prefix.js';
import { ToskaStoreHttpClient, type ToskaStoreResilienceOptions } from './toskastore-http.client.js';
import { TOSKASTORE_PROVIDER, serverMessageOf } from './toskastore-http.errors.js';
import { ToskaStoreKeyIndex } from './toskastore-key.index.js';
import { MGET_CHUNK, ToskaStoreKvApi } from './toskastore-kv.api.js';
import { resolveToskaStoreOptions, type ToskaStoreStoreOptions } from './toskastore.options.js';

/** Most keys `entries()` visits: `/kv/keys` has no cursor, so the key list is fetched at once, up to this. */
export const TOSKASTORE_ENTRIES_BOUND = 100_000;

/**
 * {@link KeyValueStore} on a ToskaStore server (apps/toska-store or the original Elixir one) over HTTP.
 * Values are stored as their JSON text in the server's string `value`; keys as `<keyPrefix>:<key>`, one
 * percent-encoded path segment each. Differences from the .NET original, on purpose: `getMany`/`entries`
 * send the prefixed keys to mget (it sent unprefixed ones and found nothing), listing works without the
 * key index whenever `/kv/keys` exists, and key-index updates are serialized within the process.
 *
 * `delete()` answers honestly: ToskaStore's DELETE always says 200, so the store GETs first (one extra
 * round trip; a write racing between the two can make the answer stale).
 */
export class ToskaStoreKeyValueStore extends KeyValueStore implements PingableStore {
  private readonly logger = new Logger(ToskaStoreKeyValueStore.name);
  private readonly http: ToskaStoreHttpClient;
  private readonly api: ToskaStoreKvApi;
  private readonly prefix: KeyPrefix;
  private readonly index: ToskaStoreKeyIndex | undefined;
  /** Set once the server showed it has no `/kv/keys`; listing then goes to the key index. */
  private listingUnsupported = false;

  constructor(options: ToskaStoreStoreOptions = {}, resilience: ToskaStoreResilienceOptions = {}) {
    super();
    const resolved = resolveToskaStoreOptions(options);
    this.prefix = new KeyPrefix(options.keyPrefix);
    this.http = new ToskaStoreHttpClient(resolved, resilience);
    this.api = new ToskaStoreKvApi(this.http);
    if (resolved.enableKeyIndex) {
      this.index = new ToskaStoreKeyIndex(this.api, this.prefix, resolved.keyIndexKey);
    }
  }

  /** Target of this store's circuit breaker in its `CircuitBreakerRegistry` (`toskastore:<baseUrl>`). */
  get breakerTarget(): string {
    return this.http.breakerTarget;
  }

  override async get<T = unknown>(key: string): Promise<T | undefined> {
    const text = await this.api.get(this.prefix.apply(key));
    return text === undefined ? undefined : decodeValue<T>(key, text);
  }

  override async set<T = unknown>(key: string, value: T, options: SetOptions = {}): Promise<void> {
    const stored = this.writable(key);
    const ttlMs = resolveTtlMs(options.ttlMs);
    const text = encodeValue(key, value);
    // `ttl_ms <= 0` deletes upstream too, but as a quirk; an explicit DELETE also keeps the index right.
    if (ttlMs === 0) return this.remove(key, stored);
    await this.api.put(stored, text, ttlMs);
    await this.index?.add(key);
  }

  override async delete(key: string): Promise<boolean> {
    const stored = this.writable(key);
    const existed = (await this.api.get(stored)) !== undefined;
    await this.remove(key, stored);
    return existed;
  }

  override async getMany<T = unknown>(keys: readonly string[]): Promise<Map<string, T>> {
    const storedKeys = keys.map((key) => this.prefix.apply(key));
    const found = await this.api.mget(storedKeys);
    const result = new Map<string, T>();
    keys.forEach((key, i) => {
      const text = found.get(storedKeys[i]!);
      if (text !== undefined && !result.has(key)) result.set(key, decodeValue<T>(key, text));
    });
    return result;
  }

  override async keys(prefix = '', options: KeysOptions = {}): Promise<string[]> {
    const limit = resolveKeysLimit(options.limit);
    const head = this.prefix.query(prefix);
    return limit === 0 ? [] : this.list(head, prefix, limit);
  }

  override async *entries<T = unknown>(prefix = ''): AsyncIterable<[string, T]> {
    const keys = await this.list(this.prefix.query(prefix), prefix, TOSKASTORE_ENTRIES_BOUND);
    for (let start = 0; start < keys.length; start += MGET_CHUNK) {
      yield* await this.getMany<T>(keys.slice(start, start + MGET_CHUNK));
    }
  }

  /** `GET /health` (no auth, no retry, no breaker): resolves on 200, else `KeyValueUnavailableError`. */
  async ping(signal?: AbortSignal): Promise<void> {
    const answer = await this.api.health(signal);
    if (answer.status === 200) return;
    const { status } = (answer.body ?? {}) as { status?: unknown };
    const detail = `GET /health answered HTTP ${answer.status} (${typeof status === 'string' ? status : serverMessageOf(answer.body)})`;
    throw new KeyValueUnavailableError(TOSKASTORE_PROVIDER, detail, { status: answer.status });
  }

  /** Waits for queued key-index writes, closes the connection pool and stops its own breakers. */
  override async close(): Promise<void> {
    await this.index?.idle();
    await this.http.close();
  }

  /** The stored key of `key` for a write; the index key is off limits while the index is kept. */
  private writable(key: string): string {
    const stored = this.prefix.apply(key);
    if (this.index && key === this.index.key) {
      throw new MeshValidationError('key-value key', [
        `"${key}" holds the key index (keyValue.toskaStore.keyIndexKey); pick another key or index key`,
      ]);
    }
    return stored;
  }

  private async remove(key: string, stored: string): Promise<void> {
    await this.api.delete(stored);
    await this.index?.remove(key);
  }

  /** Caller keys under `prefix` (`head` once prefixed), sorted, at most `limit`. */
  private async list(head: string, prefix: string, limit: number): Promise<string[]> {
    if (!this.listingUnsupported) {
      const listed = await this.listFromServer(head, limit);
      if (listed) return listed;
      this.listingUnsupported = true;
      this.logger.warn(
        this.index
          ? 'ToskaStore has no GET /kv/keys; listing falls back to the key index'
          : 'ToskaStore has no GET /kv/keys and the key index is off; keys() and entries() cannot work',
      );
    }
    if (!this.index) {
      throw new MeshConfigError(
        'keyValue.toskaStore.enableKeyIndex',
        'must be true to list keys: this ToskaStore server has no GET /kv/keys (it answered 404)',
        { value: false, allowed: 'true (Mesh__KeyValue__ToskaStore__EnableKeyIndex=true)' },
      );
    }
    return this.listFromIndex(prefix, limit);
  }

  /**
   * `/kv/keys` returns an arbitrary `limit` of the matches and has no cursor (contract §3): with more
   * matches than `limit`, which ones come back is the server's choice (as with Redis SCAN); they are sorted.
   */
  private async listFromServer(head: string, limit: number): Promise<string[] | undefined> {
    // Room for the index key, which lives under the same prefix but is not the caller's.
    const stored = await this.api.list(head, limit + (this.index ? 1 : 0));
    if (stored === undefined) return undefined;
    const keys: string[] = [];
    for (const item of stored) {
      const key = this.prefix.strip(item);
      if (key !== undefined && key !== this.index?.key) keys.push(key);
    }
    return keys.sort(compareKeys).slice(0, limit);
  }

  /** Listed keys that still exist (checked with mget, page by page); the missing ones are pruned. */
  private async listFromIndex(prefix: string, limit: number): Promise<string[]> {
    const candidates = (await this.index!.read()).filter((key) => key.startsWith(prefix));
    const live: string[] = [];
    const gone: string[] = [];
    for (let start = 0; start < candidates.length && live.length < limit; start += MGET_CHUNK) {
      const page = candidates.slice(start, start + MGET_CHUNK);
      const found = await this.api.mget(page.map((key) => this.prefix.apply(key)));
      for (const key of page) (found.has(this.prefix.apply(key)) ? live : gone).push(key);
    }
    if (gone.length > 0) {
      this.index!.prune(gone).catch((error: unknown) =>
        this.logger.warn(`Pruning ${gone.length} missing keys from the key index failed: ${String(error)}`),
      );
    }
    return live.slice(0, limit);
  }
}
