import { describe, expect, it } from '@jest/globals';
import { jasonStringify } from './jason-json.js';

describe('jason-json', () => {
  describe('jasonStringify', () => {
    it('writes control characters as \\u00XX with uppercase hex, and the short escapes', () => {
      expect(jasonStringify('a\u001f\u0000\u007f\b\t\n\f\r')).toBe('"a\\u001F\\u0000\u007f\\b\\t\\n\\f\\r"');
    });

    it('leaves raw UTF-8, / and U+2028 alone', () => {
      expect(jasonStringify({ k: 'a/b 日 \u2028' })).toBe('{"k":"a/b 日 \u2028"}');
    });

    it('does not mistake an escaped backslash followed by u00 for an escape', () => {
      expect(jasonStringify('\\u00ab\u001b')).toBe('"\\\\u00ab\\u001B"');
      expect(JSON.parse(jasonStringify('\\u00ab\u001b'))).toBe('\\u00ab\u001b');
    });

    it('throws for a value JSON cannot carry', () => {
      expect(() => jasonStringify(undefined)).toThrow(TypeError);
      expect(() => jasonStringify({ n: 1n })).toThrow(TypeError);
    });
  });
});
