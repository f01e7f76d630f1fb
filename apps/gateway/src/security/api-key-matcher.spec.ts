import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { ApiKeyMatcher } from './api-key-matcher.js';

const keys = [
  { key: 'first-key-value-0001', name: 'first', roles: ['a'] },
  { key: 'second-key-value-0002', name: 'second', roles: [] },
];

describe(ApiKeyMatcher.name, () => {
  describe('match', () => {
    it('finds the identity of a configured key', () => {
      const matcher = new ApiKeyMatcher(keys);
      expect(matcher.match('second-key-value-0002')).toEqual({
        user: 'second',
        roles: [],
        via: 'api-key',
        apiKey: 'second',
      });
    });

    it.each(['', 'first-key-value-000', 'first-key-value-00011', 'FIRST-KEY-VALUE-0001'])(
      'matches nothing for %j',
      (presented) => {
        expect(new ApiKeyMatcher(keys).match(presented)).toBeUndefined();
      },
    );

    it('returns frozen identities', () => {
      const identity = new ApiKeyMatcher(keys).match('first-key-value-0001');
      expect(Object.isFrozen(identity)).toBe(true);
      expect(Object.isFrozen(identity?.roles)).toBe(true);
    });
  });

  describe('constructor', () => {
    it('is disabled without keys', () => {
      expect(new ApiKeyMatcher([]).enabled).toBe(false);
    });

    it.each([
      [[{ key: ' ', name: 'x', roles: [] }], 'security.apiKeys[0].key'],
      [[{ key: 'k', name: '', roles: [] }], 'security.apiKeys[0].name'],
      [[...keys, { key: 'first-key-value-0001', name: 'again', roles: [] }], 'repeats an earlier key'],
    ])('refuses unusable definitions %#', (definitions, message) => {
      expect(() => new ApiKeyMatcher(definitions)).toThrow(MeshConfigError);
      expect(() => new ApiKeyMatcher(definitions)).toThrow(message);
    });

    it('never shows a duplicated key in the error', () => {
      expect(() => new ApiKeyMatcher([...keys, { ...keys[0]!, name: 'again' }])).not.toThrow(/first-key/);
    });
  });
});
