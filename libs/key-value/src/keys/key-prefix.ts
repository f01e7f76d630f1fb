import { MeshConfigError, MeshValidationError } from '@toskamesh/common';

/**
 * The store-wide key prefix, applied in one place for every provider: caller key `k` is stored as
 * `<prefix>:k` and read back as `k`. An empty prefix stores keys as they are. One trailing `:` in the
 * prefix is accepted, so `orders:` and `orders` address the same keys (the .NET original appended a
 * `:` only when missing, and data it wrote stays readable).
 */
export class KeyPrefix {
  /** What is prepended to every key: `''` or `<prefix>:`. */
  readonly head: string;

  constructor(prefix: string = '') {
    if (typeof prefix !== 'string') {
      throw new MeshConfigError('keyValue.keyPrefix', 'must be a string', {
        value: prefix,
        allowed: 'any string; empty for no prefix',
      });
    }
    this.head = prefix === '' || prefix.endsWith(':') ? prefix : `${prefix}:`;
  }

  /** The stored key of caller key `key`; throws {@link MeshValidationError} for an empty or non-string key. */
  apply(key: string): string {
    assertKey(key);
    return this.head + key;
  }

  /** The caller key of stored key `stored`, or `undefined` when it is not under this prefix. */
  strip(stored: string): string | undefined {
    if (!stored.startsWith(this.head)) return undefined;
    const key = stored.slice(this.head.length);
    return key === '' ? undefined : key;
  }

  /** The stored-key prefix of a `keys(prefix)` / `entries(prefix)` query (`prefix` may be empty). */
  query(prefix: string = ''): string {
    if (typeof prefix !== 'string') {
      throw new MeshValidationError('key-value prefix', [`must be a string, got ${typeof prefix}`]);
    }
    return this.head + prefix;
  }
}

/** Throws {@link MeshValidationError} unless `key` is a non-empty string. */
export function assertKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '') {
    const shown = typeof key === 'string' ? 'an empty string' : typeof key;
    throw new MeshValidationError('key-value key', [`must be a non-empty string, got ${shown}`]);
  }
}

/** Default of `keys(prefix, { limit })`, the ToskaStore default. */
export const DEFAULT_KEYS_LIMIT = 100;

/** The `limit` of a `keys()` call: a whole number >= 0, default {@link DEFAULT_KEYS_LIMIT}. */
export function resolveKeysLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_KEYS_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new MeshValidationError('keys() limit', [`must be a whole number >= 0, got ${String(limit)}`]);
  }
  return limit;
}

/**
 * The `ttlMs` of a `set()`: `undefined` (no expiry), or a whole number of milliseconds (fractions round
 * up, so a tiny TTL never becomes 0); `<= 0` means delete. Anything else is a {@link MeshValidationError}.
 */
export function resolveTtlMs(ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined) return undefined;
  if (typeof ttlMs !== 'number' || Number.isNaN(ttlMs) || ttlMs > Number.MAX_SAFE_INTEGER) {
    throw new MeshValidationError('set() ttlMs', [
      `must be a number of milliseconds up to ${Number.MAX_SAFE_INTEGER}, got ${String(ttlMs)}`,
    ]);
  }
  return ttlMs <= 0 ? 0 : Math.ceil(ttlMs);
}

/** Ordinal (UTF-16 code unit) order, the order `keys()` returns. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
