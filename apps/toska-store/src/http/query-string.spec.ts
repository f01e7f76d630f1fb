import { describe, expect, it } from '@jest/globals';
import { NESTED_PARAM, parseQuery } from './query-string.js';

describe('query-string', () => {
  describe('parseQuery', () => {
    it('decodes pairs like x-www-form-urlencoded: + is a space, escapes decoded', () => {
      expect(parseQuery('prefix=a+b%2Fc&limit=5')).toEqual(
        new Map([
          ['prefix', 'a b/c'],
          ['limit', '5'],
        ]),
      );
    });

    it('keeps the last value of a repeated name and gives "" to a bare name', () => {
      expect(parseQuery('a=1&a=2&b&&c=')).toEqual(
        new Map([
          ['a', '2'],
          ['b', ''],
          ['c', ''],
        ]),
      );
    });

    it.each(['prefix[]=a', 'prefix[x]=y', 'prefix%5B%5D=a'])('marks %s as nested, not a string', (query) => {
      expect(parseQuery(query)?.get('prefix')).toBe(NESTED_PARAM);
    });

    it('keeps a malformed escape literally', () => {
      expect(parseQuery('prefix=%zz')?.get('prefix')).toBe('%zz');
    });

    it('answers undefined for a value that is not UTF-8', () => {
      expect(parseQuery('prefix=%FF')).toBeUndefined();
    });
  });
});
