import { describe, expect, it } from '@jest/globals';
import { MeshValidationError } from '@toskamesh/common';
import { checkedMetadataMerge, mergeMetadata } from './metadata.merge.js';

describe('mergeMetadata', () => {
  it('replaces keys differing only in case with the new spelling and keeps the others', () => {
    expect(mergeMetadata({ Version: '1', ZONE: 'a', team: 'x' }, { version: '2', zone: 'b' })).toEqual({
      team: 'x',
      version: '2',
      zone: 'b',
    });
  });

  it('does not change its inputs', () => {
    const current = Object.freeze({ a: '1' });
    const update = Object.freeze({ A: '2' });
    expect(mergeMetadata(current, update)).toEqual({ A: '2' });
    expect(current).toEqual({ a: '1' });
  });
});

describe('checkedMetadataMerge', () => {
  it.each([
    ['null', null],
    ['an array', ['a']],
    ['a non-string value', { a: 1 }],
  ])('refuses %s', (_case, update) => {
    expect(() => checkedMetadataMerge({}, update)).toThrow(MeshValidationError);
  });

  it('refuses a result over 4 KiB even when the update alone fits', () => {
    const current = { big: 'x'.repeat(3_000) };
    expect(() => checkedMetadataMerge(current, { more: 'y'.repeat(1_500) })).toThrow(/after merging/);
  });
});
