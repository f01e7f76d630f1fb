/** Options of {@link KeyValueStore.set}. */
export interface SetOptions {
  /** Time to live; the key disappears after it. Absent = no expiry (and a set without it removes an earlier TTL). */
  ttlMs?: number;
}

/** Options of {@link KeyValueStore.keys}. */
export interface KeysOptions {
  /** Most keys returned. @default 100 (the ToskaStore default) */
  limit?: number;
}

/**
 * Shared key/value state for mesh services: the port every provider implements and the DI token apps
 * inject. Values are JSON: anything `JSON.stringify` round-trips (objects, arrays, strings, numbers,
 * booleans, null); other values throw `KeyValueSerializationError`. Keys are strings; the store's key
 * prefix (default: the service name) is added and removed by the store, never seen by callers.
 *
 * Every provider passes one contract suite (`describeKeyValueContract` in `@toskamesh/testing`).
 */
export abstract class KeyValueStore {
  /** The value under `key`, or `undefined` when absent or expired. */
  abstract get<T = unknown>(key: string): Promise<T | undefined>;

  /** Stores `value` under `key`, replacing value and expiry. `ttlMs <= 0` deletes the key. */
  abstract set<T = unknown>(key: string, value: T, options?: SetOptions): Promise<void>;

  /** Removes `key`; `true` when it existed (best effort where the backend cannot tell). */
  abstract delete(key: string): Promise<boolean>;

  /** The values of the keys that exist, in a map keyed by the caller's keys (absent keys are left out). */
  abstract getMany<T = unknown>(keys: readonly string[]): Promise<Map<string, T>>;

  /** Keys starting with `prefix` (after the store prefix), at most `limit`, sorted. */
  abstract keys(prefix?: string, options?: KeysOptions): Promise<string[]>;

  /** Every `[key, value]` under `prefix`, streamed in pages so large stores do not load at once. */
  abstract entries<T = unknown>(prefix?: string): AsyncIterable<[string, T]>;

  /** Releases connections and timers. Called by `KeyValueModule` on shutdown; safe to call twice. */
  async close(): Promise<void> {}
}
