import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { keyValueOptionsFromEnv } from './key-value-options.from-env.js';

describe('keyValueOptionsFromEnv', () => {
  it('returns no options for an empty environment (the module defaults apply)', () => {
    expect(keyValueOptionsFromEnv({})).toEqual({});
  });

  it('maps the Redis variables of the .NET original, case-insensitively', () => {
    expect(
      keyValueOptionsFromEnv({
        MESH__KEYVALUE__PROVIDER: 'redis',
        Mesh__KeyValue__Redis__ConnectionString: 'cache:6380,password=pw',
        mesh__keyvalue__redis__database: '2',
        Mesh__Service__ServiceName: 'orders',
      }),
    ).toEqual({
      provider: 'redis',
      keyPrefix: 'orders',
      redis: { url: 'redis://:pw@cache:6380', database: 2 },
    });
  });

  it('maps the ToskaStore variables', () => {
    expect(
      keyValueOptionsFromEnv({
        Mesh__KeyValue__Provider: 'ToskaStore',
        Mesh__KeyValue__ToskaStore__BaseUrl: 'http://store:4000',
        Mesh__KeyValue__ToskaStore__AuthToken: 'tok',
        Mesh__KeyValue__ToskaStore__EnableKeyIndex: 'True',
        Mesh__KeyValue__ToskaStore__KeyIndexKey: '__idx',
        Mesh__KeyValue__ToskaStore__KeyPrefix: 'custom',
        Mesh__Service__Name: 'orders',
      }),
    ).toEqual({
      provider: 'toskastore',
      keyPrefix: 'custom',
      toskaStore: {
        baseUrl: 'http://store:4000',
        authToken: 'tok',
        enableKeyIndex: true,
        keyIndexKey: '__idx',
      },
    });
  });

  it('takes the key prefix from the provider section, then KeyValue, then the service name', () => {
    const base = { Mesh__KeyValue__Provider: 'Memory', Mesh__Service__Name: 'svc' };
    expect(keyValueOptionsFromEnv(base).keyPrefix).toBe('svc');
    expect(keyValueOptionsFromEnv({ ...base, Mesh__KeyValue__KeyPrefix: 'kv' }).keyPrefix).toBe('kv');
    expect(
      keyValueOptionsFromEnv({
        ...base,
        Mesh__KeyValue__Provider: 'Redis',
        Mesh__KeyValue__KeyPrefix: 'kv',
        Mesh__KeyValue__Redis__KeyPrefix: 'own',
      }).keyPrefix,
    ).toBe('own');
    expect(keyValueOptionsFromEnv({ ...base, Mesh__KeyValue__KeyPrefix: '  ' }).keyPrefix).toBe('svc');
  });

  it('infers the provider from a connection setting when Provider is unset', () => {
    expect(
      keyValueOptionsFromEnv({ Mesh__KeyValue__Redis__ConnectionString: 'localhost:6379' }).provider,
    ).toBe('redis');
    expect(keyValueOptionsFromEnv({ Mesh__KeyValue__ToskaStore__BaseUrl: 'http://s:4000' }).provider).toBe(
      'toskastore',
    );
  });

  it('throws MeshConfigError naming the variable and listing the providers for an unknown one', () => {
    const read = () => keyValueOptionsFromEnv({ Mesh__KeyValue__Provider: 'Etcd' });
    expect(read).toThrow(MeshConfigError);
    expect(read).toThrow(/Mesh__KeyValue__Provider.*"Etcd".*Redis, ToskaStore, Memory/);
  });

  it('throws MeshConfigError for a malformed number or boolean', () => {
    expect(() => keyValueOptionsFromEnv({ Mesh__KeyValue__Redis__Database: 'two' })).toThrow(
      /Mesh__KeyValue__Redis__Database/,
    );
    expect(() => keyValueOptionsFromEnv({ Mesh__KeyValue__ToskaStore__EnableKeyIndex: 'maybe' })).toThrow(
      /EnableKeyIndex/,
    );
  });
});
