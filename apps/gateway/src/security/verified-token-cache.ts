import type { RequestIdentity } from './request-identity.js';

/** One verified token: who it names and until when (epoch ms) it stays acceptable. */
export interface VerifiedToken {
  readonly identity: RequestIdentity;
  /** First instant the token counts as expired (its `exp` plus the clock skew). */
  readonly expiresAtMs: number;
}

/**
 * A bounded least-recently-used map from a token's SHA-256 digest to its verified identity.
 *
 * Why it is safe: the key is a collision-resistant digest of the whole compact token (header, payload
 * and signature), so a hit means the very bytes that verified before are presented again; the
 * verification keys never change for the life of the gateway; and the only check that can turn a
 * verified token invalid later, `exp`, is re-checked by the caller on every hit (`nbf`/`iat` only
 * ever become more satisfied as time passes). Only successes are stored, so a flood of forged tokens
 * cannot evict much or grow memory past `maxEntries`. Raw tokens are never kept (a heap dump shows
 * digests, not bearer credentials).
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();

  constructor(private readonly maxEntries: number) {}

  /** The entry of `digest`, refreshed as most recently used; `undefined` when absent. */
  get(digest: string): VerifiedToken | undefined {
    const entry = this.entries.get(digest);
    if (entry === undefined) return undefined;
    // Map keeps insertion order: re-inserting moves the entry to the young end.
    this.entries.delete(digest);
    this.entries.set(digest, entry);
    return entry;
  }

  /** Stores an entry, evicting the least recently used one when full. */
  set(digest: string, entry: VerifiedToken): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(digest);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(digest, entry);
  }

  delete(digest: string): void {
    this.entries.delete(digest);
  }

  get size(): number {
    return this.entries.size;
  }
}
