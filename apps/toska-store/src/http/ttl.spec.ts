import { describe, expect, it } from '@jest/globals';
import { parseTtl } from './ttl.js';

describe('ttl', () => {
  describe('parseTtl', () => {
    it.each([
      [undefined, undefined, null],
      [null, undefined, null],
      [500, '500', 500],
      [-1, '-1', -1],
      [0, '0', 0],
      [0, '-0', 0],
      ['500', undefined, 500],
      ['+500', undefined, 500],
      ['-1', undefined, -1],
    ])('accepts %j (source %j) as %j', (value, source, ttlMs) => {
      expect(parseTtl(value, source)).toEqual({ ok: true, ttlMs });
    });

    it.each([
      ['soon', undefined],
      ['5s', undefined],
      [' 500', undefined],
      ['', undefined],
      [500.5, '500.5'],
      [1000, '1e3'],
      [1000, '1000.0'],
      [1000, undefined],
      [true, undefined],
      [{}, undefined],
      [[], undefined],
      ['9007199254740993', undefined],
    ])('rejects %j (source %j)', (value, source) => {
      expect(parseTtl(value, source)).toEqual({ ok: false });
    });
  });
});
