import type { KeyValueStore } from '@toskamesh/key-value';

/** What {@link describeKeyValueContract}'s `setup` returns: a store under test and how to dispose of it. */
export interface KeyValueContractSubject {
  /** The provider under test, using the `keyPrefix` passed to `setup`. */
  store: KeyValueStore;
  /** Releases the store and whatever `setup` started (servers, fixtures). Called once per `setup` call. */
  close(): Promise<void>;
}

/** How a provider differs from the default behaviour the suite asserts. Every field is optional. */
export interface KeyValueContractCapabilities {
  /**
   * `delete()` tells whether the key existed. `false` for ToskaStore, whose DELETE always answers 200
   * `ok`: the suite then only checks that the key is gone.
   * @default true
   */
  deleteReportsExisted?: boolean;
  /** `ttlMs` used by the TTL tests; small so they run in real time. @default 300 */
  ttlMs?: number;
  /** Longest wait for a lapsed TTL to show in reads. @default 3 * ttlMs + 5000 */
  expiryTimeoutMs?: number;
  /** Keys written for the paging test of `entries()` (more than one page of every provider). @default 250 */
  pagingKeys?: number;
  /** Writes in flight at once while filling the paging test (keeps HTTP servers and rate limits happy). @default 25 */
  writeConcurrency?: number;
}

/** Capabilities with every default filled in. */
export type ResolvedKeyValueContractCapabilities = Required<KeyValueContractCapabilities>;

/** Fills in the defaults of {@link KeyValueContractCapabilities}. */
export function resolveKeyValueCapabilities(
  capabilities: KeyValueContractCapabilities = {},
): ResolvedKeyValueContractCapabilities {
  const ttlMs = capabilities.ttlMs ?? 300;
  return {
    deleteReportsExisted: capabilities.deleteReportsExisted ?? true,
    ttlMs,
    expiryTimeoutMs: capabilities.expiryTimeoutMs ?? 3 * ttlMs + 5_000,
    pagingKeys: capabilities.pagingKeys ?? 250,
    writeConcurrency: capabilities.writeConcurrency ?? 25,
  };
}
