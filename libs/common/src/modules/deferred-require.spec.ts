import { describe, expect, it } from '@jest/globals';
import { deferredRequire } from './deferred-require.js';

describe('deferredRequire', () => {
  it('requires the package on the first call and returns the same module afterwards', () => {
    const load = deferredRequire<typeof import('node:path')>(import.meta.url, 'node:path');
    const first = load();
    expect(typeof first.join).toBe('function');
    expect(load()).toBe(first);
  });

  it('does nothing until called, then reports a missing package with its name', () => {
    const load = deferredRequire(import.meta.url, '@toskamesh/no-such-package');
    expect(load).toThrow(/@toskamesh\/no-such-package/);
  });
});
