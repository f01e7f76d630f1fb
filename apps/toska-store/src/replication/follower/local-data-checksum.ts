import { canonicalJson, type JsonValue } from '../../store/canonical-json.js';
import type { KvEngine } from '../../store/kv-engine.js';
import { sha256Hex } from '../../store/record-checksum.js';

/**
 * The snapshot checksum the engine's live data would have (`sha256(canonical(data))`, contract §8). Equal
 * to a leader snapshot's checksum exactly when the data is the same, which lets a follower that was
 * caught up carry on after the leader truncated its AOF without fetching (and so forcing) a new snapshot.
 */
export function localDataChecksum(engine: KvEngine): string {
  // A null prototype keeps a key named "__proto__" an ordinary entry.
  const data = Object.create(null) as Record<string, JsonValue>;
  for (const key of engine.keys('', Number.MAX_SAFE_INTEGER)) {
    const entry = engine.get(key);
    if (entry) data[key] = { expires_at: entry.expiresAt, value: entry.value };
  }
  return sha256Hex(canonicalJson(data));
}
