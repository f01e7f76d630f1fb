import { describe, expect, it } from '@jest/globals';
import { definedFields } from './config-values.js';

describe('definedFields', () => {
  it('keeps every configured key, falsy values included, and drops only undefined ones', () => {
    expect(definedFields({ a: 1, b: undefined, c: 0, d: '', e: false, f: null })).toEqual({
      a: 1,
      c: 0,
      d: '',
      e: false,
      f: null,
    });
    expect(Object.keys(definedFields({ only: undefined }))).toEqual([]);
  });
});
