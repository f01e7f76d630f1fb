import { describe, expect, it } from '@jest/globals';
import { AofCursor } from './aof-cursor.js';

const texts = (lines: { text: string }[]) => lines.map((line) => line.text);

describe(AofCursor.name, () => {
  describe('push', () => {
    it('returns whole lines and keeps a cut line for the next read', () => {
      const cursor = new AofCursor();
      const lines = cursor.push(Buffer.from('{"a":1}\n{"b":2}\n{"c"'));
      expect(texts(lines)).toEqual(['{"a":1}', '{"b":2}']);
      expect(lines.map((line) => line.bytes)).toEqual([8, 8]);
      lines.forEach((line) => cursor.commit(line.bytes));
      expect(cursor.committed).toBe(16);
      expect(cursor.readOffset).toBe(20);
      expect(texts(cursor.push(Buffer.from(':3}\n')))).toEqual(['{"c":3}']);
    });

    it('assembles a line longer than one read over several reads', () => {
      const cursor = new AofCursor(100);
      expect(cursor.push(Buffer.from('aaaa'))).toEqual([]);
      expect(cursor.push(Buffer.from('bbbb'))).toEqual([]);
      expect(cursor.committed).toBe(100);
      expect(cursor.readOffset).toBe(108);
      const [line] = cursor.push(Buffer.from('cc\nd'));
      expect(line).toEqual({ text: 'aaaabbbbcc', bytes: 11 });
      cursor.commit(line!.bytes);
      expect(cursor.committed).toBe(111);
      expect(cursor.readOffset).toBe(112);
    });

    it('keeps a multi-byte character cut between two reads intact', () => {
      const bytes = Buffer.from('{"v":"日本"}\n');
      const cursor = new AofCursor();
      expect(cursor.push(bytes.subarray(0, 8))).toEqual([]);
      const [line] = cursor.push(bytes.subarray(8));
      expect(line).toEqual({ text: '{"v":"日本"}', bytes: bytes.length });
    });

    it('returns blank lines so their bytes are counted too', () => {
      expect(new AofCursor().push(Buffer.from('\n\nx\n'))).toEqual([
        { text: '', bytes: 1 },
        { text: '', bytes: 1 },
        { text: 'x', bytes: 2 },
      ]);
    });

    it('refuses an unfinished line longer than the limit', () => {
      const cursor = new AofCursor(0, 8);
      cursor.push(Buffer.from('12345'));
      expect(() => cursor.push(Buffer.from('6789'))).toThrow(RangeError);
    });
  });

  describe('rewind', () => {
    it('drops buffered bytes so the next read starts at the committed offset', () => {
      const cursor = new AofCursor(10);
      const [first] = cursor.push(Buffer.from('a\nb\nc'));
      cursor.commit(first!.bytes);
      cursor.rewind();
      expect(cursor.committed).toBe(12);
      expect(cursor.readOffset).toBe(12);
      expect(cursor.pendingLength).toBe(0);
    });
  });

  describe('reset', () => {
    it('starts over at an offset of a new AOF', () => {
      const cursor = new AofCursor(500);
      cursor.push(Buffer.from('partial'));
      cursor.reset(0);
      expect([cursor.committed, cursor.readOffset]).toEqual([0, 0]);
    });
  });
});
