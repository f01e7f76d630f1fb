import { compareUtf8 } from './canonical-json.js';
import type { StoredEntry } from './kv-engine.js';

// Rough per-entry cost of a Map slot, the entry object and two string headers, in bytes.
const ENTRY_OVERHEAD_BYTES = 96;

/**
 * The in-memory table: a `Map` plus the set of keys that carry an expiry, so the TTL sweep visits only
 * those. Entries are replaced, never mutated, so a snapshot can hold on to them while writes go on.
 * Expiry is `expiresAt <= now`, as upstream.
 */
export class KvTable {
  private readonly entries = new Map<string, StoredEntry>();
  private readonly expiring = new Set<string>();
  private approximateBytes = 0;

  constructor(private readonly clock: () => number) {}

  /** Rows, expired ones not yet swept included (as the original's `/stats.keys`). */
  get size(): number {
    return this.entries.size;
  }

  /** Rough memory held, in 8-byte words (the original reports ETS words). */
  get memoryWords(): number {
    return Math.ceil(this.approximateBytes / 8);
  }

  set(key: string, entry: StoredEntry): void {
    this.delete(key);
    this.entries.set(key, entry);
    if (entry.expiresAt !== null) this.expiring.add(key);
    this.approximateBytes += cost(key, entry);
  }

  delete(key: string): void {
    const previous = this.entries.get(key);
    if (!previous) return;
    this.entries.delete(key);
    this.expiring.delete(key);
    this.approximateBytes -= cost(key, previous);
  }

  clear(): void {
    this.entries.clear();
    this.expiring.clear();
    this.approximateBytes = 0;
  }

  /** The entry unless it has expired; an expired one is removed here (not logged). */
  live(key: string, now = this.clock()): StoredEntry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt === null || entry.expiresAt > now) return entry;
    this.delete(key);
    return undefined;
  }

  /** Removes every expired entry; returns how many. */
  sweep(now = this.clock()): number {
    let removed = 0;
    for (const key of this.expiring) {
      const entry = this.entries.get(key);
      if (entry && entry.expiresAt !== null && entry.expiresAt <= now) {
        this.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Every live entry, in no particular order (a copy: later writes do not change it). */
  liveEntries(now = this.clock()): [string, StoredEntry][] {
    const live: [string, StoredEntry][] = [];
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt === null || entry.expiresAt > now) live.push([key, entry]);
    }
    return live;
  }

  /** At most `limit` live keys starting with `prefix`, in UTF-8 byte order. */
  keys(prefix: string, limit: number, now = this.clock()): string[] {
    if (limit <= 0) return [];
    const matching: string[] = [];
    // Deleting the current key while iterating a Map is safe: live() drops expired rows as it goes.
    for (const key of this.entries.keys()) {
      if (key.startsWith(prefix) && this.live(key, now)) matching.push(key);
    }
    return matching.sort(compareUtf8).slice(0, limit);
  }
}

function cost(key: string, entry: StoredEntry): number {
  return ENTRY_OVERHEAD_BYTES + 2 * (key.length + entry.value.length);
}
