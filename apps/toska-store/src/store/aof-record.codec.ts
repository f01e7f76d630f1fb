import { encodeJsonString, type JsonValue } from './canonical-json.js';
import { recordChecksum, sha256Hex } from './record-checksum.js';

/** One write as the AOF carries it (`v` 1). `expiresAt` is epoch ms or `null`. */
export type AofRecord =
  { op: 'set'; key: string; value: string; expiresAt: number | null } | { op: 'del'; key: string };

/** What one AOF line decodes to. */
export type AofLineResult =
  /** `legacyEncoding`: the line was double-encoded UTF-8 written by the original and verified once undone. */
  | { status: 'ok'; record: AofRecord; legacyEncoding: boolean }
  /** Not JSON at all (a torn write, or damage). */
  | { status: 'unparsable'; reason: string }
  /** JSON whose string `checksum` does not match its content. */
  | { status: 'bad-checksum'; reason: string }
  /** Verified (or unchecked) JSON that is not a set/del record this version understands; skipped like upstream. */
  | { status: 'unsupported'; reason: string };

/**
 * The record as one AOF line (with its `\n`), byte-for-byte what the original writes: keys sorted,
 * Jason escaping, checksum over the canonical form. Strings are encoded once and shared by the checksum
 * input and the line, which keeps the write path to two string builds and one hash.
 */
export function encodeAofRecord(record: AofRecord): Buffer {
  const key = encodeJsonString(record.key);
  if (record.op === 'del') {
    const checksum = sha256Hex(delCanonical(key));
    return Buffer.from(`{"checksum":"${checksum}","key":${key},"op":"del","v":1}\n`, 'utf8');
  }
  const value = encodeJsonString(record.value);
  const expiresAt = record.expiresAt === null ? 'null' : String(record.expiresAt);
  const checksum = sha256Hex(setCanonical(key, value, expiresAt));
  return Buffer.from(
    `{"checksum":"${checksum}","expires_at":${expiresAt},"key":${key},"op":"set","v":1,"value":${value}}\n`,
    'utf8',
  );
}

// eslint-disable-next-line no-control-regex -- "only Latin-1 code points" is the test for double encoding
const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * Decodes one AOF line (already trimmed, not blank). A line whose checksum fails is retried as the
 * original's double-encoded UTF-8 (it wrote non-ASCII records through a Latin-1 re-encoding, contract
 * §8): if undoing that verifies, the write is recovered instead of lost as upstream loses it.
 */
export function decodeAofLine(line: string): AofLineResult {
  const parsed = parseObject(line);
  if (typeof parsed === 'string') return { status: 'unparsable', reason: parsed };
  const claimed = parsed['checksum'];
  if (typeof claimed !== 'string') return toRecord(parsed, false);
  const actual = checksumOf(parsed);
  if (claimed === actual) return toRecord(parsed, false);
  if (NON_ASCII.test(line) && !BEYOND_LATIN1.test(line)) {
    const undone = parseObject(Buffer.from(line, 'latin1').toString('utf8'));
    if (typeof undone !== 'string' && undone['checksum'] === checksumOf(undone)) {
      return toRecord(undone, true);
    }
  }
  return {
    status: 'bad-checksum',
    reason: `checksum mismatch (record says ${claimed}, content hashes to ${actual})`,
  };
}

function setCanonical(key: string, value: string, expiresAt: string): string {
  return `[["expires_at",${expiresAt}],["key",${key}],["op","set"],["v",1],["value",${value}]]`;
}

function delCanonical(key: string): string {
  return `[["key",${key}],["op","del"],["v",1]]`;
}

/** The record checksum, with the canonical form built directly for the two record shapes this format has. */
function checksumOf(fields: { [key: string]: JsonValue }): string {
  const { op, key, value, v } = fields;
  const expiresAt = fields['expires_at'];
  const count = Object.keys(fields).length;
  if (typeof key === 'string' && v === 1) {
    if (op === 'del' && count === 4) return sha256Hex(delCanonical(encodeJsonString(key)));
    if (
      op === 'set' &&
      count === 6 &&
      typeof value === 'string' &&
      (expiresAt === null || Number.isSafeInteger(expiresAt))
    ) {
      return sha256Hex(setCanonical(encodeJsonString(key), encodeJsonString(value), String(expiresAt)));
    }
  }
  return recordChecksum(fields);
}

function parseObject(line: string): { [key: string]: JsonValue } | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'not a JSON object';
  return parsed as { [key: string]: JsonValue };
}

function toRecord(fields: { [key: string]: JsonValue }, legacyEncoding: boolean): AofLineResult {
  const { op, key, value } = fields;
  const expiresAt = fields['expires_at'] ?? null;
  if (typeof key !== 'string') return { status: 'unsupported', reason: 'record has no string "key"' };
  if (op === 'del') return { status: 'ok', record: { op, key }, legacyEncoding };
  if (op !== 'set') return { status: 'unsupported', reason: `unknown op ${JSON.stringify(op)}` };
  if (typeof value !== 'string') return { status: 'unsupported', reason: 'set record has no string "value"' };
  if (expiresAt !== null && !Number.isSafeInteger(expiresAt)) {
    return { status: 'unsupported', reason: `unusable expires_at ${JSON.stringify(expiresAt)}` };
  }
  return { status: 'ok', record: { op, key, value, expiresAt: expiresAt as number | null }, legacyEncoding };
}
