import { describe, expect, it } from '@jest/globals';
import { canonicalJson, compareUtf8, encodeJson, encodeJsonString } from './canonical-json.js';

describe('canonical-json', () => {
  describe(encodeJsonString.name, () => {
    it('escapes control characters as \\u00XX with uppercase hex, like Jason', () => {
      expect(encodeJsonString('a\u001fb\u0000c\u007f')).toBe('"a\\u001Fb\\u0000c\u007f"');
      expect(encodeJsonString('\u001b[0m')).toBe('"\\u001B[0m"');
    });

    it('uses the short escapes for \\b \\t \\n \\f \\r, quote and backslash', () => {
      expect(encodeJsonString('\b\t\n\f\r"\\')).toBe('"\\b\\t\\n\\f\\r\\"\\\\"');
    });

    it('leaves "/", U+2028 and non-ASCII raw', () => {
      expect(encodeJsonString('a/b 日本 Ж \u2028 😀')).toBe('"a/b 日本 Ж \u2028 😀"');
    });

    it('differs from JSON.stringify only in the hex case', () => {
      const text = 'x\u0001y\u001ez\\u001f';
      expect(encodeJsonString(text).toLowerCase()).toBe(JSON.stringify(text).toLowerCase());
      expect(encodeJsonString(text)).not.toBe(JSON.stringify(text));
    });
  });

  describe(encodeJson.name, () => {
    it('writes compact JSON with keys in the given order', () => {
      expect(encodeJson({ b: [1, true, null], a: { c: 'd' } })).toBe('{"b":[1,true,null],"a":{"c":"d"}}');
    });

    it('refuses numbers JSON cannot carry', () => {
      expect(() => encodeJson(Number.NaN)).toThrow(TypeError);
    });
  });

  describe(canonicalJson.name, () => {
    it('turns a map into sorted [key, value] pairs, recursively', () => {
      expect(canonicalJson({ value: 'world', op: 'set', key: 'hello', v: 1, expires_at: null })).toBe(
        '[["expires_at",null],["key","hello"],["op","set"],["v",1],["value","world"]]',
      );
      expect(canonicalJson({ b: { y: 1, x: [{ q: 2, p: 3 }] }, a: 'z' })).toBe(
        '[["a","z"],["b",[["x",[[["p",3],["q",2]]]],["y",1]]]]',
      );
    });

    it('keeps an empty map as an empty array', () => {
      expect(canonicalJson({})).toBe('[]');
    });
  });

  describe(compareUtf8.name, () => {
    it('orders like UTF-8 bytes, not UTF-16 code units', () => {
      const keys = ['\uffff', '😀', 'b', 'a', 'ab', '\u00e9', ''];
      const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      expect([...keys].sort(compareUtf8)).toEqual(byBytes);
      expect(byBytes.indexOf('\uffff')).toBeLessThan(byBytes.indexOf('😀'));
    });
  });
});
