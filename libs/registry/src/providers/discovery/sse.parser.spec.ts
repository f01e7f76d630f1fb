import { describe, expect, it } from '@jest/globals';
import { SseParser, type SseMessage } from './sse.parser.js';

function parseAll(chunks: (string | Uint8Array)[]): { messages: SseMessage[]; parser: SseParser } {
  const parser = new SseParser();
  const messages = chunks.flatMap((chunk) => parser.push(chunk));
  return { messages, parser };
}

describe(SseParser.name, () => {
  describe('push', () => {
    it('dispatches an event with its id, type and data at the blank line', () => {
      const { messages } = parseAll(['id: 7\nevent: register\ndata: {"index":7}\n\n']);
      expect(messages).toEqual([{ event: 'register', data: '{"index":7}', lastEventId: '7' }]);
    });

    it('assembles an event split across chunks at any position', () => {
      const text = 'id: 12\nevent: health\ndata: {"a":1}\n\n';
      for (let cut = 1; cut < text.length; cut += 1) {
        const { messages } = parseAll([text.slice(0, cut), text.slice(cut)]);
        expect(messages).toEqual([{ event: 'health', data: '{"a":1}', lastEventId: '12' }]);
      }
    });

    it('joins multi-line data with newlines', () => {
      const { messages } = parseAll(['data: first\ndata:second\ndata:  third\n\n']);
      expect(messages[0]!.data).toBe('first\nsecond\n third');
    });

    it('counts comment lines without dispatching them', () => {
      const { messages, parser } = parseAll([': keep-alive\n\n', ':\n', 'data: x\n\n']);
      expect(messages).toHaveLength(1);
      expect(parser.comments).toBe(2);
    });

    it('accepts CRLF and bare CR line endings, also when CR and LF arrive in different chunks', () => {
      const { messages } = parseAll(['id: 1\r', '\nevent: a\r\ndata: one\r\r', 'id: 2\rdata: two\r\n\r\n']);
      expect(messages).toEqual([
        { event: 'a', data: 'one', lastEventId: '1' },
        { event: 'message', data: 'two', lastEventId: '2' },
      ]);
    });

    it('does not read a CRLF split between chunks as two line breaks (which would end the event early)', () => {
      const { messages } = parseAll(['data: one\r', '\nevent: x\r\ndata: two\r\n\r\n']);
      expect(messages).toEqual([{ event: 'x', data: 'one\ntwo', lastEventId: '' }]);
    });

    it('decodes UTF-8 split inside a multi-byte character and drops a leading BOM', () => {
      const bytes = new TextEncoder().encode('\uFEFFdata: café ✓\n\n');
      const { messages } = parseAll([bytes.slice(0, 9), bytes.slice(9, 10), bytes.slice(10)]);
      expect(messages).toEqual([{ event: 'message', data: 'café ✓', lastEventId: '' }]);
    });

    it('keeps the last id for later events and drops events without data', () => {
      const { messages } = parseAll(['id: 5\n\n', 'event: snapshot\ndata: {}\n\n', 'data: y\n\n']);
      expect(messages).toEqual([
        { event: 'snapshot', data: '{}', lastEventId: '5' },
        { event: 'message', data: 'y', lastEventId: '5' },
      ]);
    });

    it('reads retry only when it is all digits and ignores unknown fields', () => {
      const { messages } = parseAll(['retry: 3000\nfoo: bar\ndata: a\n\nretry: 1s\ndata: b\n\n']);
      expect(messages[0]).toEqual({ event: 'message', data: 'a', lastEventId: '', retry: 3000 });
      expect(messages[1]).not.toHaveProperty('retry');
    });

    it('does not dispatch an event whose blank line has not arrived yet', () => {
      const { messages } = parseAll(['data: pending\n']);
      expect(messages).toEqual([]);
    });
  });
});
