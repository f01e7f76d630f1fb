import { describe, expect, it } from '@jest/globals';
import { instance } from '../test/fixtures/instance.fixture.js';
import { readWeight, weightOf } from './instance-weight.js';

const withWeight = (weight?: string) => instance('a', { metadata: weight === undefined ? {} : { weight } });

describe(weightOf.name, () => {
  it.each([
    [undefined, 1],
    ['', 1],
    ['3', 3],
    [' 2 ', 2],
    ['0', 0],
    ['1.5', 1.5],
    ['-1', 1],
    ['abc', 1],
    ['Infinity', 1],
    ['2000000', 1],
  ])('reads weight %j as %d', (raw, expected) => {
    expect(weightOf(withWeight(raw))).toBe(expected);
  });

  it('reports the rejected text so callers can warn', () => {
    expect(readWeight(withWeight('-1'))).toEqual({ weight: 1, invalid: '-1' });
    expect(readWeight(withWeight('4'))).toEqual({ weight: 4 });
  });
});
