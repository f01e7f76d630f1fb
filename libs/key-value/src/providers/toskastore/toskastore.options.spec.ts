import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { resolveToskaStoreOptions } from './toskastore.options.js';

describe(resolveToskaStoreOptions.name, () => {
  it('applies the defaults', () => {
    expect(resolveToskaStoreOptions()).toEqual({
      origin: 'http://127.0.0.1:4000',
      basePath: '',
      enableKeyIndex: false,
      keyIndexKey: '__keys',
      timeoutMs: 5000,
    });
  });

  it('keeps a base path without its trailing slash (the .NET original normalised to one)', () => {
    const resolved = resolveToskaStoreOptions({ baseUrl: 'https://store.internal:8443/toska/' });
    expect(resolved).toMatchObject({ origin: 'https://store.internal:8443', basePath: '/toska' });
  });

  it.each([
    [{ baseUrl: 'store:4000/x y' }, 'keyValue.toskaStore.baseUrl'],
    [{ baseUrl: 'ftp://store' }, 'keyValue.toskaStore.baseUrl'],
    [{ baseUrl: 'http://store/?a=1' }, 'keyValue.toskaStore.baseUrl'],
    [{ timeoutMs: 0 }, 'keyValue.toskaStore.timeoutMs'],
    [{ keyIndexKey: '' }, 'keyValue.toskaStore.keyIndexKey'],
    [{ authToken: 'two\nlines' }, 'keyValue.toskaStore.authToken'],
    [{ enableKeyIndex: 'yes' as unknown as boolean }, 'keyValue.toskaStore.enableKeyIndex'],
  ])('refuses %p naming %s', (options, key) => {
    let error: unknown;
    try {
      resolveToskaStoreOptions(options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MeshConfigError);
    expect((error as MeshConfigError).key).toBe(key);
  });

  it('never shows the auth token in the error', () => {
    expect(() => resolveToskaStoreOptions({ authToken: ' secret-value' })).toThrow(/<redacted>/);
    expect(() => resolveToskaStoreOptions({ authToken: ' secret-value' })).not.toThrow(/secret-value/);
  });
});
