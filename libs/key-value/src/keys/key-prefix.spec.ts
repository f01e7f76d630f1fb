import { describe, expect, it } from '@jest/globals';
import { MeshConfigError, MeshValidationError } from '@toskamesh/common';
import { KeyPrefix, compareKeys, resolveKeysLimit, resolveTtlMs } from './key-prefix.js';

describe(KeyPrefix.name, () => {
  describe('apply', () => {
    it('prepends "<prefix>:" to the key', () => {
      expect(new KeyPrefix('orders').apply('item/1')).toBe('orders:item/1');
    });

    it('accepts a prefix that already ends with ":" as the .NET original wrote it', () => {
      expect(new KeyPrefix('orders:').apply('k')).toBe('orders:k');
    });

    it('leaves keys alone when the prefix is empty', () => {
      expect(new KeyPrefix('').apply('a:b')).toBe('a:b');
      expect(new KeyPrefix().apply('k')).toBe('k');
    });

    it('rejects an empty or non-string key with MeshValidationError', () => {
      expect(() => new KeyPrefix('p').apply('')).toThrow(MeshValidationError);
      expect(() => new KeyPrefix('p').apply(42 as unknown as string)).toThrow(/non-empty string, got number/);
    });
  });

  describe('strip', () => {
    it('returns the caller key of a stored key and undefined outside the prefix', () => {
      const prefix = new KeyPrefix('svc');
      expect(prefix.strip('svc:a:b')).toBe('a:b');
      expect(prefix.strip('other:a')).toBeUndefined();
      expect(prefix.strip('svc:')).toBeUndefined();
      expect(prefix.strip('svcx:a')).toBeUndefined();
    });
  });

  describe('query', () => {
    it('prefixes a listing prefix, empty included', () => {
      expect(new KeyPrefix('svc').query('user/')).toBe('svc:user/');
      expect(new KeyPrefix('svc').query()).toBe('svc:');
    });
  });

  describe('constructor', () => {
    it('rejects a non-string prefix with MeshConfigError naming keyValue.keyPrefix', () => {
      expect(() => new KeyPrefix(7 as unknown as string)).toThrow(MeshConfigError);
      expect(() => new KeyPrefix(7 as unknown as string)).toThrow(/keyValue\.keyPrefix/);
    });
  });
});

describe('resolveKeysLimit', () => {
  it('defaults to 100 and accepts whole numbers from 0', () => {
    expect(resolveKeysLimit(undefined)).toBe(100);
    expect(resolveKeysLimit(0)).toBe(0);
    expect(resolveKeysLimit(5000)).toBe(5000);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %p', (limit) => {
    expect(() => resolveKeysLimit(limit)).toThrow(MeshValidationError);
  });
});

describe('resolveTtlMs', () => {
  it('keeps no TTL, rounds fractions up and maps <= 0 to 0 (delete)', () => {
    expect(resolveTtlMs(undefined)).toBeUndefined();
    expect(resolveTtlMs(0.2)).toBe(1);
    expect(resolveTtlMs(1500)).toBe(1500);
    expect(resolveTtlMs(0)).toBe(0);
    expect(resolveTtlMs(-5)).toBe(0);
    expect(resolveTtlMs(Number.NEGATIVE_INFINITY)).toBe(0);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, '100' as unknown as number])('rejects %p', (ttl) => {
    expect(() => resolveTtlMs(ttl)).toThrow(MeshValidationError);
  });
});

describe('compareKeys', () => {
  it('orders by UTF-16 code units, not locale', () => {
    expect(['b', 'B', 'a', 'é', 'A'].sort(compareKeys)).toEqual(['A', 'B', 'a', 'b', 'é']);
  });
});
