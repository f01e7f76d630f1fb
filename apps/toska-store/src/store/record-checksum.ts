import { hash } from 'node:crypto';
import { canonicalJson, type JsonValue } from './canonical-json.js';

/** Lowercase hex SHA-256 of the UTF-8 bytes of `text` (the original's `sha256_hex/1`). */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/**
 * The checksum of an AOF record as the original computes it: over the canonical form of the record
 * WITHOUT its `checksum` field but WITH `v` and any other field it carries.
 */
export function recordChecksum(record: { readonly [key: string]: JsonValue }): string {
  const { checksum: _ignored, ...rest } = record;
  return sha256Hex(canonicalJson(rest));
}

/**
 * Whether a decoded record verifies: `'absent'` when it has no string `checksum` (accepted, as upstream
 * accepts records written before checksums existed), otherwise whether the checksum matches.
 */
export function verifyRecordChecksum(record: { readonly [key: string]: JsonValue }): boolean | 'absent' {
  const claimed = record['checksum'];
  if (typeof claimed !== 'string') return 'absent';
  return claimed === recordChecksum(record);
}
