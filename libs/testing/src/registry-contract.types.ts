import type { ServiceRegistry } from '@toskamesh/registry';

/** What {@link describeRegistryContract}'s `setup` returns: a registry under test and how to dispose of it. */
export interface RegistryContractSubject {
  /** The provider under test. */
  registry: ServiceRegistry;
  /** Releases the registry and whatever `setup` started (servers, fixtures). Called once, in `afterAll`. */
  close(): Promise<void>;
}

/** How a provider differs from the default behaviour the suite asserts. Every field is optional. */
export interface RegistryContractCapabilities {
  /**
   * A lapsed TTL deletes the instance and is announced as `deregister` with reason `'expired'` (memory,
   * Redis, discovery). `false` for providers that keep it and mark it not healthy (Consul turns the
   * check critical): the suite then expects it out of `healthyOnly` results and a `health` event.
   * @default true
   */
  expiryRemovesInstance?: boolean;
  /** `ttlMs` given to registrations in the TTL tests; small so they run in real time. @default 600 */
  ttlMs?: number;
  /** Longest wait for a lapsed TTL to show in reads and watches. @default 3 * ttlMs + 5000 */
  expiryTimeoutMs?: number;
  /** Longest wait for one watch item or one eventual read. @default 5000 */
  changeTimeoutMs?: number;
  /** The provider stores `tags` (the discovery REST contract has none). @default true */
  keepsTags?: boolean;
  /** The provider honours `registration.ttlMs`; `false` skips the TTL tests. @default true */
  honoursTtl?: boolean;
}

/** Capabilities with every default filled in. */
export type ResolvedRegistryContractCapabilities = Required<RegistryContractCapabilities>;

/** Fills in the defaults of {@link RegistryContractCapabilities}. */
export function resolveCapabilities(
  capabilities: RegistryContractCapabilities = {},
): ResolvedRegistryContractCapabilities {
  const ttlMs = capabilities.ttlMs ?? 600;
  return {
    expiryRemovesInstance: capabilities.expiryRemovesInstance ?? true,
    ttlMs,
    expiryTimeoutMs: capabilities.expiryTimeoutMs ?? 3 * ttlMs + 5_000,
    changeTimeoutMs: capabilities.changeTimeoutMs ?? 5_000,
    keepsTags: capabilities.keepsTags ?? true,
    honoursTtl: capabilities.honoursTtl ?? true,
  };
}
