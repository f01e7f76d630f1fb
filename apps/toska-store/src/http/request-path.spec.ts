import { describe, expect, it } from '@jest/globals';
import { decodeSegment, splitPath } from './request-path.js';

describe('request-path', () => {
  describe('splitPath', () => {
    it.each([
      ['/kv/k', ['kv', 'k']],
      ['/kv/k/', ['kv', 'k']],
      ['//kv//k', ['kv', 'k']],
      ['/', []],
      ['', []],
      ['/kv/', ['kv']],
      ['/kv/a%2Fb', ['kv', 'a%2Fb']],
    ])('splits %j into %j, dropping empty segments', (path, segments) => {
      expect(splitPath(path)).toEqual(segments);
    });
  });

  describe('decodeSegment', () => {
    it.each([
      ['plain', 'plain'],
      ['a%2Fb', 'a/b'],
      ['a%20b', 'a b'],
      ['a+b', 'a+b'],
      ['%3F%23%25', '?#%'],
      ['%E6%97%A5', '日'],
      ['%e6%97%a5', '日'],
      ['%zz', '%zz'],
      ['a%zzb%41', 'a%zzbA'],
      ['%%41', '%A'],
      ['trailing%', 'trailing%'],
      ['trailing%4', 'trailing%4'],
      ['%EF%BB%BFbom', '\uFEFFbom'],
    ])('decodes %j as %j (URI.decode: a malformed escape stays literal)', (segment, key) => {
      expect(decodeSegment(segment)).toBe(key);
    });

    it('reads raw UTF-8 bytes that Node handed over as latin1', () => {
      expect(decodeSegment(Buffer.from('日', 'utf8').toString('latin1'))).toBe('日');
    });

    it.each(['%FF', '%C3', '%ED%A0%80', 'a%C3%28'])(
      'answers undefined for %j, which is not UTF-8',
      (segment) => {
        expect(decodeSegment(segment)).toBeUndefined();
      },
    );
  });
});
