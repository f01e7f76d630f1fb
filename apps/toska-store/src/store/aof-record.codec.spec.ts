import { describe, expect, it } from '@jest/globals';
import { decodeAofLine, encodeAofRecord } from './aof-record.codec.js';
import { recordChecksum } from './record-checksum.js';

const HELLO_LINE =
  '{"checksum":"40bf103eb145d8c7072f8d346cb42c15f1a0c55f0a5e4d4274ae2a738a010c44","expires_at":null,' +
  '"key":"hello","op":"set","v":1,"value":"world"}\n';

/** What the original wrote for a non-ASCII record: its UTF-8 bytes re-encoded as if they were Latin-1. */
function doubleEncoded(line: string): string {
  return Buffer.from(line, 'utf8').toString('latin1');
}

describe('aof-record.codec', () => {
  describe(encodeAofRecord.name, () => {
    it('writes the set record byte-for-byte as the original', () => {
      const line = encodeAofRecord({ op: 'set', key: 'hello', value: 'world', expiresAt: null });
      expect(line.toString('utf8')).toBe(HELLO_LINE);
    });

    it('writes a del record with sorted keys and a checksum that verifies', () => {
      const line = encodeAofRecord({ op: 'del', key: 'hello' }).toString('utf8');
      expect(line).toMatch(/^\{"checksum":"[0-9a-f]{64}","key":"hello","op":"del","v":1\}\n$/);
      const parsed = JSON.parse(line) as Record<string, string>;
      expect(parsed['checksum']).toBe(recordChecksum(parsed));
    });

    it('writes non-ASCII once-encoded and control characters as uppercase escapes', () => {
      const line = encodeAofRecord({ op: 'set', key: 'ключ\u001f', value: '日本/x', expiresAt: 5 });
      expect(line.includes(Buffer.from('"key":"ключ\\u001F"'))).toBe(true);
      expect(line.includes(Buffer.from('"value":"日本/x"'))).toBe(true);
      expect(line.includes(Buffer.from('"expires_at":5,'))).toBe(true);
    });
  });

  describe(decodeAofLine.name, () => {
    it('round-trips what it encodes', () => {
      const record = { op: 'set', key: 'k\n"', value: 'Ж😀', expiresAt: 1795323944968 } as const;
      const line = encodeAofRecord(record).toString('utf8').trim();
      expect(decodeAofLine(line)).toEqual({ status: 'ok', record, legacyEncoding: false });
    });

    it('verifies records with extra fields over every field, as upstream', () => {
      const fields = { op: 'del', key: 'a', v: 1, origin: 'leader-2' };
      const line = JSON.stringify({ ...fields, checksum: recordChecksum(fields) });
      expect(decodeAofLine(line).status).toBe('ok');
      expect(decodeAofLine(line.replace('leader-2', 'leader-3')).status).toBe('bad-checksum');
    });

    it('accepts a record without a checksum, as upstream', () => {
      expect(decodeAofLine('{"op":"del","key":"a","v":1}')).toEqual({
        status: 'ok',
        record: { op: 'del', key: 'a' },
        legacyEncoding: false,
      });
    });

    it('reports a checksum mismatch with both sums', () => {
      const result = decodeAofLine(HELLO_LINE.trim().replace('world', 'World'));
      expect(result.status).toBe('bad-checksum');
      expect(result.status !== 'ok' && result.reason).toContain('40bf103eb145d8c7');
    });

    it('reports a line that is not JSON or not an object as unparsable', () => {
      expect(decodeAofLine('{"op":"set","key"').status).toBe('unparsable');
      expect(decodeAofLine('[1,2]').status).toBe('unparsable');
    });

    it('reports verified records it cannot use as unsupported', () => {
      expect(decodeAofLine('{"op":"incr","key":"a"}').status).toBe('unsupported');
      expect(decodeAofLine('{"op":"set","key":"a","value":1}').status).toBe('unsupported');
      expect(decodeAofLine('{"op":"set","key":"a","value":"x","expires_at":"soon"}').status).toBe(
        'unsupported',
      );
    });

    it("recovers the original server's double-encoded non-ASCII records", () => {
      const record = { op: 'set', key: 'город', value: '日本', expiresAt: null } as const;
      const legacy = doubleEncoded(encodeAofRecord(record).toString('utf8').trim());
      expect(legacy).not.toContain('город');
      expect(decodeAofLine(legacy)).toEqual({ status: 'ok', record, legacyEncoding: true });
    });
  });
});
