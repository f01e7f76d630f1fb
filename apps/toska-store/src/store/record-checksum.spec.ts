import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { recordChecksum, sha256Hex, verifyRecordChecksum } from './record-checksum.js';

const HELLO_SET = { op: 'set', key: 'hello', value: 'world', expires_at: null, v: 1 };
const HELLO_CHECKSUM = '40bf103eb145d8c7072f8d346cb42c15f1a0c55f0a5e4d4274ae2a738a010c44';

function sha256(text: string): string {
  return createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
}

describe('record-checksum', () => {
  describe(recordChecksum.name, () => {
    it('matches the checksum the original wrote for the hello/world set record', () => {
      expect(recordChecksum(HELLO_SET)).toBe(HELLO_CHECKSUM);
    });

    it('ignores the checksum field itself but covers v and every other field', () => {
      expect(recordChecksum({ ...HELLO_SET, checksum: 'whatever' })).toBe(HELLO_CHECKSUM);
      expect(recordChecksum({ ...HELLO_SET, v: 2 })).not.toBe(HELLO_CHECKSUM);
      expect(recordChecksum({ ...HELLO_SET, extra: 'x' })).not.toBe(HELLO_CHECKSUM);
    });

    it('hashes control characters escaped as uppercase \\u00XX', () => {
      const record = { op: 'del', key: 'a\u001fb', v: 1 };
      expect(recordChecksum(record)).toBe(sha256('[["key","a\\u001Fb"],["op","del"],["v",1]]'));
    });

    it('hashes non-ASCII as raw UTF-8 bytes, once encoded', () => {
      const record = { op: 'set', key: 'ключ', value: '日本', expires_at: 1795323944968, v: 1 };
      expect(recordChecksum(record)).toBe(
        sha256('[["expires_at",1795323944968],["key","ключ"],["op","set"],["v",1],["value","日本"]]'),
      );
    });
  });

  describe(sha256Hex.name, () => {
    it('is lowercase hex over UTF-8', () => {
      expect(sha256Hex('日')).toBe(sha256('日'));
      expect(sha256Hex('')).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  describe(verifyRecordChecksum.name, () => {
    it('says absent without a string checksum, else whether it matches', () => {
      expect(verifyRecordChecksum(HELLO_SET)).toBe('absent');
      expect(verifyRecordChecksum({ ...HELLO_SET, checksum: 5 })).toBe('absent');
      expect(verifyRecordChecksum({ ...HELLO_SET, checksum: HELLO_CHECKSUM })).toBe(true);
      expect(verifyRecordChecksum({ ...HELLO_SET, value: 'World', checksum: HELLO_CHECKSUM })).toBe(false);
    });
  });
});
