import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '../errors/mesh-config.error.js';
import { positiveMs, wholeNumber } from './option-checks.js';

describe('positiveMs', () => {
  it('returns the fallback when absent and the value when positive', () => {
    expect(positiveMs('k', undefined, 7)).toBe(7);
    expect(positiveMs('k', 250, 7)).toBe(250);
  });

  it.each([0, -1, Number.NaN, Infinity, '100', 3_000_000_000])('refuses %p naming the key', (value) => {
    expect(() => positiveMs('registry.x', value, 1)).toThrow(/Configuration "registry\.x"/);
  });
});

describe('wholeNumber', () => {
  it('returns the fallback when absent and a whole number at or above the minimum', () => {
    expect(wholeNumber('k', undefined, 5, 1)).toBe(5);
    expect(wholeNumber('k', 1, 5, 1)).toBe(1);
  });

  it.each([0, 1.5, '2', Number.NaN])('refuses %p below or outside whole numbers', (value) => {
    expect(() => wholeNumber('keyValue.redis.scanCount', value, 5, 1)).toThrow(MeshConfigError);
  });
});
