import { describe, expect, it } from '@jest/globals';
import { bearerFromHeader } from './bearer-token.js';

describe('bearerFromHeader', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['  BEARER\tabc  ', 'abc'],
    [['Bearer first', 'Bearer second'], 'first'],
    [Buffer.from('Bearer buf'), 'buf'],
  ])('extracts the token from %p', (header, token) => {
    expect(bearerFromHeader(header)).toBe(token);
  });

  it.each([[undefined], [''], ['Basic dXNlcjpwYXNz'], ['Bearer'], ['Bearer a b'], [42], [[]]])(
    'returns undefined for %p',
    (header) => {
      expect(bearerFromHeader(header)).toBeUndefined();
    },
  );
});
