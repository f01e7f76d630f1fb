import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { resolveRedisOptions, validateRegistryOptions } from './registry-options.validation.js';

describe('resolveRedisOptions', () => {
  it('fills in the documented defaults', () => {
    expect(resolveRedisOptions()).toEqual({
      url: 'redis://127.0.0.1:6379',
      keyPrefix: 'toskamesh:registry',
      commandTimeoutMs: 2_000,
      sweepIntervalMs: 1_000,
    });
  });

  it('refuses a URL that is not redis:// or rediss://', () => {
    expect(() => resolveRedisOptions({ url: 'http://127.0.0.1:6379' })).toThrow(MeshConfigError);
  });

  it('refuses an empty key prefix', () => {
    expect(() => resolveRedisOptions({ keyPrefix: '' })).toThrow(/registry\.redis\.keyPrefix/);
  });
});

describe('validateRegistryOptions', () => {
  it('checks the memory and redis groups whichever provider is chosen', () => {
    expect(() => validateRegistryOptions({ provider: 'redis', memory: { sweepIntervalMs: 0 } })).toThrow(
      /registry\.memory\.sweepIntervalMs/,
    );
    expect(() => validateRegistryOptions({ redis: { commandTimeoutMs: -1 } })).toThrow(
      /registry\.redis\.commandTimeoutMs/,
    );
    expect(() => validateRegistryOptions({ redis: { commandTimeoutMs: 10 } })).not.toThrow();
  });
});
