import type { KeyValueStore } from '../key-value-store.js';

/**
 * A store that can prove its backend answers with one cheap round trip (Redis `PING`, ToskaStore
 * `GET /health`). Optional, so it is not part of the `KeyValueStore` port; `KeyValueHealthIndicator`
 * uses it when present.
 */
export interface PingableStore {
  /** Resolves when the backend answered; rejects (e.g. `KeyValueUnavailableError`) when it did not. */
  ping(signal?: AbortSignal): Promise<void>;
}

/** True when `store` has a {@link PingableStore.ping} method. */
export function isPingable(store: unknown): store is PingableStore {
  return typeof store === 'object' && store !== null && typeof (store as PingableStore).ping === 'function';
}

/** Key read by {@link pingStore} for stores without `ping` (any cheap round trip will do). */
export const HEALTH_PROBE_KEY = '__toskamesh_health__';

/** `store.ping(signal)` when it has one; else one `get` of {@link HEALTH_PROBE_KEY} as the round trip. */
export async function pingStore(store: KeyValueStore, signal?: AbortSignal): Promise<void> {
  if (isPingable(store)) await store.ping(signal);
  else await store.get(HEALTH_PROBE_KEY);
}
