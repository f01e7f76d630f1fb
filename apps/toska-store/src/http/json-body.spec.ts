import { describe, expect, it } from '@jest/globals';
import { numberSources, parseJsonBody } from './json-body.js';

describe('json-body', () => {
  describe('parseJsonBody', () => {
    it('answers {} for an empty body', () => {
      expect(parseJsonBody(Buffer.alloc(0))).toEqual({});
    });

    it('answers an object body as is', () => {
      expect(parseJsonBody(Buffer.from('{"value":"日","n":1}'))).toEqual({ value: '日', n: 1 });
    });

    it.each(['"s"', '5', '[1]', 'null'])('wraps the non-object %s as {"_json": value}', (text) => {
      expect(parseJsonBody(Buffer.from(text))).toEqual({ _json: JSON.parse(text) as unknown });
    });

    it.each([
      ['malformed', Buffer.from('{"a":')],
      ['whitespace only', Buffer.from(' ')],
      ['a BOM', Buffer.from('\uFEFF{}')],
      ['invalid UTF-8', Buffer.from([0x22, 0xc3, 0x28, 0x22])],
      ['a lone surrogate in a value', Buffer.from('{"value":"\\udc00"}')],
      ['a lone surrogate in a name', Buffer.from('{"\\ud800":1}')],
    ])('answers undefined for %s', (_label, bytes) => {
      expect(parseJsonBody(bytes)).toBeUndefined();
    });

    it('accepts an escaped surrogate pair', () => {
      expect(parseJsonBody(Buffer.from('{"value":"\\ud83d\\ude00"}'))).toEqual({ value: '😀' });
    });
  });

  describe('numberSources', () => {
    it('keeps the JSON text of each number by holder and key', () => {
      const { root, sources } = numberSources('{"ttl_ms":1e3,"keys":[1.0,5]}');
      const object = root as { keys: unknown[] };
      expect(sources.get(object)?.get('ttl_ms')).toBe('1e3');
      expect(sources.get(object.keys)?.get('0')).toBe('1.0');
      expect(sources.get(object.keys)?.get('1')).toBe('5');
    });
  });
});
