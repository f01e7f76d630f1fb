import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { ioredis } from './ioredis-module.js';
import { decodeValue, encodeValue } from '../../codec/json.codec.js';
import { KeyValueUnavailableError } from '../../errors/key-value-unavailable.error.js';
import type { PingableStore } from '../../health/pingable-store.js';
import type { RedisKeyValueOptions } from '../../key-value-options.js';
import { resolveRedisOptions, type ResolvedRedisOptions } from '../../key-value-options.validation.js';
import { KeyValueStore, type KeysOptions, type SetOptions } from '../../key-value-store.js';
import { KeyPrefix, compareKeys, resolveKeysLimit, resolveTtlMs } from '../../keys/key-prefix.js';
import { closeRedisClient, createRedisClient, escapeGlob, type RedisClient } from './redis-client.factory.js';
import { CommandDeadlines } from './command-deadlines.js';
import { planRedisConnection } from './redis-connection.plan.js';

/**
 * {@link KeyValueStore} on Redis (ioredis): `SET ... PX` for TTLs, `MGET` (chunked and pipelined) for
 * `getMany`, `SCAN MATCH` (never `KEYS`) for listing, with the glob characters of the prefix escaped.
 * Works against standalone Redis, Sentinel and Cluster (listing then scans every primary). Keys written
 * by the .NET original (`<prefix>:<key>` holding camelCase JSON) read back unchanged.
 */
export class RedisKeyValueStore extends KeyValueStore implements PingableStore {
  private readonly logger = new Logger(RedisKeyValueStore.name);
  private readonly options: ResolvedRedisOptions;
  private readonly prefix: KeyPrefix;
  private readonly client: RedisClient;
  private readonly ownsClient: boolean;
  private readonly deadlines: CommandDeadlines;
  private closing: Promise<void> | undefined;

  constructor(options: RedisKeyValueOptions & { keyPrefix?: string } = {}) {
    super();
    this.options = resolveRedisOptions(options);
    this.prefix = new KeyPrefix(options.keyPrefix);
    this.ownsClient = options.client === undefined;
    this.deadlines = new CommandDeadlines(this.options.commandTimeoutMs, redisFailure);
    this.client =
      options.client ?? createRedisClient(planRedisConnection(this.options), this.options, this.logger);
  }

  /** The ioredis client in use (for diagnostics and tests). */
  get redis(): RedisClient {
    return this.client;
  }

  override get<T = unknown>(key: string): Promise<T | undefined> {
    let stored: string;
    try {
      stored = this.prefix.apply(key);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    // Not `async`: one promise less per call, which shows with many calls in flight.
    // The .NET original treats an empty string like a missing key; it is not JSON anyway.
    return this.call('GET', () => this.client.get(stored)).then((text) =>
      text === null || text === '' ? undefined : decodeValue<T>(key, text),
    );
  }

  override async set<T = unknown>(key: string, value: T, options: SetOptions = {}): Promise<void> {
    const stored = this.prefix.apply(key);
    const ttlMs = resolveTtlMs(options.ttlMs);
    const text = encodeValue(key, value);
    if (ttlMs === 0) await this.call('DEL', () => this.client.del(stored));
    else if (ttlMs === undefined) await this.call('SET', () => this.client.set(stored, text));
    else await this.call('SET', () => this.client.set(stored, text, 'PX', ttlMs));
  }

  override async delete(key: string): Promise<boolean> {
    const stored = this.prefix.apply(key);
    return (await this.call('DEL', () => this.client.del(stored))) > 0;
  }

  override async getMany<T = unknown>(keys: readonly string[]): Promise<Map<string, T>> {
    const unique = [...new Set(keys)];
    const stored = unique.map((key) => this.prefix.apply(key));
    const texts = await this.fetch(stored);
    const result = new Map<string, T>();
    unique.forEach((key, index) => {
      const text = texts[index];
      if (text !== null && text !== undefined && text !== '') result.set(key, decodeValue<T>(key, text));
    });
    return result;
  }

  override async keys(prefix = '', options: KeysOptions = {}): Promise<string[]> {
    const limit = resolveKeysLimit(options.limit);
    const pattern = `${escapeGlob(this.prefix.query(prefix))}*`;
    const found = new Set<string>();
    if (limit === 0) return [];
    for await (const page of this.scan(pattern)) {
      for (const stored of page) {
        const key = this.prefix.strip(stored);
        if (key !== undefined) found.add(key);
      }
      // SCAN order is arbitrary, so stopping here returns *some* `limit` matches (as ToskaStore does)
      // instead of walking the whole keyspace to find the smallest ones.
      if (found.size >= limit) break;
    }
    return [...found].sort(compareKeys).slice(0, limit);
  }

  override async *entries<T = unknown>(prefix = ''): AsyncIterable<[string, T]> {
    const pattern = `${escapeGlob(this.prefix.query(prefix))}*`;
    // SCAN may return a key twice (the table can rehash between calls); remember what was yielded.
    const seen = new Set<string>();
    for await (const page of this.scan(pattern)) {
      const fresh = page.filter((stored) => !seen.has(stored) && this.prefix.strip(stored) !== undefined);
      fresh.forEach((stored) => seen.add(stored));
      const texts = await this.fetch(fresh);
      for (const [index, stored] of fresh.entries()) {
        const text = texts[index];
        if (text === null || text === undefined || text === '') continue;
        const key = this.prefix.strip(stored)!;
        yield [key, decodeValue<T>(key, text)];
      }
    }
  }

  /** One `PING` round trip. */
  async ping(signal?: AbortSignal): Promise<void> {
    await this.call('PING', () => abortable(this.client.ping(), signal));
  }

  override close(): Promise<void> {
    this.deadlines.close();
    this.closing ??= this.ownsClient ? closeRedisClient(this.client) : Promise.resolve();
    return this.closing;
  }

  /** Stored values of `stored` keys in order (`null` when absent): MGET chunks in one pipeline, or GETs on a cluster. */
  private async fetch(stored: readonly string[]): Promise<Array<string | null>> {
    if (stored.length === 0) return [];
    const chunks: string[][] = [];
    for (let start = 0; start < stored.length; start += this.options.batchSize) {
      chunks.push(stored.slice(start, start + this.options.batchSize));
    }
    if (this.client instanceof ioredis().Cluster) {
      // MGET across hash slots fails with CROSSSLOT; per-key GETs are auto-pipelined per node instead.
      const cluster = this.client;
      const values: Array<string | null> = [];
      for (const chunk of chunks)
        values.push(...(await this.call('GET', () => Promise.all(chunk.map((key) => cluster.get(key))))));
      return values;
    }
    if (chunks.length === 1) return this.call('MGET', () => this.client.mget(chunks[0]!));
    const pipeline = this.client.pipeline();
    chunks.forEach((chunk) => pipeline.mget(chunk));
    const replies = (await this.call('MGET', () => pipeline.exec())) ?? [];
    return replies.flatMap(([error, values]) => {
      if (error)
        throw new KeyValueUnavailableError('redis', `MGET failed: ${error.message}`, { cause: error });
      return values as Array<string | null>;
    });
  }

  /** Pages of stored keys matching `pattern`, from every primary (one node unless clustered). */
  private async *scan(pattern: string): AsyncGenerator<string[]> {
    for (const node of await this.primaries()) {
      let cursor = '0';
      do {
        const [next, keys] = await this.call('SCAN', () =>
          node.scan(cursor, 'MATCH', pattern, 'COUNT', this.options.scanCount),
        );
        cursor = next;
        if (keys.length > 0) yield keys;
      } while (cursor !== '0');
    }
  }

  private async primaries(): Promise<Redis[]> {
    if (!(this.client instanceof ioredis().Cluster)) return [this.client];
    const cluster = this.client;
    // The node list fills in once the cluster is connected; a PING waits for that (offline queue).
    await this.call('PING', () => cluster.ping());
    return cluster.nodes('master');
  }

  /** `run()` bounded by the command deadline, its failures as {@link KeyValueUnavailableError}. */
  private call<T>(what: string, run: () => Promise<T>): Promise<T> {
    let promise: Promise<T>;
    try {
      promise = run();
    } catch (error) {
      return Promise.reject(redisFailure(what, error));
    }
    return this.deadlines.bound(what, promise);
  }
}

function redisFailure(what: string, error: unknown): Error {
  if (error instanceof KeyValueUnavailableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new KeyValueUnavailableError('redis', `${what} failed: ${message}`, { cause: error });
}

/** `promise`, or a rejection as soon as `signal` aborts (the command itself cannot be withdrawn). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
