import { describe, expect, it } from '@jest/globals';
import { PROFILE_SERVICE_NAME, profileStoreOptions } from './profile.module.js';

describe('profileStoreOptions', () => {
  // Regression: run as `node dist/main.js` without Mesh__Service__ServiceName, the demo stored its
  // profiles with no key prefix at all, although its README promised the service name as prefix.
  it('prefixes keys with the service name when no variable names a prefix', () => {
    expect(profileStoreOptions({})).toEqual({ keyPrefix: PROFILE_SERVICE_NAME });
  });

  it('lets the .NET variables choose the store and the prefix', () => {
    expect(
      profileStoreOptions({
        Mesh__KeyValue__Provider: 'ToskaStore',
        Mesh__KeyValue__ToskaStore__BaseUrl: 'http://127.0.0.1:4000',
        Mesh__KeyValue__ToskaStore__KeyPrefix: 'profiles',
      }),
    ).toEqual({
      provider: 'toskastore',
      keyPrefix: 'profiles',
      toskaStore: { baseUrl: 'http://127.0.0.1:4000' },
    });
    expect(profileStoreOptions({ Mesh__Service__ServiceName: 'renamed' }).keyPrefix).toBe('renamed');
  });
});
