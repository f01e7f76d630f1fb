/** `ttl_ms` as the port understands it: `null` (no expiry), a whole number of ms, or unusable. */
export type TtlParse = { ok: true; ttlMs: number | null } | { ok: false };

const INTEGER_STRING = /^[+-]?\d+$/;
const JSON_INTEGER = /^-?\d+$/;

/**
 * Interprets `ttl_ms` like the original's `normalize_ttl/2` for every value it used (absent/`null`,
 * a JSON integer, a string holding a whole integer such as `"500"`, `"+500"`, `"-1"`), and rejects what
 * it silently ignored (`"soon"`, `500.5`, `1e3`, `1000.0`, booleans, objects): the decided fix answers
 * those with 400 "Invalid ttl_ms". `source` is the JSON text of a number value. Integers beyond 2^53
 * are unusable too (they could not be written back exactly). Values <= 0 stay valid: they delete.
 */
export function parseTtl(value: unknown, source: string | undefined): TtlParse {
  if (value === undefined || value === null) return { ok: true, ttlMs: null };
  let text: string | undefined;
  if (typeof value === 'number')
    text = source !== undefined && JSON_INTEGER.test(source) ? source : undefined;
  else if (typeof value === 'string' && INTEGER_STRING.test(value)) text = value;
  if (text === undefined) return { ok: false };
  const ttlMs = Number(text);
  return Number.isSafeInteger(ttlMs) ? { ok: true, ttlMs: ttlMs === 0 ? 0 : ttlMs } : { ok: false };
}
