import { describe, expect, it } from '@jest/globals';
import { mgetKeys } from './mget-keys.js';

describe('mget-keys', () => {
  describe('mgetKeys', () => {
    it('looks up strings, renders other scalars unlooked-up, and collapses duplicates (last wins)', () => {
      const body = Buffer.from('{"keys":["a",5,"5",1e3,null,"a"]}');
      const keys = mgetKeys(JSON.parse(body.toString()).keys, body);
      expect(keys).toEqual({
        ok: true,
        entries: new Map([
          ['5', true],
          ['1.0e3', false],
          ['nil', false],
          ['a', true],
        ]),
        lookups: ['a', '5', 'a'],
      });
    });

    it.each([undefined, null, 'a', { a: 1 }])('refuses keys %j that are not a list', (keys) => {
      expect(mgetKeys(keys, undefined)).toEqual({ ok: false, error: 'Keys must be a list' });
    });

    it.each([[{ a: 1 }], [['a']]])('refuses an object or array entry', (entry) => {
      expect(mgetKeys(['x', entry], undefined)).toMatchObject({ ok: false });
    });
  });
});
